/**
 * Pass 1 of the planner: registration. New perspectives and tensions get global ids; a
 * restatement is merged (same-label, lexical-v1, judge), a converging response's perspectives are
 * confirmations, an owner's refining tension supersedes their earlier one, and a TENSION that
 * names an existing tension is a reference.
 */
import type { Marker } from '../../experts/index.ts';
import { isOpenStatus } from '../../core/index.ts';
import { globalId } from '../ids.ts';
import { LEXICAL_RULE, similarity } from './lexical.ts';
import { hasLocalTable, type RowMapping } from './prompt-table.ts';
import { type ResolveContext, resolveRef } from './resolve.ts';
import { mergeTarget, nearest, supersedes } from './rules.ts';
import type { JudgeProposals, PlanInput, PlanTension } from './types.ts';
import { type Work, ctxOf, setStatus, spanOf, unresolved } from './work.ts';

/** Least similarity for a converging confirmation to name the perspective it confirms. */
const CONFIRMS_NEAREST = 0.25;

/** Registers one response's perspectives and tensions (or records its TENSION mentions). */
export function registerAll(w: Work, input: PlanInput, table: readonly RowMapping[]): void {
  const markers = input.parsed.markers;
  const ctx = ctxOf(w, input.expert, table);
  const mentions = new Map(markers.filter((m) => m.kind === 'tension').map((m) => [m, mentionOf(w, m, ctx)]));
  const converging = markers.some((m) => m.kind === 'converge');
  const raises = markers.some((m) => m.kind === 'tension' && mentions.get(m) === null);
  const targets = (kinds: readonly string[]) =>
    new Set(
      markers
        .filter((m) => kinds.includes(m.kind))
        .flatMap((m) => m.refs.map((r) => resolveRef(r, ctx)))
        .filter((r) => r.target && r.owner === input.expert)
        .map((r) => r.target!),
    );
  // Own earlier tensions this response refines by id: a new tension of theirs supersedes them,
  // unless the same response closes them (then the closing move decides).
  const closedHere = targets(['resolved', 'accepted', 'deferred']);
  const refined = new Set([...targets(['refinement'])].filter((t) => !closedHere.has(t)));
  for (const m of markers) {
    if (m.kind === 'perspective') registerPerspective(w, input.expert, m, converging && !raises);
    if (m.kind !== 'tension') continue;
    const mention = mentions.get(m);
    if (mention === null) registerTension(w, input.expert, m, refined, closedHere);
    else if (mention) recordMention(w, input.expert, m, mention);
  }
}

interface Mention {
  raw: string;
  target: string | null;
  owner: string | null;
  rule: string;
  reason: string;
}

/**
 * A TENSION marker that names an existing tension is a reference: `T01-RESPONSE`, a global id,
 * or a local id printed in the prompt's table (other than T01, or T01 with the row's label).
 * Null = a new tension.
 */
function mentionOf(w: Work, m: Marker, ctx: ResolveContext): Mention | null {
  const ref = m.refs[0];
  if (m.mentions && ref) {
    const r = resolveRef(ref, ctx);
    return { raw: ref.raw, target: r.target, owner: r.owner, rule: r.rule, reason: r.reason };
  }
  if (!m.localId || !hasLocalTable(ctx.table.map((t) => t.row))) return null;
  const row = ctx.table.find((t) => t.row.type === 'T' && t.row.id === m.localId);
  if (!row?.target) return null;
  const same = similarity({ label: m.label, body: '' }, { label: row.row.label, body: '' });
  if (m.localId === 'T01' && same < w.state.settings.supersedeThreshold) return null;
  const owner = w.tensions.find((t) => t.id === row.target)?.owner ?? null;
  return { raw: m.localId, target: row.target, owner, rule: 'prompt-table', reason: '' };
}

function recordMention(w: Work, expert: string, m: Marker, mention: Mention): void {
  const cross = mention.owner !== null && mention.owner !== expert;
  w.events.push({ kind: 'link', rule: `tension-names-existing/${mention.rule}`, expert, span: spanOf(m), detail: m.label, marker: 'tension', raw: mention.raw, target: mention.target, cross });
  if (!mention.target) unresolved(w, expert, m, mention.reason);
  else if (cross) w.tallies.get(expert)!.crossRefs++;
}

/** A converging expert's perspective confirms earlier work; the first round has none to confirm. */
function confirms(w: Work, confirming: boolean): boolean {
  return confirming && w.state.round > 0 && w.state.settings.confirmOnConverge;
}

function registerPerspective(w: Work, expert: string, m: Marker, confirming: boolean): void {
  const round = w.state.round;
  const id = globalId('P', round, ++w.counters.P);
  const tally = w.tallies.get(expert)!;
  const canonical = w.perspectives.filter((p) => p.duplicateOf === null || p.confirmation).map((p) => ({ id: p.id, label: p.label, body: p.body }));
  const item = { label: m.label, body: m.body };
  const base = { expert, span: spanOf(m) };
  w.events.push({ kind: 'register', rule: 'marker', ...base, detail: m.label, entity: 'P', id, localId: m.localId ?? null, label: m.label, body: m.body });
  const hit = mergeTarget(item, canonical, w.state.settings.mergeThreshold);
  let into: string | null = null;
  if (hit) {
    into = hit.into;
    w.events.push({ kind: 'merge', rule: hit.rule, ...base, detail: `restates ${hit.into}`, entity: 'P', id, into, similarity: hit.similarity, threshold: w.state.settings.mergeThreshold });
  } else if (confirms(w, confirming)) {
    const near = nearest(item, canonical);
    into = near && near.similarity >= CONFIRMS_NEAREST ? near.id : null;
    const detail = `written with [MOVE:CONVERGE] and no tension: a confirmation${into ? ` (nearest ${into})` : ''}`;
    w.events.push({ kind: 'merge', rule: 'converging-confirmation', ...base, detail, entity: 'P', id, into, similarity: near?.similarity ?? null, threshold: CONFIRMS_NEAREST });
  }
  const confirmation = !hit && confirms(w, confirming);
  const isNew = !hit && !confirmation;
  w.perspectives.push({ id, round, expert, localId: m.localId ?? null, label: m.label, body: m.body, duplicateOf: isNew ? null : (into ?? id), isNew, confirmation });
  if (isNew) tally.newPerspectives++;
  else tally.duplicatePerspectives++;
}

function registerTension(w: Work, expert: string, m: Marker, refined: ReadonlySet<string>, closedHere: ReadonlySet<string>): void {
  const round = w.state.round;
  const id = globalId('T', round, ++w.counters.T);
  const s = w.state.settings;
  const base = { expert, span: spanOf(m) };
  w.events.push({ kind: 'register', rule: 'marker', ...base, detail: m.label, entity: 'T', id, localId: m.localId ?? null, label: m.label, body: m.body });
  w.tallies.get(expert)!.tensionsRaised++;
  const item = { label: m.label, body: m.body };
  const text = (t: PlanTension) => ({ id: t.id, label: t.label, body: t.body });
  const others = w.tensions.filter((t) => t.owner !== expert && isOpenStatus(t.status)).map(text);
  const dup = mergeTarget(item, others, s.mergeThreshold);
  const tension: PlanTension = { id, round, owner: expert, localId: m.localId ?? null, label: m.label, body: m.body, status: 'open' };
  w.tensions.push(tension);
  if (dup) {
    w.events.push({ kind: 'merge', rule: dup.rule, ...base, detail: `duplicates ${dup.into}`, entity: 'T', id, into: dup.into, similarity: dup.similarity, threshold: s.mergeThreshold });
    setStatus(w, 'supersede', tension, { rule: dup.rule, ...base, detail: `merged into ${dup.into}`, by: dup.into });
    return;
  }
  const own = w.tensions.filter((t) => t.owner === expert && t.round < round && isOpenStatus(t.status) && !closedHere.has(t.id)).map(text);
  for (const hit of supersedes(item, own, refined, s.supersedeThreshold)) {
    const old = w.tensions.find((t) => t.id === hit.tension)!;
    const how = hit.similarity === null ? 'refined by id in the same response' : `similarity ${hit.similarity} ≥ ${s.supersedeThreshold} (${LEXICAL_RULE})`;
    setStatus(w, 'supersede', old, { rule: hit.rule, ...base, detail: `${id} supersedes it: ${how}`, by: id });
  }
}

/** Applies one judge merge of a perspective registered this round, with the judge's reason (rule `judge`). */
export function judgeMerge(w: Work, merge: JudgeProposals['merges'][number]): void {
  const p = w.perspectives.find((x) => x.id === merge.perspective);
  const into = w.perspectives.find((x) => x.id === merge.into);
  if (!p || !into || p.round !== w.state.round || !p.isNew || into.id === p.id || w.perspectives.indexOf(into) > w.perspectives.indexOf(p)) return;
  w.events.push({ kind: 'merge', rule: 'judge', expert: p.expert, span: null, detail: merge.reason, entity: 'P', id: p.id, into: into.id, similarity: null, threshold: null });
  p.isNew = false;
  p.duplicateOf = into.id;
  const tally = w.tallies.get(p.expert);
  if (tally) {
    tally.newPerspectives--;
    tally.duplicatePerspectives++;
  }
}
