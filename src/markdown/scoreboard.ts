/**
 * `scoreboard.md`: the per-round ALIGNMENT table (blue's RFC 0057 columns), totals, the
 * per-expert table and a Mermaid `xychart-beta` of velocity and converge % by round.
 */
import type { AlignType, RootContent, Table } from 'mdast';
import { code, heading, p, strong, table } from './builders.ts';
import type { CellContent } from './builders.ts';
import { outcomeLabel, percent, roundLabel, wctr } from './format.ts';
import { stringifyMarkdown } from './processor.ts';
import type { ExpertScoreRow, ScoreboardView, ScoreRow } from './views.ts';

const SCORE_HEADER = ['Round', 'W', 'C', 'T', 'R', 'Score', 'Σ', 'Open T', 'New P', 'Velocity', 'Converge %'];

/** Renders `scoreboard.md`: `# Scoreboard: <title>` followed by {@link scoreboardBody} at depth 2. */
export function renderScoreboard(view: ScoreboardView): string {
  return stringifyMarkdown([heading(1, `Scoreboard: ${view.title}`), ...scoreboardBody(view, 2)]);
}

/**
 * The scoreboard without its title, with sub-headings at `depth` (2 in `scoreboard.md`,
 * 3 under the recorded dialogue's `## Final Scoreboard`).
 */
export function scoreboardBody(view: ScoreboardView, depth: number): RootContent[] {
  return [
    view.rows.length === 0 ? p('No rounds scored yet.') : scoreTable(view.rows),
    ...totals(view),
    heading(depth, 'Per Expert'),
    expertTable(view.rows.length, view.experts),
    heading(depth, 'Velocity and Convergence'),
    view.rows.length === 0 ? p('No rounds scored yet.') : code('mermaid', chart(view.rows)),
  ];
}

/** Cells of one score row, in {@link SCORE_HEADER} order. */
function scoreCells(r: ScoreRow): CellContent[] {
  return [
    roundLabel(r.round),
    ...[r.wisdom, r.consistency, r.truth, r.relationships, r.score, r.cumulative, r.openTensions, r.newPerspectives, r.velocity].map(String),
    percent(r.convergePercent),
  ];
}

/** The per-round score table for the given rows (numbers right-aligned). */
export function scoreTable(rows: ScoreRow[]): Table {
  const align: AlignType[] = SCORE_HEADER.map((_, i) => (i === 0 ? null : 'right'));
  return table(align, SCORE_HEADER, rows.map(scoreCells));
}

function totals(view: ScoreboardView): RootContent[] {
  const sum = (pick: (r: ScoreRow) => number): number => view.rows.reduce((acc, r) => acc + pick(r), 0);
  const t = {
    wisdom: sum((r) => r.wisdom),
    consistency: sum((r) => r.consistency),
    truth: sum((r) => r.truth),
    relationships: sum((r) => r.relationships),
  };
  return [
    p(strong('Total ALIGNMENT'), `: ${sum((r) => r.score)} (${wctr(t)})`),
    p(strong('Max Rounds'), `: ${view.maxRounds}`),
    p(strong('Outcome'), `: ${outcomeText(view)}`),
  ];
}

function outcomeText(view: ScoreboardView): string {
  const last = view.rows.at(-1);
  if (last === undefined || view.outcome === 'open') return outcomeLabel(view.outcome);
  return `${outcomeLabel(view.outcome)} after ${roundLabel(last.round)} (velocity ${last.velocity}, converge ${percent(last.convergePercent)})`;
}

function expertTable(roundCount: number, experts: ExpertScoreRow[]): RootContent {
  if (experts.length === 0) return p('No expert scores yet.');
  const columns = Math.max(roundCount, ...experts.map((e) => e.byRound.length));
  const rounds = Array.from({ length: columns }, (_, i) => roundLabel(i));
  const mixed = experts.some((e) => e.model !== undefined);
  const align: AlignType[] = [null, null, ...(mixed ? [null] : []), ...rounds.map((): AlignType => 'right'), 'right'];
  const rows = experts.map((e): CellContent[] => [
    e.expert,
    e.role,
    ...(mixed ? [e.model ?? '—'] : []),
    ...rounds.map((_, i) => {
      const v = e.byRound[i];
      return v === null || v === undefined ? '—' : String(v);
    }),
    String(e.total),
  ]);
  return table(align, ['Expert', 'Role', ...(mixed ? ['Model'] : []), ...rounds, 'Total'], rows);
}

/**
 * Mermaid `xychart-beta` source: converge % as bars, velocity as a line on top, one x value
 * per round (syntax: mermaid.js.org/syntax/xyChart). The y-axis spans 0..100, widened to fit
 * any velocity outside it. Titles avoid
 * `%` and quotes, which Mermaid treats specially.
 */
function chart(rows: ScoreRow[]): string {
  const max = Math.max(100, ...rows.map((r) => r.velocity));
  const min = Math.min(0, ...rows.map((r) => r.velocity));
  return [
    'xychart-beta',
    '    title "Velocity and convergence by round"',
    `    x-axis [${rows.map((r) => roundLabel(r.round)).join(', ')}]`,
    `    y-axis "Velocity, converge percent" ${min} --> ${max}`,
    `    bar [${rows.map((r) => r.convergePercent).join(', ')}]`,
    `    line [${rows.map((r) => r.velocity).join(', ')}]`,
  ].join('\n');
}
