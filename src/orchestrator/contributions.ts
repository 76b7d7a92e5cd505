/**
 * Per-expert contributions to a dialogue, counted from the stored markers: the table a promoted
 * RFC carries (blue's RFC 0058 amendment lists each expert with the contribution that mattered).
 */
import type { ExpertContribution } from '../markdown/index.ts';
import { type DialogueData, display } from './data.ts';
import { tensionRows } from './views.ts';

/** How much the other experts engaged with each perspective: co-contributors plus cross-expert references. */
function engagement(data: DialogueData): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of data.perspectives) counts.set(p.id, (data.contributors.get(p.id)?.length ?? 1) - 1);
  for (const r of data.refs) if (r.target_id && r.cross_expert) counts.set(r.target_id, (counts.get(r.target_id) ?? 0) + 1);
  return counts;
}

/** Every expert who sat on a panel, in first-seat order, with what their markers added. Pure. */
export function expertContributions(data: DialogueData): ExpertContribution[] {
  const names = [...new Set([...data.panels.values()].flat().map((s) => s.expert))];
  const weights = engagement(data);
  const resolved = tensionRows(data).filter((t) => t.status === 'resolved');
  return names.map((name) => {
    const shown = display(data, name);
    const own = data.perspectives.filter((p) => p.expert === name && p.isNew);
    const top = [...own].sort((a, b) => (weights.get(b.id) ?? 0) - (weights.get(a.id) ?? 0))[0];
    return {
      expert: shown,
      role: data.experts.get(name)?.role ?? '',
      perspectives: own.length,
      tensionsRaised: data.tensions.filter((t) => t.raisedBy === name).length,
      tensionsResolved: resolved.filter((t) => (t.closedBy ?? []).some((c) => c === shown || c === name)).length,
      keyPerspective: top && (weights.get(top.id) ?? 0) > 0 ? `${top.id}: ${top.label}` : '',
    };
  });
}
