/** Plain-text reports of the cost bench: the USD table per layout, the fan-out and where a budget stopped. */
import { DEFAULT_SETTINGS, type RoleSettings, roleSettings } from '../src/orchestrator/settings.ts';
import { DEFAULT_MODELS_TABLE } from '../src/llm/models.ts';
import { cacheMinimum } from './cache-sim.ts';
import type { FixtureCheck, WordStats } from './fixture-check.ts';
import { REPLY_ASSUMPTIONS } from './model-reply.ts';
import { NAIVE_MAX_TOKENS } from './naive.ts';

/** Bench parameters (ms, tokens). */
export interface CostBenchOptions {
  experts: number;
  rounds: number;
  thinkMs: number;
  thinkTokens: number;
  seed: number;
  /** Expert role settings over Blue's defaults (`--expert-words`, `--expert-effort`, `--expert-thinking`). */
  expert?: Partial<RoleSettings>;
  /** `--max-cost` in USD: the run stops there, and the report says how close to it. */
  maxCost?: number;
}

/** Where a `--max-cost` run stopped. USD. */
export interface BudgetStop {
  outcome: string;
  limit: number;
  spent: number;
  largestCall: number;
  /** The refusal's message (`next call would exceed …`). */
  message: string;
  /** What the old reservation (uncached input at 3 chars/token + all of max_tokens) would hold for the last expert call sent. */
  oldReserve: number;
  rounds: number;
}

/** Tokens and USD of one layout over the whole dialogue. */
export interface LayoutCost {
  input: number;
  write5m: number;
  write1h: number;
  read: number;
  /** Output tokens, thinking included. */
  output: number;
  /** The thinking part of `output`. */
  thinking: number;
  usd: number;
  /** USD with the thinking tokens left out of the output. */
  usdNoThinking: number;
}

/** What one run measured. */
export interface CostFigures {
  blueExperts: LayoutCost;
  judge: LayoutCost;
  naiveUncached: LayoutCost;
  naiveCached: LayoutCost;
  /** The naive layout cached incrementally, sending Blue's word limit, thinking / effort and max_tokens. */
  naiveCachedBlueLimits: LayoutCost;
  /** Expert answers in words: as scripted (the fixture's texts), as the simulated model sent them under Blue's limit. */
  answerWords: { scripted: WordStats; sent: WordStats; limit: number | null };
  fixture: FixtureCheck;
  /** Σ cost_usd of llm_calls: the engine's own accounting of the same calls. */
  engineUsd: number;
  /** Per round: warm-up model, ms from its message_start to the next expert request (null without one). */
  fanOut: { round: number; model: string; ms: number | null }[];
  roundWallMs: number[];
  files: number;
  dbBytes: number;
  calls: number;
  /** Answers the simulator cut at the request's max_tokens. */
  truncated: number;
  budget?: BudgetStop;
}

/** The report of a `--max-cost` run. */
export function budgetReport(b: BudgetStop): string {
  const usd = (n: number) => `$${n.toFixed(4)}`;
  return [
    `--max-cost ${usd(b.limit)}: outcome ${b.outcome} after ${b.rounds} rounds, spent ${usd(b.spent)} (${usd(b.limit - b.spent)} short of the limit; largest single call ${usd(b.largestCall)})`,
    `  refusal: ${b.message}`,
    `  the old reservation (uncached input, all of max_tokens) for the last expert call: ${usd(b.oldReserve)}`,
  ].join('\n');
}

const plus = (a: LayoutCost, b: LayoutCost): LayoutCost => ({
  input: a.input + b.input,
  write5m: a.write5m + b.write5m,
  write1h: a.write1h + b.write1h,
  read: a.read + b.read,
  output: a.output + b.output,
  thinking: a.thinking + b.thinking,
  usd: a.usd + b.usd,
  usdNoThinking: a.usdNoThinking + b.usdNoThinking,
});

/** Right-aligns every column of `rows` (first row = header). */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/**
 * How far Blue's expert thinking (an assumed figure) decides the verdict: the average thinking
 * tokens per expert call at which Blue would be exactly ½ of naive cached, against what it used.
 */
function breakEven(f: CostFigures, blue: LayoutCost, naiveC: LayoutCost): string {
  const calls = f.answerWords.sent.n;
  const thinkingUsd = f.blueExperts.usd - f.blueExperts.usdNoThinking;
  if (calls === 0 || f.blueExperts.thinking === 0) return `  Blue's experts thought 0 tokens; without thinking Blue is ${(blue.usd / naiveC.usd).toFixed(2)} of naive cached`;
  const room = naiveC.usd / 2 - (blue.usd - thinkingUsd);
  const perCall = Math.max(0, (room / thinkingUsd) * (f.blueExperts.thinking / calls));
  return `  ½ needs Blue's expert thinking ≤ ${perCall.toFixed(0)} tokens per call on average (this run: ${(f.blueExperts.thinking / calls).toFixed(0)}, from the assumed effort factor; naive: ${(f.naiveCached.thinking / calls).toFixed(0)})`;
}

const words = (w: WordStats): string => `median ${w.median}, p90 ${w.p90}, max ${w.max} words (n ${w.n})`;

/** The report of one run. */
export function costReport(o: CostBenchOptions, f: CostFigures): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const row = (name: string, c: LayoutCost): string[] => [name, String(c.input), String(c.write5m), String(c.write1h), String(c.read), String(c.output - c.thinking), String(c.thinking), usd(c.usd), usd(c.usdNoThinking)];
  const blue = plus(f.blueExperts, f.judge);
  const naiveU = plus(f.naiveUncached, f.judge);
  const naiveC = plus(f.naiveCached, f.judge);
  const naiveL = plus(f.naiveCachedBlueLimits, f.judge);
  const ratio = blue.usd / naiveC.usd;
  const delays = f.fanOut.flatMap((x) => (x.ms === null ? [] : [x.ms]));
  const sorted = [...delays].sort((a, b) => a - b);
  const wall = f.roundWallMs.reduce((a, b) => a + b, 0);
  const fx = f.fixture;
  return [
    `cost bench: ${o.experts} experts × ${o.rounds} rounds on ${DEFAULT_SETTINGS.model} (judge ${DEFAULT_SETTINGS.judgeModel}), real Anthropic adapter → loopback Messages API`,
    `  simulated: cache minimums of ${DEFAULT_MODELS_TABLE.asOf} (${DEFAULT_SETTINGS.model} ${String(cacheMinimum(DEFAULT_SETTINGS.model))} tokens), entries readable once the writing response began, 5 min / 1 h TTL; tokens = chars × 1.3 / 4`,
    `  the simulated model (bench/model-reply.ts), ASSUMPTIONS: --think-tokens ${o.thinkTokens} / --think-ms ${o.thinkMs} is one call's thinking at effort high;`,
    ...REPLY_ASSUMPTIONS.map((a) => `    - ${a}`),
    `  Blue sends (src/orchestrator/limits.ts): expert ${JSON.stringify(roleSettings({ roles: o.expert ? { expert: o.expert } : {} }, 'expert'))}${o.expert ? ' (bench override)' : ''}, judge ${JSON.stringify(roleSettings(DEFAULT_SETTINGS, 'judge'))}, thinking / effort only where the model accepts them; naive sends no limit, no thinking/effort (the model's defaults), max_tokens ${NAIVE_MAX_TOKENS}`,
    `  expert answers: scripted (fixture texts + bench markers) ${words(f.answerWords.scripted)}; as sent under Blue's limit ${words(f.answerWords.sent)}`,
    `  fixture check: ${fx.askTwoToFour} of ${fx.prompts} expert prompts asked for "two to four sentences" per perspective; perspectives ran a median ${fx.perspectiveSentences.median} (max ${fx.perspectiveSentences.max}) sentences and whole answers ${words(fx.answers)}`,
    `  ${f.calls} calls (${f.truncated} cut at max_tokens), ${f.files} files written, file DB ${(f.dbBytes / 1e6).toFixed(2)} MB, round wall ${(wall / 1000).toFixed(1)} s`,
    '',
    table([
      ['layout (same calls, same scripted answers; Blue\'s judge added to each)', 'input', 'write 5m', 'write 1h', 'read', 'text out', 'thinking', 'USD', 'USD w/o thinking'],
      row('Blue (experts + judge)', blue),
      row('  of which the judge', f.judge),
      row('naive full transcript, uncached', naiveU),
      row('naive full transcript, cached incrementally', naiveC),
      row("naive cached incrementally, with Blue's limits", naiveL),
    ]),
    '',
    `Blue ÷ naive cached incrementally: ${ratio.toFixed(2)} (${(blue.usdNoThinking / naiveC.usdNoThinking).toFixed(2)} without thinking tokens); goal ≤ 0.50: ${ratio <= 0.5 ? 'met' : 'NOT met'}`,
    breakEven(f, blue, naiveC),
    `Blue ÷ naive cached with Blue's limits: ${(blue.usd / naiveL.usd).toFixed(2)} (layout alone); naive with Blue's limits ÷ naive: ${(naiveL.usd / naiveC.usd).toFixed(2)} (limits alone)`,
    `Blue ÷ naive uncached: ${(blue.usd / naiveU.usd).toFixed(2)}; the engine's own llm_calls total ${usd(f.engineUsd)}`,
    `fan-out after the warm-up response began (message_start → next expert request): median ${sorted.length ? (sorted[Math.floor(sorted.length / 2)]!).toFixed(0) : '-'} ms, max ${sorted.length ? Math.max(...sorted).toFixed(0) : '-'} ms; per round ${f.fanOut.map((x) => (x.ms === null ? '-' : x.ms.toFixed(0))).join(' ')}`,
  ].join('\n');
}
