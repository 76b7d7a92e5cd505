/**
 * `verdict.md`: written at every ending (blue spec §5.7, RFC 0057 §7). Its first line names
 * the outcome so a reader (or `head -1`) knows how the dialogue ended.
 */
import type { RootContent } from 'mdast';
import { blockquote, heading, inlineCode, inlineMarkdown, list, p, strong, table, tableOr, thematicBreak } from './builders.ts';
import type { Inline } from './builders.ts';
import { embedMarkdown } from './embed.ts';
import { outcomeLabel, percent, plural, roundLabel, wctr } from './format.ts';
import { stringifyMarkdown } from './processor.ts';
import type { TensionRow, VerdictView } from './views.ts';

/**
 * Renders `verdict.md`. Heading: `# Verdict: <OUTCOME> — <title>` where OUTCOME is `CONVERGED`,
 * `FORCED (max rounds reached without convergence)`, `RECORDING EXHAUSTED`, `BUDGET EXHAUSTED`,
 * `FAILED`, `CANCELLED` (or `IN PROGRESS` for `open`). The answer is Markdown (judge prose),
 * embedded with headings demoted by two so they nest under `## Answer`.
 */
export function renderVerdict(view: VerdictView): string {
  return stringifyMarkdown([
    heading(1, `Verdict: ${outcomeLabel(view.outcome)} — ${view.title}`),
    metrics(view),
    heading(2, 'Question'),
    blockquote(view.question),
    heading(2, 'Answer'),
    ...answer(view.answer),
    heading(2, 'Converged Decisions'),
    tableOr(
      [null, null, null, null],
      ['Topic', 'Decision', 'Rationale', 'Sources'],
      view.decisions.map((d) => [inlineMarkdown(d.topic), inlineMarkdown(d.decision), inlineMarkdown(d.rationale), d.sources.length === 0 ? '—' : d.sources.join(', ')]),
      'No converged decisions recorded.',
    ),
    heading(2, 'Resolved Tensions'),
    closedTable(view.resolvedTensions, 'Resolution', 'No tensions were resolved.'),
    heading(2, 'Accepted Trade-offs'),
    closedTable(view.acceptedTensions, 'Why accepted', 'No tensions were accepted unresolved.'),
    ...(view.deferredTensions?.length ? [heading(2, 'Deferred Tensions'), closedTable(view.deferredTensions, 'Why deferred', '')] : []),
    ...openSection(view.openTensions),
    heading(2, 'Dissent'),
    notesList(view.dissent, 'No formal dissent recorded.'),
    heading(2, 'Key Insights'),
    notesList(view.keyInsights, 'No key insights recorded.', true),
    thematicBreak(),
    p(...closing(view)),
  ]);
}

function metrics(view: VerdictView): RootContent {
  const rounds = view.rounds > 0 ? `${view.rounds} (R0–${roundLabel(view.rounds - 1)})` : '0';
  return table(
    [null, null],
    ['Metric', 'Value'],
    [
      ['Rounds', rounds],
      ['Total ALIGNMENT', `${view.totals.total} (${wctr(view.totals)})`],
      ['Experts Consulted', `${view.experts.length} unique`],
      ['Tensions Resolved', `${view.tensionsResolved}/${view.tensionsTotal}`],
      ['Final Velocity', String(view.finalVelocity)],
      ['Final Converge %', percent(view.finalConvergePercent)],
    ],
  );
}

function answer(text: string | null): RootContent[] {
  if (text === null || text.trim() === '') return [p('No synthesised answer: see Converged Decisions.')];
  return embedMarkdown(text, 2);
}

function closedTable(rows: TensionRow[], what: string, empty: string): RootContent {
  return tableOr(
    [null, null, null, null],
    ['ID', 'Tension', what, 'Round'],
    rows.map((t) => [
      t.id,
      t.label,
      t.resolution === undefined || t.resolution.trim() === '' ? '—' : inlineMarkdown(t.resolution),
      t.closedRound === undefined ? '—' : roundLabel(t.closedRound),
    ]),
    empty,
  );
}

function openSection(rows: TensionRow[]): RootContent[] {
  if (rows.length === 0) return [];
  return [
    heading(2, 'Open Tensions'),
    table(
      [null, null, null, null],
      ['ID', 'Tension', 'Raised by', 'Raised'],
      rows.map((t) => [t.id, t.label, t.raisedBy, roundLabel(t.raisedRound)]),
    ),
  ];
}

function notesList(items: { expert: string; round: number; text: string }[], empty: string, ordered = false): RootContent {
  if (items.length === 0) return p(empty);
  return list(
    ordered,
    items.map((i) => [strong(i.expert), ` (${roundLabel(i.round)}): ${i.text}`]),
  );
}

const CLOSING_HEAD: Record<VerdictView['outcome'], string> = {
  open: 'Still open',
  converged: 'Converged',
  forced: 'Stopped at max rounds without convergence',
  recording_exhausted: 'Stopped: recording exhausted',
  budget_exhausted: 'Stopped: budget exhausted',
  failed: 'Failed',
  cancelled: 'Cancelled',
  provider_unavailable: 'Stopped: provider unavailable (resumable once fixed)',
};

/**
 * Wrap-up after the thematic break, computed from the figures only; opens with the final
 * panel's signals when the view carries them (blue's "All 6 experts signalled …" line).
 */
function closing(view: VerdictView): Inline[] {
  const experts = `${plural(view.experts.length, 'expert')} consulted over ${plural(view.rounds, 'round')}`;
  const tensions = `${view.tensionsResolved}/${view.tensionsTotal} tensions resolved`;
  const figures = `${CLOSING_HEAD[view.outcome]}: ${experts}. Velocity = ${view.finalVelocity}. Converge = ${percent(view.finalConvergePercent)}. ${tensions}.`;
  const s = view.finalSignals;
  if (s === undefined) return [figures];
  const who = s.converged === s.panel ? `All ${plural(s.panel, 'expert')}` : `${s.converged} of ${plural(s.panel, 'expert')}`;
  return [`${who} signalled `, inlineCode('[MOVE:CONVERGE]'), `. ${figures}`];
}
