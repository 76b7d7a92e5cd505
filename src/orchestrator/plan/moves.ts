/**
 * Pass 2 of the planner: moves on entities of earlier rounds. Explicit ids first, then id-less
 * moves named by label or owner, then owners who converged with their own tension open.
 */
import type { Marker } from '../../experts/index.ts';
import { isOpenStatus } from '../../core/index.ts';
import type { RowMapping } from './prompt-table.ts';
import { resolveRef } from './resolve.ts';
import { namedTension, statusChange } from './rules.ts';
import type { PlanInput, PlanTension } from './types.ts';
import { type Work, ctxOf, setStatus, spanOf, unresolved } from './work.ts';

/** Applies one response's moves that carry ids: links (with the resolution rule), status changes, tallies. */
export function applyMoves(w: Work, input: PlanInput, table: readonly RowMapping[]): void {
  const ctx = ctxOf(w, input.expert, table);
  const tally = w.tallies.get(input.expert)!;
  for (const m of input.parsed.markers) {
    if (m.kind === 'perspective' || m.kind === 'tension') continue;
    if (m.kind === 'converge' || m.kind === 'dissent') {
      w.events.push({ kind: 'signal', rule: 'marker', expert: input.expert, span: spanOf(m), detail: m.label, signal: m.kind });
      if (m.kind === 'converge') tally.converged = true;
      else tally.dissent = true;
      continue;
    }
    if (m.kind === 'concession') tally.concessions++;
    for (const ref of m.refs) {
      const r = resolveRef(ref, ctx);
      const cross = r.owner !== null && r.owner !== input.expert;
      w.events.push({ kind: 'link', rule: r.rule, expert: input.expert, span: spanOf(m), detail: m.label, marker: m.kind, raw: ref.raw, target: r.target, cross });
      if (!r.target) {
        unresolved(w, input.expert, m, r.reason);
        continue;
      }
      if (cross) tally.crossRefs++;
      if (m.kind === 'refinement') tally.refinements++;
      if (m.kind === 'bridge') tally.bridges++;
      const t = w.tensions.find((x) => x.id === r.target);
      if (t) moveOnTension(w, input.expert, m, t, m.kind === 'concession' ? 'concession-settles' : `${m.kind}-marker`);
    }
  }
}

/** An id-less RESOLVED / ACCEPTED / DEFERRED names its tension by label; a concession by owner or label. */
export function idLess(w: Work, expert: string, m: Marker): void {
  if (m.refs.length > 0) return;
  const closable = m.kind === 'resolved' || m.kind === 'accepted' || m.kind === 'deferred';
  if (!closable && m.kind !== 'concession') return;
  const visible = w.tensions.filter((t) => t.round < w.state.round && isOpenStatus(t.status));
  const candidates = (m.kind === 'concession' ? visible.filter((t) => t.owner !== expert) : visible).map((t) => ({ id: t.id, label: t.label, body: t.body, owner: t.owner }));
  const text = m.kind === 'concession' ? `${m.label}\n${m.body}` : m.label;
  const hit = namedTension(text, candidates);
  const usable = hit && (m.kind === 'concession' || hit.rule === 'names-label');
  if (!usable) {
    if (!closable) return;
    w.events.push({ kind: 'link', rule: 'names-label', expert, span: spanOf(m), detail: m.label, marker: m.kind, raw: m.label, target: null, cross: false });
    unresolved(w, expert, m, `[${m.kind.toUpperCase()}: ${m.label.slice(0, 50)}] has no id and its label names no open tension`);
    return;
  }
  const t = w.tensions.find((x) => x.id === hit.tension)!;
  const cross = t.owner !== expert;
  w.events.push({ kind: 'link', rule: hit.rule, expert, span: spanOf(m), detail: `${m.label} (label share ${hit.share})`, marker: m.kind, raw: m.label, target: t.id, cross });
  if (cross) w.tallies.get(expert)!.crossRefs++;
  if (m.kind !== 'concession' || hit.rule === 'names-owner-and-label') moveOnTension(w, expert, m, t, m.kind === 'concession' ? 'concession-settles' : `${m.kind}-by-label`);
}

/**
 * `owner-converged`: an expert who signals [MOVE:CONVERGE] ("no remaining objection") without a
 * new tension or a dissent accepts their own still-open tensions of earlier rounds as they stand.
 * Not scored: nobody wrote an acceptance.
 */
export function ownerConverged(w: Work, input: PlanInput): void {
  const markers = input.parsed.markers;
  const signal = markers.find((m) => m.kind === 'converge');
  if (!signal || markers.some((m) => m.kind === 'dissent' || m.kind === 'tension')) return;
  for (const t of w.tensions) {
    if (t.owner !== input.expert || t.round >= w.state.round || !isOpenStatus(t.status)) continue;
    setStatus(w, 'accept', t, { rule: 'owner-converged', expert: input.expert, span: spanOf(signal), detail: `its owner signalled [MOVE:CONVERGE] with it still open`, by: null });
  }
}

/** Applies a move's status change (if any) to a tension of an earlier round. */
function moveOnTension(w: Work, expert: string, m: Marker, t: PlanTension, rule: string): void {
  const kind = m.kind === 'concession' ? (isOpenStatus(t.status) ? 'resolve' : null) : statusChange(m.kind, t.status);
  if (!kind) return;
  setStatus(w, kind, t, { rule, expert, span: spanOf(m), detail: [m.label, m.body].filter(Boolean).join(' — '), by: null });
  const tally = w.tallies.get(expert)!;
  if (m.kind === 'concession') return;
  if (kind === 'resolve') tally.resolutions++;
  if (kind === 'accept') tally.acceptances++;
  if (kind === 'defer') tally.deferrals++;
}

