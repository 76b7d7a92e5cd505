/**
 * `blue dialogue status`: where a dialogue stands, with tokens (input, output, cache write,
 * cache read) and USD per expert, per round and in total.
 */
import type { DialogueStore, LlmCallRow } from '../store/index.ts';
import { findDialogue } from './data.ts';

/** Token and cost totals (tokens; USD). */
export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  /** USD of the priced calls. */
  costUsd: number;
  /** Calls whose model has no price: when > 0 the true cost is unknown (never shown as $0). */
  unpricedCalls: number;
}

/** The status report (also the `--json` shape). */
export interface DialogueStatusReport {
  id: string;
  title: string;
  question: string;
  status: string;
  /** The facilitator chart's last state, e.g. `running.round.asking` or `converged` (resume rebuilds from the store, not from it). */
  state: string | null;
  dir: string;
  rounds: {
    round: number;
    status: string;
    panelSize: number;
    openTensions: number;
    newPerspectives: number;
    velocity: number;
    convergePercent: number;
    score: number;
    usage: UsageTotals;
    /** How the round used the prompt cache (warm-ups skipped below a model's minimum); null when nothing to say. */
    cacheNote: string | null;
  }[];
  /** Per expert (and `judge`): the models that answered (`openai:llama3.1:8b` for a routed seat). */
  experts: { expert: string; models: string[]; usage: UsageTotals }[];
  total: UsageTotals;
}

function totals(calls: LlmCallRow[]): UsageTotals {
  return calls.reduce<UsageTotals>(
    (t, c) => ({
      calls: t.calls + 1,
      inputTokens: t.inputTokens + c.input_tokens,
      outputTokens: t.outputTokens + c.output_tokens,
      cacheWriteTokens: t.cacheWriteTokens + c.cache_write_tokens,
      cacheReadTokens: t.cacheReadTokens + c.cache_read_tokens,
      costUsd: t.costUsd + c.cost_usd,
      unpricedCalls: t.unpricedCalls + (c.cost_unknown ? 1 : 0),
    }),
    { calls: 0, inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, costUsd: 0, unpricedCalls: 0 },
  );
}

/** Builds the status report of a dialogue (id or unique prefix). */
export function dialogueStatus(store: DialogueStore, idOrPrefix: string): DialogueStatusReport {
  const d = findDialogue(store, idOrPrefix);
  const calls = store.llmCalls(d.id);
  const experts = [...new Set(calls.map((c) => c.expert ?? c.purpose))];
  return {
    id: d.id,
    title: d.title,
    question: d.question,
    status: d.status,
    state: d.chartState,
    dir: d.dir,
    rounds: store.rounds(d.id).map((r) => ({
      round: r.round,
      status: r.status,
      panelSize: r.panelSize,
      openTensions: r.openTensions,
      newPerspectives: r.newPerspectives,
      velocity: r.velocity,
      convergePercent: r.convergePercent,
      score: r.score,
      usage: totals(calls.filter((c) => c.round === r.round)),
      cacheNote: r.cacheNote,
    })),
    experts: experts.map((e) => {
      const mine = calls.filter((c) => (c.expert ?? c.purpose) === e);
      return { expert: e, models: [...new Set(mine.map((c) => c.model))], usage: totals(mine) };
    }),
    total: totals(calls),
  };
}

/** Plain-text rendering of a status report. */
export function formatStatus(s: DialogueStatusReport): string {
  const tok = (u: UsageTotals) => `in ${u.inputTokens} out ${u.outputTokens} cache-w ${u.cacheWriteTokens} cache-r ${u.cacheReadTokens} ${costText(u)}`;
  const lines = [
    `${s.id}`,
    `  question: ${s.question}`,
    `  status:   ${s.status}${s.state ? ` (facilitator: ${s.state})` : ''}`,
    `  folder:   ${s.dir}`,
    '',
    '  round  panel  open T  new P  velocity  converge  score  tokens/cost',
    ...s.rounds.map(
      (r) =>
        `  ${String(r.round).padEnd(5)}  ${String(r.panelSize).padEnd(5)}  ${String(r.openTensions).padEnd(6)}  ${String(r.newPerspectives).padEnd(5)}  ${String(r.velocity).padEnd(8)}  ${`${r.convergePercent}%`.padEnd(8)}  ${String(r.score).padEnd(5)}  ${r.status === 'judged' ? tok(r.usage) : `(${r.status}) ${tok(r.usage)}`}`,
    ),
  ];
  for (const r of s.rounds) if (r.cacheNote) lines.push(`  round ${r.round}: ${r.cacheNote}`);
  if (s.experts.length > 0) {
    lines.push('', '  per expert:');
    for (const e of s.experts) lines.push(`    ${e.expert.padEnd(12)} ${e.usage.calls} calls  ${tok(e.usage)}  ${e.models.join(', ')}`);
  }
  lines.push('', `  total: ${s.total.calls} calls  ${tok(s.total)}`);
  return `${lines.join('\n')}\n`;
}

/** USD of a total; `unknown` (or `$x + unknown`) when some calls had no price, never a bare $0. */
export function costText(u: Pick<UsageTotals, 'costUsd' | 'unpricedCalls'>): string {
  const usd = `$${u.costUsd.toFixed(4)}`;
  if (u.unpricedCalls === 0) return usd;
  return u.costUsd > 0 ? `${usd} + unknown (${u.unpricedCalls} unpriced)` : `unknown (${u.unpricedCalls} unpriced)`;
}
