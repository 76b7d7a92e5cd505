/**
 * One bench dialogue: 12 experts from the `general` pool, 10 rounds, no rotation, all calls in
 * flight at once, in-memory store, no files. Experts and the LLM judge are in-process fakes that sleep
 * for real (setTimeout) so wall time is measured, and simulate prompt-cache token accounting.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixedClock, seededRng } from '../src/core/index.ts';
import { BUILTIN_POOLS_DIR, resolvePool } from '../src/experts/pool.ts';
import { createFakeProvider } from '../src/llm/fake.ts';
import { startDialogue } from '../src/orchestrator/facilitator.ts';
import { DEFAULT_SETTINGS, type DialogueSettings } from '../src/orchestrator/settings.ts';
import { DialogueStore, openDatabase } from '../src/store/index.ts';
import { benchJudgement } from './judge.ts';
import { analyse, type Summary } from './analyse.ts';
import { type CallRecord, probeProvider, roundTimer } from './probe.ts';
import { benchResponder, type LatencyRange, latencyFor } from './responder.ts';

/** Bench parameters. */
export interface ScenarioOptions {
  seed: number;
  /** Report the expert provider as `anthropic`, so the round runner warms the cache first. */
  warmUp: boolean;
  panelSize: number;
  maxRounds: number;
  expertLatency: LatencyRange;
  judgeLatency: LatencyRange;
}

/** Defaults of the issue: 12 experts, 10 rounds, 80–250 ms per expert call. */
export const DEFAULT_SCENARIO: ScenarioOptions = {
  seed: 20260206,
  warmUp: true,
  panelSize: 12,
  maxRounds: 10,
  expertLatency: { minMs: 80, maxMs: 250 },
  judgeLatency: { minMs: 150, maxMs: 400 },
};

/** The design question every bench run asks. */
export const BENCH_QUESTION =
  'Should the job scheduler move from a single Postgres-backed queue to per-tenant queues, and what must be true about retries, ordering and observability before we switch?';

/** What one run produced. */
export interface ScenarioResult {
  summary: Summary;
  outcome: string;
  roundsJudged: number;
  /** startDialogue() call → return, ms. */
  totalWallMs: number;
  providerName: string;
}

/**
 * Runs the dialogue and analyses it.
 * @throws Error when the dialogue does not run all `maxRounds` rounds (the figures would be wrong).
 */
/** Share of a call's latency before its first streamed token (the cache warm-up waits only for that). */
export const TTFT_SHARE = 0.25;

export async function runScenario(opts: ScenarioOptions): Promise<ScenarioResult> {
  const expertLatency = latencyFor(opts.seed, opts.expertLatency);
  const calls: CallRecord[] = [];
  const timer = roundTimer();
  const providerName = opts.warmUp ? 'anthropic' : 'fake';
  const provider = probeProvider(createFakeProvider({ respond: benchResponder(opts.seed), latencyMs: expertLatency, ttftMs: (req) => Math.round(TTFT_SHARE * expertLatency(req)) }), providerName, calls);
  const judge = probeProvider(
    createFakeProvider({ respond: () => '', structured: benchJudgement, latencyMs: latencyFor(opts.seed + 1, opts.judgeLatency) }),
    'fake-judge',
    calls,
  );
  const store = new DialogueStore(openDatabase(':memory:'));
  const pool = resolvePool('general', { root: path.dirname(BUILTIN_POOLS_DIR), builtinDir: BUILTIN_POOLS_DIR });
  const settings: DialogueSettings = {
    ...DEFAULT_SETTINGS,
    provider: 'anthropic',
    seed: opts.seed,
    pool: 'general',
    panelSize: opts.panelSize,
    maxRounds: opts.maxRounds,
    minRounds: 2,
    rotation: 'none',
    concurrency: opts.panelSize,
  };
  // All calls of a round share one signal and each sleeping call listens on it; lift Node's
  // default warning threshold of 10 listeners for a 12-expert panel.
  const abort = new AbortController();
  setMaxListeners(opts.panelSize * 2 + 10, abort.signal);
  const deps = { root: null, store, provider, judge, clock: fixedClock('2026-02-06T18:39:00Z', 1000), rng: seededRng(opts.seed), onEvent: timer.onEvent, signal: abort.signal };
  const t0 = performance.now();
  const result = await startDialogue(deps, { question: BENCH_QUESTION, pool, constraints: [], sources: [] }, settings);
  const totalWallMs = performance.now() - t0;
  store.db.close();
  if (result.rounds !== opts.maxRounds) {
    throw new Error(`the bench dialogue ended after ${result.rounds} of ${opts.maxRounds} rounds (${result.outcome}${result.error ? `: ${String(result.error)}` : ''})`);
  }
  const summary = analyse(calls, timer.rounds, { warmUp: opts.warmUp, question: BENCH_QUESTION, maxRounds: opts.maxRounds });
  const short = summary.rows.find((r) => r.experts !== opts.panelSize);
  if (short) throw new Error(`round ${short.round} asked ${short.experts} of ${opts.panelSize} experts`);
  return { summary, outcome: result.outcome, roundsJudged: result.rounds, totalWallMs, providerName };
}
