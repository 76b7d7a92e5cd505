/**
 * Registration of one round: parse every response, give perspectives and tensions their
 * global ids, resolve references (global ids, blue's `MUFFIN R1-T01`, a bare `T01`) and
 * apply resolutions, acceptances and concessions. Runs inside the caller's transaction.
 */
import { normaliseLabel } from '../core/index.ts';
import { parseResponse } from '../experts/markers.ts';
import type { EntityRef, LintFinding, Marker } from '../experts/types.ts';
import { type DialogueStore, type PerspectiveDbRow, type TensionDbRow, statusEventOf, statusOf } from '../store/index.ts';
import { globalId } from './ids.ts';

/** Counted events per expert in one round: the input of the ALIGNMENT rubric. */
export interface ExpertTally {
  expert: string;
  answered: boolean;
  newPerspectives: number;
  duplicatePerspectives: number;
  tensionsRaised: number;
  refinements: number;
  concessions: number;
  resolutions: number;
  acceptances: number;
  crossRefs: number;
  bridges: number;
  converged: boolean;
  dissent: boolean;
  wellFormedMarkers: number;
  errorFindings: number;
  withinQuota: boolean;
}

/** What registration produced for a round. */
export interface RegistrationResult {
  tallies: ExpertTally[];
  findings: (LintFinding & { expert: string })[];
}

interface Registry {
  perspectives: PerspectiveDbRow[];
  tensions: TensionDbRow[];
}

const QUOTA = { perspective: 2, tension: 1 };

/** What every registration step of one round works on. */
interface RoundScope {
  store: DialogueStore;
  id: string;
  round: number;
  registry: Registry;
  /** Sequence numbers handed out this round, per entity type. */
  counters: { P: number; T: number };
}

/**
 * Registers round `round` of dialogue `id` from its stored responses (previous registration
 * of the same round is cleared first, so it is idempotent).
 */
export function registerRound(store: DialogueStore, id: string, round: number): RegistrationResult {
  store.clearRegistration(id, round);
  const registry: Registry = { perspectives: store.perspectives(id), tensions: statusesBefore(store, id, round) };
  const responses = store.responses(id, round);
  const parsed = responses.map((r) => ({ expert: r.expert, ok: r.status === 'ok', ...parseResponse(r.status === 'ok' ? r.text : '') }));
  const tallies = new Map(parsed.map((p) => [p.expert, emptyTally(p.expert, p.ok)]));
  const findings: RegistrationResult['findings'] = [];
  const scope: RoundScope = { store, id, round, registry, counters: { P: 0, T: 0 } };

  // Pass 1: new entities, so same-round references can resolve.
  for (const p of parsed) {
    const tally = tallies.get(p.expert)!;
    for (const m of p.markers) {
      if (m.kind === 'perspective') registerPerspective(scope, p.expert, m, tally);
      if (m.kind === 'tension') registerTension(scope, p.expert, m, tally);
    }
  }
  // Pass 2: moves on existing entities.
  for (const p of parsed) {
    const tally = tallies.get(p.expert)!;
    const unresolved = (m: Marker, ref: EntityRef | undefined) =>
      findings.push({
        expert: p.expert,
        rule: 'unresolved-ref',
        severity: 'warning',
        message: `${m.kind} ${ref ? `reference ${ref.raw}` : `"${m.label.slice(0, 60)}"`} does not name a known ${ref?.type === 'P' ? 'perspective' : 'tension'}`,
        line: m.line,
        column: m.column,
      });
    for (const m of p.markers) applyMove(scope, p.expert, m, tally, unresolved);
    for (const f of p.findings) findings.push({ ...f, expert: p.expert });
    tally.wellFormedMarkers = p.markers.length;
    tally.errorFindings = p.findings.filter((f) => f.severity === 'error').length;
    tally.withinQuota =
      p.markers.filter((m) => m.kind === 'perspective').length <= QUOTA.perspective &&
      p.markers.filter((m) => m.kind === 'tension').length <= QUOTA.tension;
  }
  for (const f of findings) store.insertFinding(id, { round, expert: f.expert, rule: f.rule, severity: f.severity, message: f.message, line: f.line, col: f.column });
  store.rebuildTensionStatuses(id);
  return { tallies: [...tallies.values()], findings };
}

/** Tensions with their status as it stood before `round` (a re-judged round must not see later rounds). */
function statusesBefore(store: DialogueStore, id: string, round: number): TensionDbRow[] {
  const events = store.tensionEvents(id);
  return store.tensions(id).map((t) => ({ ...t, status: statusOf(statusEventOf(events, t.id, round - 1)) }));
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
    crossRefs: 0,
    bridges: 0,
    converged: false,
    dissent: false,
    wellFormedMarkers: 0,
    errorFindings: 0,
    withinQuota: true,
  };
}

function registerPerspective({ store, id, round, registry, counters }: RoundScope, expert: string, m: Marker, tally: ExpertTally): void {
  const norm = normaliseLabel(m.label);
  const dup = registry.perspectives.find((p) => p.norm_label === norm && norm !== '');
  const row: PerspectiveDbRow = {
    dialogue_id: id,
    id: globalId('P', round, ++counters.P),
    round,
    seq: counters.P,
    expert,
    local_id: m.localId ?? null,
    label: m.label,
    norm_label: norm,
    content: m.body,
    refines: null,
    duplicate_of: dup?.id ?? null,
    merge_reason: dup ? 'same normalised label' : null,
    is_new: dup ? 0 : 1,
  };
  store.insertPerspective(row);
  if (dup) store.addContributor(id, dup.id, expert, round);
  registry.perspectives.push(row);
  if (dup) tally.duplicatePerspectives++;
  else tally.newPerspectives++;
}

function registerTension({ store, id, round, registry, counters }: RoundScope, expert: string, m: Marker, tally: ExpertTally): void {
  const row: TensionDbRow = {
    dialogue_id: id,
    id: globalId('T', round, ++counters.T),
    round,
    seq: counters.T,
    raised_by: expert,
    local_id: m.localId ?? null,
    label: m.label,
    content: m.body,
    status: 'open',
    closed_round: null,
    resolution: null,
  };
  store.insertTension(row);
  store.addTensionEvent(id, row.id, round, expert, 'raised', m.label);
  registry.tensions.push(row);
  tally.tensionsRaised++;
}

function applyMove(scope: RoundScope, expert: string, m: Marker, tally: ExpertTally, unresolved: (m: Marker, ref: EntityRef | undefined) => void): void {
  const { store, id, round, registry } = scope;
  const text = [m.label, m.body].filter(Boolean).join(' — ');
  if (m.kind === 'converge') {
    store.insertSignal(id, { round, expert, kind: 'converge', text: m.label });
    tally.converged = true;
    return;
  }
  if (m.kind === 'dissent') {
    store.insertSignal(id, { round, expert, kind: 'dissent', text });
    tally.dissent = true;
    return;
  }
  if (m.kind === 'perspective' || m.kind === 'tension') return;
  const targets = m.refs.length > 0 ? m.refs.map((ref) => ({ ref, target: resolveRef(ref, expert, round, registry) })) : [];
  if (targets.length === 0 && (m.kind === 'resolved' || m.kind === 'accepted')) {
    const byLabel = matchTensionByLabel(m.label, registry);
    if (byLabel) targets.push({ ref: { raw: m.label, type: 'T' }, target: byLabel });
    else unresolved(m, undefined);
  }
  for (const { ref, target } of targets) {
    if (!target) {
      unresolved(m, ref);
      store.insertRef(id, { round, expert, kind: m.kind, target_id: null, raw: ref.raw, cross_expert: 0 });
      continue;
    }
    const cross = target.owner !== expert;
    store.insertRef(id, { round, expert, kind: m.kind, target_id: target.id, raw: ref.raw, cross_expert: cross ? 1 : 0 });
    if (cross) tally.crossRefs++;
    applyToTarget(scope, expert, m, target, text, tally);
  }
}

function applyToTarget({ store, id, round, registry }: RoundScope, expert: string, m: Marker, target: ResolvedTarget, text: string, tally: ExpertTally): void {
  const tension = registry.tensions.find((t) => t.id === target.id);
  switch (m.kind) {
    case 'resolved':
    case 'accepted': {
      if (!tension || tension.status === 'resolved' || tension.status === 'accepted') return;
      const status = m.kind === 'resolved' ? 'resolved' : 'accepted';
      store.setTensionStatus(id, tension.id, status, status, round, expert, text);
      tension.status = status;
      if (m.kind === 'resolved') tally.resolutions++;
      else tally.acceptances++;
      return;
    }
    case 'challenge': {
      // Challenging a closed tension reopens it: it counts as open again until re-resolved.
      if (!tension || (tension.status !== 'resolved' && tension.status !== 'accepted')) return;
      store.setTensionStatus(id, tension.id, 'reopened', 'reopened', round, expert, text);
      tension.status = 'reopened';
      return;
    }
    case 'concession':
      if (tension) store.addTensionEvent(id, tension.id, round, expert, 'conceded', text);
      tally.concessions++;
      return;
    case 'refinement':
      tally.refinements++;
      return;
    case 'bridge':
      tally.bridges++;
      return;
    default:
      return;
  }
}

interface ResolvedTarget {
  id: string;
  owner: string;
}

/**
 * Resolves a reference as written by `writer` in `round`:
 * a global id must exist; `MUFFIN R1-T01` is Muffin's local T01 of round 1 (latest earlier
 * round when no round is given); a bare `T01` is the writer's own earlier T01.
 */
export function resolveRef(ref: EntityRef, writer: string, round: number, registry: Registry): ResolvedTarget | null {
  const pool =
    ref.type === 'T'
      ? registry.tensions.map((t) => ({ id: t.id, owner: t.raised_by, round: t.round, local: t.local_id }))
      : registry.perspectives.map((p) => ({ id: p.id, owner: p.expert, round: p.round, local: p.local_id }));
  if (ref.global) {
    const hit = pool.find((e) => e.id === ref.global);
    return hit ? { id: hit.id, owner: hit.owner } : null;
  }
  if (!ref.local) return null;
  const owner = (ref.expert ?? writer).toLowerCase();
  // Local ids arrive normalised (`T1` → `T01`) from the marker parser, on both sides.
  const candidates = pool.filter((e) => e.owner === owner && e.local === ref.local && (ref.round === undefined || e.round === ref.round));
  const earlier = candidates.filter((e) => e.round < round);
  const hit = (earlier.length > 0 ? earlier : candidates).at(-1);
  return hit ? { id: hit.id, owner: hit.owner } : null;
}

/** An id-less `[RESOLVED: label]`: the single unclosed tension whose label it names. */
function matchTensionByLabel(label: string, registry: Registry): ResolvedTarget | null {
  const norm = normaliseLabel(label);
  if (norm.length < 8) return null;
  const open = registry.tensions.filter((t) => t.status === 'open' || t.status === 'reopened');
  const hits = open.filter((t) => {
    const tl = normaliseLabel(t.label);
    return tl.includes(norm) || norm.includes(tl);
  });
  return hits.length === 1 ? { id: hits[0]!.id, owner: hits[0]!.raised_by } : null;
}
