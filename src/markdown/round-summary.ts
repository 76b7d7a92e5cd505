/**
 * `round-N/summary.md`: the facilitator's synthesis of one round, in the format of blue's
 * local-prod-parity summaries (seeds 000–002) plus the RFC 0057 velocity components.
 */
import type { RootContent } from 'mdast';
import { blockquote, heading, inlineCode, list, p, strong, tableOr, text } from './builders.ts';
import type { Inline } from './builders.ts';
import { percent, plural, roundLabel, signed, tensionStatusLong } from './format.ts';
import { stringifyMarkdown } from './processor.ts';
import type { PanelEvolution, PerspectiveRow, RoundSummaryView } from './views.ts';

/**
 * Renders a round summary. The second block is the metrics line
 * `**ALIGNMENT Score**: +S (Velocity: +V, Total: T) | **Panel**: N experts | **Status**: STATUS`,
 * which {@link parseSummaryMetrics} reads back. Sections with nothing to say are omitted
 * (constraint pivot, key question, panel evolution, absentees, notes); empty tables become a sentence.
 * `compact` leaves tables unpadded (the copy shown to experts in the next round's prompt).
 * @returns Markdown ending in one newline.
 */
export function renderRoundSummary(view: RoundSummaryView, opts: { compact?: boolean } = {}): string {
  const nodes = [
    heading(1, `Round ${view.round} Summary: ${view.title}`),
    metricsLine(view),
    ...constraintPivot(view.newConstraints),
    ...registered(view),
    ...camps(view),
    ...nextRound(view),
    ...absent(view),
    ...velocityComponents(view),
    ...notes(view.notes),
  ];
  return stringifyMarkdown(nodes, opts);
}

function metricsLine(view: RoundSummaryView): RootContent {
  return p(
    strong('ALIGNMENT Score'),
    `: ${signed(view.score)} (Velocity: ${signed(view.velocity)}, Total: ${view.total}) | `,
    strong('Panel'),
    `: ${plural(view.panelSize, 'expert')} | `,
    strong('Status'),
    `: ${view.status}`,
  );
}

function constraintPivot(constraints: string[]): RootContent[] {
  if (constraints.length === 0) return [];
  return [
    heading(2, 'Constraint Pivot'),
    p('New constraints were added before this round:'),
    list(true, constraints.map((c) => [c])),
    p('Resolutions reached in earlier rounds are re-examined under these constraints.'),
  ];
}

function perspectiveLabel(row: PerspectiveRow): string {
  if (row.duplicateOf !== undefined) return `${row.label} (same as ${row.duplicateOf})`;
  return row.refines === undefined ? row.label : `${row.label} (refines ${row.refines})`;
}

function registered(view: RoundSummaryView): RootContent[] {
  return [
    heading(2, 'Perspectives Registered'),
    tableOr(
      [null, null, null],
      ['ID', 'Perspective', 'Contributors'],
      view.perspectives.map((r) => [r.id, perspectiveLabel(r), r.contributors.join(', ')]),
      'No perspectives registered this round.',
    ),
    heading(2, 'Tensions'),
    tableOr(
      [null, null, null],
      ['ID', 'Tension', 'Status'],
      view.tensions.map((t) => [t.id, t.label, tensionStatusLong(t)]),
      'No tensions this round.',
    ),
    heading(2, 'Recommendations'),
    tableOr(
      [null, null, null],
      ['ID', 'Recommendation', 'From'],
      view.recommendations.map((r) => [r.id, r.label, r.from]),
      'None recorded this round.',
    ),
  ];
}

function camps(view: RoundSummaryView): RootContent[] {
  if (view.camps.length === 0) return [heading(2, 'Emerging Camps'), p('No distinct camps this round.')];
  return [
    heading(2, 'Emerging Camps'),
    ...view.camps.flatMap((camp) => [p(strong(`${camp.name} (${camp.members.join(', ')})`)), p(camp.stance)]),
  ];
}

function nextRound(view: RoundSummaryView): RootContent[] {
  const next = view.round + 1;
  const out: RootContent[] = [];
  if (view.keyQuestion !== null) {
    out.push(heading(2, `Key Question for Round ${next}`), blockquote(view.keyQuestion));
  }
  if (view.panelEvolution !== null) {
    out.push(heading(2, `Panel Evolution for Round ${next}`), ...evolution(view.panelEvolution));
  }
  return out;
}

function evolution(ev: PanelEvolution): RootContent[] {
  const group = (label: string, items: Inline[][]): RootContent[] =>
    items.length === 0 ? [p(strong(label), ': none')] : [p(strong(label)), list(false, items)];
  return [
    ...group('Retain', ev.retain.map((r) => [`${r.expert} — ${r.reason}`])),
    ...group('Rotate out', ev.rotateOut.map((r) => [`${r.expert} — ${r.reason}`])),
    ...group(
      'Add',
      ev.add.map((a) => [`${a.expert} (${a.role}, ${a.source === 'pool' ? 'from pool' : 'created'}) — ${a.reason}`]),
    ),
  ];
}

function absent(view: RoundSummaryView): RootContent[] {
  if (view.absent.length === 0) return [];
  return [heading(2, 'Absent This Round'), list(false, view.absent.map((a) => [`${a.expert} — ${a.reason}`]))];
}

function velocityComponents(view: RoundSummaryView): RootContent[] {
  const converged = view.signals.filter((s) => s.converged).length;
  const open = view.openTensions.length;
  const fresh = view.newPerspectives.length;
  const blocked = view.blocked.length === 0 ? 'No' : `Yes (${view.blocked.join('; ')})`;
  // Each table appears once: the open tensions and new perspectives are rows of the tables above,
  // so they are listed here by id (with who raised an open tension and when).
  const ids = (items: string[], none: string) => (items.length === 0 ? none : items.join(', '));
  return [
    heading(2, 'Velocity Components'),
    heading(3, `Open Tensions: ${open}`),
    p(ids(view.openTensions.map((t) => `${t.id} (${t.raisedBy}, ${roundLabel(t.raisedRound)}${t.status === 'reopened' ? ', reopened' : ''})`), 'No open tensions.')),
    heading(3, `New Perspectives This Round: ${fresh}`),
    p(ids(view.newPerspectives.map((r) => r.id), 'No new perspectives.')),
    heading(3, `Convergence Signals: ${converged}/${view.signals.length} (${percent(view.convergePercent)})`),
    tableOr(
      [null, null],
      ['Expert', 'Signal'],
      view.signals.map((s) => [s.expert, s.converged ? [inlineCode('[MOVE:CONVERGE]'), text(' ✓')] : '—']),
      'No signals recorded.',
    ),
    p(strong('Velocity'), `: ${view.velocity} (${plural(open, 'open tension')} + ${plural(fresh, 'new perspective')})`),
    p(strong('Converge %'), `: ${percent(view.convergePercent)}`),
    p(strong('Convergence Blocked'), `: ${blocked}`),
  ];
}

function notes(items: string[]): RootContent[] {
  if (items.length === 0) return [];
  return [heading(2, 'Facilitator Notes'), list(false, items.map((n) => [n]))];
}
