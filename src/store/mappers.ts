/**
 * Rows ↔ domain (core/domain.ts) at the store boundary: the only place that knows a column's
 * name. Read mappers take a row as SQLite returns it; write mappers give the row the store's
 * named parameters bind. A tension's stored `status`, `closed_round` and `resolution` are never
 * read: they repeat what its events say (core's `withTensionState` derives them).
 */
import { type Expert, type Perspective, type Round, type JudgedRound, type TensionEvent, type TensionRecord, tensionState } from '../core/index.ts';
import type { ExpertRow, PerspectiveDbRow, RoundRow, TensionDbRow, TensionEventRow } from './dialogues.ts';

/** A `rounds` row as a {@link Round}. */
export function toRound(r: RoundRow): Round {
  return {
    dialogueId: r.dialogue_id,
    round: r.round,
    status: r.status,
    panelSize: r.panel_size,
    openTensions: r.open_tensions,
    newPerspectives: r.new_perspectives,
    convergeSignals: r.converge_signals,
    convergePercent: r.converge_percent,
    velocity: r.velocity,
    wisdom: r.wisdom,
    consistency: r.consistency,
    truth: r.truth,
    relationships: r.relationships,
    score: r.score,
    synthesisJson: r.synthesis_json,
    startedAt: r.started_at,
    judgedAt: r.judged_at,
    cacheNote: r.cache_note ?? null,
  };
}

/** The `rounds` columns judging sets, from {@link JudgedRound}. */
export function roundMetricsRow(m: JudgedRound): Omit<RoundRow, 'started_at' | 'status' | 'cache_note'> {
  return {
    dialogue_id: m.dialogueId,
    round: m.round,
    panel_size: m.panelSize,
    open_tensions: m.openTensions,
    new_perspectives: m.newPerspectives,
    converge_signals: m.convergeSignals,
    converge_percent: m.convergePercent,
    velocity: m.velocity,
    wisdom: m.wisdom,
    consistency: m.consistency,
    truth: m.truth,
    relationships: m.relationships,
    score: m.score,
    synthesis_json: m.synthesisJson,
    judged_at: m.judgedAt,
  };
}

/** An `experts` row as an {@link Expert}. */
export function toExpert(r: ExpertRow): Expert {
  return { dialogueId: r.dialogue_id, name: r.name, display: r.display, role: r.role, tier: r.tier, relevance: r.relevance, focus: r.focus, firstRound: r.first_round };
}

/** The `experts` row of an {@link Expert}. */
export function expertRow(e: Expert): ExpertRow {
  return { dialogue_id: e.dialogueId, name: e.name, display: e.display, role: e.role, tier: e.tier, relevance: e.relevance, focus: e.focus, first_round: e.firstRound };
}

/** A `perspectives` row as a {@link Perspective} (SQLite's 0/1 `is_new` as a boolean). */
export function toPerspective(r: PerspectiveDbRow): Perspective {
  return {
    dialogueId: r.dialogue_id,
    id: r.id,
    round: r.round,
    seq: r.seq,
    expert: r.expert,
    localId: r.local_id,
    label: r.label,
    normLabel: r.norm_label,
    content: r.content,
    refines: r.refines,
    duplicateOf: r.duplicate_of,
    mergeReason: r.merge_reason,
    isNew: Boolean(r.is_new),
  };
}

/** The `perspectives` row of a {@link Perspective}. */
export function perspectiveRow(p: Perspective): PerspectiveDbRow {
  return {
    dialogue_id: p.dialogueId,
    id: p.id,
    round: p.round,
    seq: p.seq,
    expert: p.expert,
    local_id: p.localId,
    label: p.label,
    norm_label: p.normLabel,
    content: p.content,
    refines: p.refines,
    duplicate_of: p.duplicateOf,
    merge_reason: p.mergeReason,
    is_new: p.isNew,
  };
}

/** A `tensions` row as a {@link TensionRecord}: its status columns are left unread (see the file comment). */
export function toTensionRecord(r: TensionDbRow): TensionRecord {
  return { dialogueId: r.dialogue_id, id: r.id, round: r.round, seq: r.seq, raisedBy: r.raised_by, localId: r.local_id, label: r.label, content: r.content };
}

/** The `tensions` row of a newly raised tension: open, as a tension with no deciding event is. */
export function tensionRow(t: TensionRecord): TensionDbRow {
  const s = tensionState(undefined);
  return {
    dialogue_id: t.dialogueId,
    id: t.id,
    round: t.round,
    seq: t.seq,
    raised_by: t.raisedBy,
    local_id: t.localId,
    label: t.label,
    content: t.content,
    status: s.status,
    closed_round: s.closedRound,
    resolution: s.resolution,
  };
}

/** A `tension_events` row as a {@link TensionEvent}. */
export function toTensionEvent(r: TensionEventRow): TensionEvent {
  return { seq: r.seq, dialogueId: r.dialogue_id, tensionId: r.tension_id, round: r.round, expert: r.expert, event: r.event, text: r.text };
}
