/** Plain-text rendering of the bench figures: one table row per round and a summary block. */
import type { RoundRow } from './analyse.ts';
import type { ScenarioOptions, ScenarioResult } from './scenario.ts';

const ms = (n: number): string => n.toFixed(0);
const x = (n: number): string => n.toFixed(2);
const pct = (n: number): string => `${(100 * n).toFixed(1)}%`;

/** Right-aligns every column of `rows` (first row = header) and joins them with two spaces. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n');
}

/** The per-round table: (a) ratio, (b) overhead, (c) tokens per expert for both layouts. */
export function roundTable(rows: readonly RoundRow[]): string {
  const header = ['round', 'experts', 'wall ms', 'slowest', 'warm-up (ttft)', 'crit path', 'judge', '(a) wall/(slowest+judge)', 'wall/crit', '(b) overhead ms', 'head', 'tail', '(c) ours tok/expert', 'naive tok/expert', 'naive/ours', 'cached'];
  const body = rows.map((r) => [
    String(r.round),
    String(r.experts),
    ms(r.wallMs),
    ms(r.slowestMs),
    ms(r.warmMs),
    ms(r.criticalMs),
    ms(r.judgeMs),
    x(r.ratio),
    x(r.ratioCritical),
    ms(r.overheadMs),
    ms(r.headMs),
    ms(r.tailMs),
    ms(r.oursTokens),
    ms(r.naiveTokens),
    x(r.naiveTokens / r.oursTokens),
    pct(r.inputAll === 0 ? 0 : r.cacheRead / r.inputAll),
  ]);
  return table([header, ...body]);
}

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
/** Middle value (mean of the two middle ones for an even count); robust to one descheduled round. */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The summary block of the main run, plus the no-warm-up comparison when given. */
export function summaryBlock(opts: ScenarioOptions, main: ScenarioResult, plain?: ScenarioResult): string {
  const rows = main.summary.rows;
  const last = rows.at(-1)!;
  const wallSum = rows.reduce((a, r) => a + r.wallMs, 0);
  const lines = [
    `dialogue: ${main.roundsJudged} rounds judged, outcome ${main.outcome}; ${main.summary.expertCalls} expert calls, ${main.summary.judgeCalls} LLM judge calls`,
    `provider reported as "${main.providerName}": the round runner sends one call first, then fans out the other ${opts.panelSize - 1} once its first token has streamed (cache warm-up; the fake streams its first token after 25% of its latency)`,
    `(a) round wall ÷ (slowest expert + judge): median ${x(median(rows.map((r) => r.ratio)))}, mean ${x(avg(rows.map((r) => r.ratio)))}, max ${x(Math.max(...rows.map((r) => r.ratio)))}; ÷ critical path (max(first call, its first token + slowest of rest) + judge): mean ${x(avg(rows.map((r) => r.ratioCritical)))}`,
    `(b) engine overhead per round (wall − critical path − judge): median ${ms(median(rows.map((r) => r.overheadMs)))} ms, mean ${ms(avg(rows.map((r) => r.overheadMs)))} ms, max ${ms(Math.max(...rows.map((r) => r.overheadMs)))} ms; between rounds (total − Σ round walls) ${ms((main.totalWallMs - wallSum) / rows.length)} ms/round`,
    `(c) input tokens per expert at round ${last.round}: ours ${ms(last.oursTokens)}, naive full transcript ${ms(last.naiveTokens)} (naive/ours ${x(last.naiveTokens / last.oursTokens)}); mean expert answer ${ms(main.summary.meanResponseChars)} chars`,
    `(d) cached share of expert input tokens (Σ cache read ÷ Σ input+write+read): ${pct(main.summary.cachedShare)}`,
    `total wall ${ms(main.totalWallMs)} ms for ${rows.length} rounds`,
  ];
  if (plain) {
    const pr = plain.summary.rows;
    lines.push(
      `without warm-up (provider "${plain.providerName}", all ${opts.panelSize} at once): (a) median ${x(median(pr.map((r) => r.ratio)))}, overhead median ${ms(median(pr.map((r) => r.overheadMs)))} ms, total wall ${ms(plain.totalWallMs)} ms (its simulated cache would count hits that concurrent real calls miss, so (d) is from the warm-up run only)`,
    );
  }
  lines.push('head = round-start → first call issued; tail = last expert answer → round-end (storing, registration, judge call, scoring)');
  if (main.summary.judgeCalls === 0) lines.push('note: the engine made no LLM judge call (judging is deterministic in-process), so judge latency is 0 and judging time counts as overhead');
  return lines.join('\n');
}
