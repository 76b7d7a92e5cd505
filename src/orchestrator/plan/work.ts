/** The round planner's working state and the helpers every pass shares. */
import type { Marker } from '../../experts/index.ts';
import { statusOf } from '../../core/index.ts';
import { mapRows, type RowMapping } from './prompt-table.ts';
import type { ResolveContext } from './resolve.ts';
import { EVENT_OF } from './rules.ts';
import type { ExpertTally, PlanEvent, PlanFinding, PlanInput, PlanPerspective, PlanState, PlanTension, Span, StatusKind } from './types.ts';

/** The planner's working copy of one round. */
export interface Work {
  state: PlanState;
  perspectives: PlanPerspective[];
  tensions: PlanTension[];
  events: PlanEvent[];
  findings: PlanFinding[];
  tallies: Map<string, ExpertTally>;
  counters: { P: number; T: number };
}

/** The prompt's table rows mapped to registered entities; each mapping is recorded as a `prompt-table-row` link. */
export function tableOf(w: Work, input: PlanInput): RowMapping[] {
  const mapped = mapRows(input.promptRows, w.state.tensions, w.state.perspectives);
  for (const m of mapped) {
    if (m.row.id.length !== 3) continue;
    w.events.push({
      kind: 'link',
      rule: 'prompt-table-row',
      expert: input.expert,
      span: null,
      detail: `prompt row ${m.row.id} "${m.row.label}" (prompt line ${m.row.line})`,
      marker: 'prompt-table',
      raw: m.row.id,
      target: m.target,
      cross: false,
      similarity: m.similarity,
    });
  }
  return mapped;
}

/** What a reference of `writer` is resolved against, as the round stands now. */
export function ctxOf(w: Work, writer: string, table: readonly RowMapping[]): ResolveContext {
  return { writer, round: w.state.round, tensions: w.tensions, perspectives: w.perspectives, table };
}

/** A marker's 1-based source span. */
export const spanOf = (m: Marker): Span => ({ line: m.line, column: m.column });

/** Records a status change of `t` and applies it to the working copy (status from the store's one rule). */
export function setStatus(w: Work, kind: StatusKind, t: PlanTension, e: { rule: string; expert: string; span: Span | null; detail: string; by: string | null }): void {
  w.events.push({ kind, tension: t.id, ...e });
  t.status = statusOf({ event: EVENT_OF[kind] });
}

/** An `unresolved-ref` finding at the marker's line and column. */
export function unresolved(w: Work, expert: string, m: Marker, reason: string): void {
  w.findings.push({ expert, rule: 'unresolved-ref', severity: 'warning', message: `${m.kind}: ${reason}`, line: m.line, column: m.column });
}
