/**
 * `npm run bench` (cost part): a 12-expert, 10-round dialogue on the default models, run by the
 * real engine and the real Anthropic adapter against a loopback Messages API (bench/messages-sim.ts)
 * that bills by the documented caching rules, with real-size answers (the fixture's texts), a
 * thinking phase before the first text token, a file database and every Markdown file written.
 * The simulated model answers what each request asks (its stated word limit, `max_tokens`,
 * thinking by effort: bench/model-reply.ts, assumptions printed in the header). Prints USD and
 * tokens for Blue's layout and for the same calls laid out as a naive full transcript (uncached,
 * cached incrementally, and cached incrementally with Blue's limits), and how long after the
 * warm-up response began the rest of the panel was sent. Options: `--think-ms N` (default 1000), `--think-tokens N`
 * (default 1000), `--experts N` (12), `--rounds N` (10), `--max-cost USD` (run under a budget and
 * report where it stopped instead), `--expert-words N`, `--expert-effort LEVEL`, `--expert-thinking TYPE`
 * (the expert role over Blue's defaults). Writes only under the OS temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fixedClock, seededRng } from '../src/core/index.ts';
import { BUILTIN_POOLS_DIR, resolvePool } from '../src/experts/pool.ts';
import { createAnthropicProvider } from '../src/llm/anthropic.ts';
import { Budget } from '../src/llm/budget.ts';
import { costUsd, DEFAULT_PRICES, estimateCostUsd } from '../src/llm/prices.ts';
import type { ProgressEvent } from '../src/orchestrator/deps.ts';
import { startDialogue } from '../src/orchestrator/facilitator.ts';
import { DEFAULT_SETTINGS, type DialogueSettings, type RoleSettings } from '../src/orchestrator/settings.ts';
import { EFFORTS, type Effort, THINKING_TYPES, type ThinkingType } from '../src/llm/models.ts';
import { DialogueStore, openDatabase } from '../src/store/index.ts';
import { withWorkspaceDb } from '../test/helpers/workspace-db.ts';
import { type Bill, PromptCache } from './cache-sim.ts';
import { type BudgetStop, budgetReport, type CostBenchOptions, type CostFigures, costReport, type LayoutCost } from './cost-report.ts';
import { dbFileBytes, realSizeResponder } from './engine.ts';
import { benchJudgement } from './judge.ts';
import { type Served, startMessagesSim } from './messages-sim.ts';
import { fixtureCheck, NO_WORDS, wordStats } from './fixture-check.ts';
import { modelReply, type Reply, type Thinking } from './model-reply.ts';
import { baseOf, naiveBody, roundTranscript } from './naive.ts';
import { BENCH_QUESTION } from './question.ts';
import { latencyFor } from './responder.ts';


const EMPTY: LayoutCost = { input: 0, write5m: 0, write1h: 0, read: 0, output: 0, thinking: 0, usd: 0, usdNoThinking: 0 };

/** USD of one billed request, at costUsd's rates (1-hour writes at the table's 1-hour rate, as the engine bills them). */
function usdOf(bill: Bill, output: number): number {
  const usage = { inputTokens: bill.input, outputTokens: output, cacheCreationInputTokens: bill.write5m + bill.write1h, cacheWrite1hInputTokens: bill.write1h, cacheReadInputTokens: bill.read };
  return costUsd(bill.model, usage, DEFAULT_PRICES);
}

function add(acc: LayoutCost, bill: Bill, output: number, thinking: number): LayoutCost {
  return {
    input: acc.input + bill.input,
    write5m: acc.write5m + bill.write5m,
    write1h: acc.write1h + bill.write1h,
    read: acc.read + bill.read,
    output: acc.output + output,
    thinking: acc.thinking + thinking,
    usd: acc.usd + usdOf(bill, output),
    usdNoThinking: acc.usdNoThinking + usdOf(bill, output - thinking),
  };
}

/**
 * The naive layout's cost: the served expert calls rebuilt as full transcripts, answered by the
 * same simulated model rules (so without a stated limit the full scripted answer, with the model's
 * default thinking), round by round so each transcript holds what that layout's model wrote, and
 * billed in the order and at the times Blue's calls were.
 */
function naiveCost(served: readonly Served[], rounds: number, cached: boolean, blueLimits: boolean, atHigh: Thinking): LayoutCost {
  const experts = served.filter((s) => s.purpose === 'expert');
  const base = baseOf(served, blueLimits);
  const transcripts: string[] = [];
  const calls: { s: Served; body: Record<string, unknown>; reply: Reply }[] = [];
  for (let round = 0; round < rounds; round++) {
    const mine = experts.filter((s) => s.round === round).map((s) => {
      const body = naiveBody(s, base, transcripts, cached, blueLimits);
      return { s, body, reply: modelReply(body, s.answer, atHigh) };
    });
    transcripts.push(roundTranscript(mine.map((c) => ({ expert: c.s.expert, text: c.reply.text })), round));
    calls.push(...mine);
  }
  const cache = new PromptCache();
  let acc = EMPTY;
  for (const c of calls.sort((a, b) => a.s.arrivedAt - b.s.arrivedAt)) {
    const { bill, begin } = cache.bill(c.body, c.s.arrivedAt);
    begin(c.s.beganAt);
    acc = add(acc, bill, c.reply.outputTokens, c.reply.thinking.tokens);
  }
  return acc;
}

function fanOut(served: readonly Served[], rounds: number): CostFigures['fanOut'] {
  return Array.from({ length: rounds }, (_, round) => {
    const mine = served.filter((s) => s.purpose === 'expert' && s.round === round).sort((a, b) => a.arrivedAt - b.arrivedAt);
    const [warm, next] = mine;
    return { round, model: String(warm?.body.model ?? ''), ms: warm && next ? next.arrivedAt - warm.beganAt : null };
  });
}

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);
}

/**
 * Runs the dialogue against the simulator and prices every layout.
 * @throws Error when the dialogue does not run all rounds with the whole panel.
 */
export async function runCostBench(o: CostBenchOptions): Promise<CostFigures> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-cost-bench-'));
  const realSize = realSizeResponder(o.seed);
  const sim = await startMessagesSim({
    answer: (req) => (req.meta.purpose === 'judge' ? JSON.stringify(benchJudgement(req)) : realSize(req)),
    firstByteMs: latencyFor(o.seed + 2, { minMs: 20, maxMs: 60 }),
    textMs: latencyFor(o.seed, { minMs: 80, maxMs: 250 }),
    thinkMs: o.thinkMs,
    thinkTokens: o.thinkTokens,
  });
  try {
    const store = new DialogueStore(openDatabase(root));
    const budget = o.maxCost === undefined ? undefined : new Budget(o.maxCost);
    const provider = createAnthropicProvider({ apiKey: 'bench-loopback-no-key', baseURL: sim.baseURL, prices: DEFAULT_PRICES, ...(budget ? { budget } : {}) });
    const pool = resolvePool('general', { root: path.dirname(BUILTIN_POOLS_DIR), builtinDir: BUILTIN_POOLS_DIR });
    const settings: DialogueSettings = { ...DEFAULT_SETTINGS, provider: 'anthropic', seed: o.seed, pool: 'general', panelSize: o.experts, maxRounds: o.rounds, minRounds: 2, rotation: 'none', concurrency: o.experts, ...(o.expert ? { roles: { expert: o.expert } } : {}) };
    const abort = new AbortController();
    setMaxListeners(o.experts * 4 + 20, abort.signal);
    const starts = new Map<number, number>();
    const walls: number[] = [];
    const onEvent = (e: ProgressEvent): void => {
      if (e.type === 'round-start') starts.set(e.round, performance.now());
      if (e.type === 'round-end') walls[e.round] = performance.now() - (starts.get(e.round) ?? 0);
    };
    const deps = { root, store, provider, judge: provider, clock: fixedClock('2026-02-06T18:39:00Z', 1000), rng: seededRng(o.seed), onEvent, signal: abort.signal };
    const result = await startDialogue(deps, { question: BENCH_QUESTION, pool, constraints: [], sources: [] }, { ...settings, maxCostUsd: o.maxCost ?? null });
    if (o.maxCost !== undefined) return budgetStop(o.maxCost, result, store, sim.served, settings.maxTokens);
    if (result.rounds !== o.rounds) throw new Error(`the dialogue ended after ${result.rounds} of ${o.rounds} rounds (${result.outcome}${result.error ? `: ${String(result.error)}` : ''})`);
    const served = sim.served;
    const short = fanOut(served, o.rounds).find((f) => served.filter((s) => s.purpose === 'expert' && s.round === f.round).length !== o.experts);
    if (short) throw new Error(`round ${short.round} did not ask all ${o.experts} experts`);
    let blueExperts = EMPTY;
    let judge = EMPTY;
    for (const s of served) {
      if (s.purpose === 'expert') blueExperts = add(blueExperts, s.bill, s.outputTokens, s.thinkTokens);
      else judge = add(judge, s.bill, s.outputTokens, s.thinkTokens);
    }
    const atHigh: Thinking = { tokens: o.thinkTokens, ms: o.thinkMs };
    const experts = served.filter((s) => s.purpose === 'expert');
    const engineUsd = store.llmCalls(result.id).reduce((a, c) => a + c.cost_usd, 0);
    store.close();
    withWorkspaceDb(root, (db) => db.pragma('wal_checkpoint(TRUNCATE)')); // the size without a WAL
    const dbBytes = dbFileBytes(root);
    return {
      blueExperts,
      judge,
      naiveUncached: naiveCost(served, o.rounds, false, false, atHigh),
      naiveCached: naiveCost(served, o.rounds, true, false, atHigh),
      naiveCachedBlueLimits: naiveCost(served, o.rounds, true, true, atHigh),
      answerWords: { scripted: wordStats(experts.map((s) => s.answer)), sent: wordStats(experts.map((s) => s.text)), limit: experts[0]?.wordLimit ?? null },
      fixture: fixtureCheck(),
      engineUsd,
      fanOut: fanOut(served, o.rounds),
      roundWallMs: walls,
      files: countFiles(root),
      dbBytes,
      calls: served.length,
      truncated: served.filter((s) => s.stop === 'max_tokens').length,
    };
  } finally {
    await sim.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function budgetStop(limit: number, result: { id: string; outcome: string; rounds: number; error?: unknown }, store: DialogueStore, served: readonly Served[], maxTokens: number): CostFigures {
  const calls = store.llmCalls(result.id);
  const last = [...served].reverse().find((s) => s.purpose === 'expert');
  const chars = last ? JSON.stringify(last.body.system).length + JSON.stringify(last.body.messages).length : 0;
  const budget: BudgetStop = {
    outcome: result.outcome,
    limit,
    spent: calls.reduce((a, c) => a + c.cost_usd, 0),
    largestCall: Math.max(0, ...calls.map((c) => c.cost_usd)),
    message: result.error instanceof Error ? result.error.message : String(result.error ?? ''),
    oldReserve: last ? estimateCostUsd(String(last.body.model), chars, maxTokens, DEFAULT_PRICES) : 0,
    rounds: result.rounds,
  };
  return { blueExperts: EMPTY, judge: EMPTY, naiveUncached: EMPTY, naiveCached: EMPTY, naiveCachedBlueLimits: EMPTY, answerWords: { scripted: NO_WORDS, sent: NO_WORDS, limit: null }, fixture: fixtureCheck(), engineUsd: budget.spent, fanOut: [], roundWallMs: [], files: 0, dbBytes: 0, calls: served.length, truncated: served.filter((s) => s.stop === 'max_tokens').length, budget };
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
  return value;
}

/** `--expert-words N`, `--expert-effort low|…`, `--expert-thinking adaptive|between_tools|…`: the expert role over Blue's defaults. */
function expertOverrides(args: string[]): Partial<RoleSettings> | undefined {
  const text = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const effort = text('expert-effort');
  const thinking = text('expert-thinking');
  const out: Partial<RoleSettings> = {};
  if (args.includes('--expert-words')) out.words = option(args, 'expert-words', 0);
  if (effort !== undefined) {
    if (!(EFFORTS as readonly string[]).includes(effort)) throw new Error(`--expert-effort needs one of ${EFFORTS.join(', ')}`);
    out.effort = effort as Effort;
  }
  if (thinking !== undefined) {
    if (!(THINKING_TYPES as readonly string[]).includes(thinking)) throw new Error(`--expert-thinking needs one of ${THINKING_TYPES.join(', ')}`);
    out.thinking = thinking as ThinkingType;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const o: CostBenchOptions = { experts: option(args, 'experts', 12), rounds: option(args, 'rounds', 10), thinkMs: option(args, 'think-ms', 1000), thinkTokens: option(args, 'think-tokens', 1000), seed: 20260206 };
  process.stdout.write(`machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start\n`);
  const expert = expertOverrides(args);
  if (expert) o.expert = expert;
  const maxAt = args.indexOf('--max-cost');
  if (maxAt >= 0) o.maxCost = option(args, 'max-cost', 0);
  const figures = await runCostBench(o);
  process.stdout.write(`${figures.budget ? budgetReport(figures.budget) : costReport(o, figures)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
