/**
 * `planRound(state, responses, judgeProposals) → RoundPlan`: the pure round planner. Pass 1
 * registers perspectives and tensions (merging restatements, superseding an owner's refined
 * tension); the judge's merges follow; pass 2 applies moves on entities of earlier rounds; last,
 * each expert's tally becomes a `score` event. Nothing here touches the store.
 */
import type { Marker } from '../../experts/types.ts';
import { isOpenStatus, statusOf } from '../../store/index.ts';
import { globalId } from '../ids.ts';
import { LEXICAL_RULE, similarity } from './lexical.ts';
import { type RowMapping, hasLocalTable, mapRows, promptRows } from './prompt-table.ts';
import { type ResolveContext, resolveRef } from './resolve.ts';
import { EVENT_OF, mergeTarget, namedTension, nearest, statusChange, supersedes } from './rules.ts';
import type {
  ExpertTally,
  JudgeProposals,
  PlanEvent,
  PlanFinding,
  PlanInput,
  PlanPerspective,
  PlanState,
  PlanTension,
  RoundPlan,
  Span,
  StatusKind,
} from './types.ts';

const QUOTA = { perspective: 2, tension: 1 };
/** Least similarity for a converging confirmation to name the perspective it confirms. */
const CONFIRMS_NEAREST = 0.25;

/** The planner's working copy of one round. */
interface Work {
  state: PlanState;
  perspectives: PlanPerspective[];
  tensions: PlanTension[];
  events: PlanEvent[];
  findings: PlanFinding[];
  tallies: Map<string, ExpertTally>;
  counters: { P: number; T: number };
}

/**
 * Plans round `state.round` from its responses (in seat order). Pure and deterministic: the same
 * inputs give the same ids, events and tallies.
 */
export function planRound(state: PlanState, inputs: readonly PlanInput[], judge: JudgeProposals = { merges: [] }): RoundPlan {
  const w: Work = {
    state,
    perspectives: state.perspectives.map((p) => ({ ...p })),
    tensions: state.tensions.map((t) => ({ ...t })),
    events: [],
    findings: [],
    tallies: new Map(inputs.map((i) => [i.expert, emptyTally(i.expert, i.answered)])),
    counters: { P: 0, T: 0 },
  };
  const tables = new Map(inputs.map((i) => [i.expert, tableOf(w, i)]));
  for (const input of inputs) registerAll(w, input, tables.get(input.expert)!);
  for (const merge of judge.merges) judgeMerge(w, merge);
  // Explicit ids first, so an inferred link never pre-empts a resolution someone wrote by id.
  for (const input of inputs) applyMoves(w, input, tables.get(input.expert)!);
  for (const input of inputs) for (const m of input.parsed.markers) if (m.refs.length === 0) idLess(w, input.expert, m);
  if (state.settings.ownerConvergeAccepts) for (const input of inputs) ownerConverged(w, input);
  for (const input of inputs) {
    const tally = w.tallies.get(input.expert)!;
    const m = input.parsed.markers;
    tally.wellFormedMarkers = m.length;
    tally.errorFindings = input.parsed.findings.filter((f) => f.severity === 'error').length;
    tally.withinQuota = m.filter((x) => x.kind === 'perspective').length <= QUOTA.perspective && m.filter((x) => x.kind === 'tension' && !x.mentions).length <= QUOTA.tension;
    w.findings.push(...input.parsed.findings.map((f) => ({ ...f, expert: input.expert })));
    w.events.push({ kind: 'score', rule: 'rubric-v1', expert: input.expert, span: null, detail: '', tally: { ...tally } });
  }
  w.findings.sort((a, b) => inputs.findIndex((i) => i.expert === a.expert) - inputs.findIndex((i) => i.expert === b.expert) || a.line - b.line || a.column - b.column);
  return { round: state.round, events: w.events, findings: w.findings, tallies: [...w.tallies.values()] };
}

/** A tally with nothing counted yet. */
export function emptyTally(expert: string, answered: boolean): ExpertTally {
  return {
    expert,
    answered,
    newPerspectives: 0,
    duplicatePerspectives: 0,
    tensionsRaised: 0,
    refinements: 0,
    concessions: 0,
    resolutions: 0,
    acceptances: 0,
    deferrals: 0,
    crossRefs: 0,
    bridges: 0,
    converged: false,
    dissent: false,
    wellFormedMarkers: 0,
    errorFindings: 0,
    withinQuota: true,
  };
}

function tableOf(w: Work, input: PlanInput): RowMapping[] {
  const mapped = mapRows(promptRows(input.prompt), w.state.tensions, w.state.perspectives);
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

function ctxOf(w: Work, writer: string, table: readonly RowMapping[]): ResolveContext {
  return { writer, round: w.state.round, tensions: w.tensions, perspectives: w.perspectives, table };
}

const spanOf = (m: Marker): Span => ({ line: m.line, column: m.column });

// --- pass 1: registration ------------------------------------------------------------------

function registerAll(w: Work, input: PlanInput, table: readonly RowMapping[]): void {
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
  } else if (confirming && w.state.settings.confirmOnConverge) {
    const near = nearest(item, canonical);
    into = near && near.similarity >= CONFIRMS_NEAREST ? near.id : null;
    const detail = `written with [MOVE:CONVERGE] and no tension: a confirmation${into ? ` (nearest ${into})` : ''}`;
    w.events.push({ kind: 'merge', rule: 'converging-confirmation', ...base, detail, entity: 'P', id, into, similarity: near?.similarity ?? null, threshold: CONFIRMS_NEAREST });
  }
  const confirmation = !hit && confirming && w.state.settings.confirmOnConverge;
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

function judgeMerge(w: Work, merge: JudgeProposals['merges'][number]): void {
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

// --- pass 2: moves ---------------------------------------------------------------------------

function applyMoves(w: Work, input: PlanInput, table: readonly RowMapping[]): void {
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
function idLess(w: Work, expert: string, m: Marker): void {
  if (m.refs.length > 0) return;
  const closable = m.kind === 'resolved' || m.kind === 'accepted' || m.kind === 'deferred';
  if (!closable && m.kind !== 'concession') return;
  const visible = w.tensions.filter((t) => t.round < w.state.round && isOpenStatus(t.status));
  const candidates = (m.kind === 'concession' ? visible.filter((t) => t.owner !== expert) : visible).map((t) => ({ id: t.id, label: t.label, body: t.body, owner: t.owner }));
  const text = m.kind === 'concession' ? `${m.label}\n${m.body}` : m.label;
  const hit = namedTension(text, candidates);
  const usable = hit && (m.kind === 'concession' || hit.rule === 'names-label');
  if (!usable) {
    if (closable) unresolved(w, expert, m, `[${m.kind.toUpperCase()}: ${m.label.slice(0, 50)}] has no id and its label names no open tension`);
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
function ownerConverged(w: Work, input: PlanInput): void {
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

function setStatus(w: Work, kind: StatusKind, t: PlanTension, e: { rule: string; expert: string; span: Span | null; detail: string; by: string | null }): void {
  w.events.push({ kind, tension: t.id, ...e });
  t.status = statusOf({ event: EVENT_OF[kind] });
}

function unresolved(w: Work, expert: string, m: Marker, reason: string): void {
  w.findings.push({ expert, rule: 'unresolved-ref', severity: 'warning', message: `${m.kind}: ${reason}`, line: m.line, column: m.column });
}
