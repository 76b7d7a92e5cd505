/**
 * Reference resolution by what the expert saw (issue 8, item 1). In order: a global id; an id
 * printed in the prompt's table (mapped to an entity by label); an expert-qualified id
 * (`MUFFIN-T01`, `MUFFIN R1-T01`); a bare local id with no table → the writer's own earlier
 * entity. Entities of the current round are never targets: the expert could not have seen them,
 * and a response never resolves what it created.
 */
import type { EntityRef } from '../../experts/index.ts';
import { hasLocalTable, type RowMapping } from './prompt-table.ts';
import type { PlanPerspective, PlanTension } from './types.ts';

/** A resolved reference and the rule that resolved it; `target` null = unresolved (`reason` says why). */
export interface Resolution {
  target: string | null;
  owner: string | null;
  rule: 'global-id' | 'prompt-table' | 'expert-qualified' | 'own-earlier' | 'unresolved';
  reason: string;
}

/** What a reference is resolved against. */
export interface ResolveContext {
  writer: string;
  round: number;
  tensions: readonly PlanTension[];
  perspectives: readonly PlanPerspective[];
  /** The prompt's table rows, mapped to entities. */
  table: readonly RowMapping[];
}

interface Candidate {
  id: string;
  owner: string;
  round: number;
  local: string | null;
}

/** Resolves one reference; pure. */
export function resolveRef(ref: EntityRef, ctx: ResolveContext): Resolution {
  const pool: Candidate[] = (ref.type === 'T' ? ctx.tensions.map((t) => ({ id: t.id, owner: t.owner, round: t.round, local: t.localId })) : ctx.perspectives.map((p) => ({ id: p.id, owner: p.expert, round: p.round, local: p.localId }))).filter(
    (e) => e.round < ctx.round,
  );
  const hit = (e: Candidate | undefined, rule: Resolution['rule'], reason: string): Resolution =>
    e ? { target: e.id, owner: e.owner, rule, reason } : { target: null, owner: null, rule: 'unresolved', reason };
  if (ref.global) return hit(pool.find((e) => e.id === ref.global), 'global-id', `${ref.raw} is not a ${noun(ref)} of an earlier round`);
  if (!ref.local) return hit(undefined, 'unresolved', `${ref.raw} has no id`);
  if (ref.expert === undefined && ref.round === undefined && hasLocalTable(ctx.table.map((m) => m.row))) {
    const row = ctx.table.find((m) => m.row.id === ref.local && m.row.type === ref.type);
    if (!row) return hit(undefined, 'unresolved', `${ref.raw} is not in the prompt's table`);
    return hit(
      pool.find((e) => e.id === row.target),
      'prompt-table',
      `${ref.raw} is the prompt's row "${row.row.label}", which matches no registered ${noun(ref)}`,
    );
  }
  const owner = (ref.expert ?? ctx.writer).toLowerCase();
  const rule = ref.expert ? 'expert-qualified' : 'own-earlier';
  const found = pool.filter((e) => e.owner === owner && e.local === ref.local && (ref.round === undefined || e.round === ref.round)).at(-1);
  const whose = ref.expert ? `${owner}'s` : "the writer's own";
  return hit(found, rule, `${ref.raw}: ${whose} ${ref.local}${ref.round === undefined ? '' : ` of round ${ref.round}`} is not a ${noun(ref)} of an earlier round`);
}

function noun(ref: EntityRef): string {
  return ref.type === 'P' ? 'perspective' : 'tension';
}
