/**
 * Turns the recorded calls and round timings into the bench figures. Pure: everything comes
 * from what the probes measured in this run.
 */
import type { CallRecord, RoundTiming } from './probe.ts';
import { naiveInputTokens, type TranscriptEntry } from './naive.ts';

/** Figures of one round. Times in ms, tokens per expert call (mean over the round's experts). */
export interface RoundRow {
  round: number;
  experts: number;
  /** round-start → round-end progress events. */
  wallMs: number;
  slowestMs: number;
  /** Warm-up call latency (0 without warm-up). */
  warmMs: number;
  /** warm-up latency + slowest of the rest (or slowest of all without warm-up). */
  criticalMs: number;
  /** Sum of LLM judge call latencies this round. */
  judgeMs: number;
  /** (a) wall ÷ (slowest expert + judge). */
  ratio: number;
  /** wall ÷ (critical path + judge). */
  ratioCritical: number;
  /** (b) wall − critical path − judge. */
  overheadMs: number;
  /** round-start → first call issued (building prompts). */
  headMs: number;
  /** last call returned → round-end (storing, registering, judging). */
  tailMs: number;
  /** (c) input + cache write + cache read, mean per expert. */
  oursTokens: number;
  naiveTokens: number;
  cacheRead: number;
  inputAll: number;
}

/** Whole-run figures. */
export interface Summary {
  rows: RoundRow[];
  /** (d) Σ cache read ÷ Σ (input + cache write + cache read) over expert calls. */
  cachedShare: number;
  expertCalls: number;
  judgeCalls: number;
  /** Mean length of an expert answer, characters. */
  meanResponseChars: number;
}

const totalInput = (c: CallRecord): number => c.result.usage.inputTokens + c.result.usage.cacheCreationInputTokens + c.result.usage.cacheReadInputTokens;
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Computes the rows. `warmUp` says whether the round runner sent one call first (provider named
 * `anthropic`); the warm-up call is the earliest-issued expert call of the round.
 * @throws Error when a round has no end time or no expert calls (the run did not complete).
 */
export function analyse(calls: readonly CallRecord[], timings: ReadonlyMap<number, RoundTiming>, opts: { warmUp: boolean; question: string; maxRounds: number }): Summary {
  const experts = calls.filter((c) => c.purpose === 'expert');
  const transcript: TranscriptEntry[] = [...experts]
    .sort((a, b) => a.round - b.round || a.expert.localeCompare(b.expert))
    .map((c) => ({ round: c.round, expert: c.expert, text: c.result.text }));
  const rows = [...timings.values()].sort((a, b) => a.round - b.round).map((t) => roundRow(t, calls, transcript, opts));
  const read = experts.reduce((a, c) => a + c.result.usage.cacheReadInputTokens, 0);
  const all = experts.reduce((a, c) => a + totalInput(c), 0);
  return { rows, cachedShare: all === 0 ? 0 : read / all, expertCalls: experts.length, judgeCalls: calls.length - experts.length, meanResponseChars: mean(experts.map((c) => c.result.text.length)) };
}

function roundRow(t: RoundTiming, calls: readonly CallRecord[], transcript: TranscriptEntry[], opts: { warmUp: boolean; question: string; maxRounds: number }): RoundRow {
  if (t.end === undefined) throw new Error(`round ${t.round} has no round-end event`);
  const mine = calls.filter((c) => c.purpose === 'expert' && c.round === t.round).sort((a, b) => a.startedAt - b.startedAt);
  if (mine.length === 0) throw new Error(`round ${t.round} has no expert calls`);
  const latencies = mine.map((c) => c.latencyMs);
  const slowestMs = Math.max(...latencies);
  const [first, ...rest] = latencies;
  // With warm-up the rest wait for the first call's first token, not for the whole call.
  const warmMs = opts.warmUp && rest.length > 0 ? mine[0]!.ttftMs : 0;
  const criticalMs = warmMs > 0 ? Math.max(first!, warmMs + Math.max(...rest)) : slowestMs;
  const judgeMs = calls.filter((c) => c.purpose === 'judge' && c.round === t.round).reduce((a, c) => a + c.latencyMs, 0);
  const wallMs = t.end - t.start;
  return {
    round: t.round,
    experts: mine.length,
    wallMs,
    slowestMs,
    warmMs,
    criticalMs,
    judgeMs,
    ratio: wallMs / (slowestMs + judgeMs),
    ratioCritical: wallMs / (criticalMs + judgeMs),
    overheadMs: wallMs - criticalMs - judgeMs,
    headMs: mine[0]!.startedAt - t.start,
    tailMs: t.end - Math.max(...mine.map((c) => c.endedAt)),
    oursTokens: mean(mine.map(totalInput)),
    naiveTokens: mean(mine.map((c) => naiveInputTokens(c.request, opts.question, opts.maxRounds, transcript))),
    cacheRead: mine.reduce((a, c) => a + c.result.usage.cacheReadInputTokens, 0),
    inputAll: mine.reduce((a, c) => a + totalInput(c), 0),
  };
}
