/**
 * A tension's status: store keeps it, orchestrator decides it, markdown renders it, so it lives
 * below all three. `deferred` (ACKNOWLEDGED / DEFER / DEFER-TO-RFC) and `superseded` (refined by
 * its owner's later tension, or merged into a duplicate) are out of the open count.
 */
export type TensionStatus = 'open' | 'resolved' | 'accepted' | 'reopened' | 'deferred' | 'superseded';

/** True for a status that counts as open (velocity, key question, next prompt, tensions.md). */
export function isOpenStatus(status: string): boolean {
  return status === 'open' || status === 'reopened';
}

/** What can happen to a tension (`tension_events.event`). */
export type TensionEventKind = 'raised' | 'resolved' | 'accepted' | 'reopened' | 'conceded' | 'deferred' | 'superseded';

/** A tension lifecycle event: who did what to which tension in which round, and the text that did it. */
export interface TensionEvent {
  /** Write order within the database (ties within a round are broken by it). */
  seq: number;
  dialogueId: string;
  tensionId: string;
  /** 0-based round of the event. */
  round: number;
  /** Slug of the expert whose answer caused it. */
  expert: string;
  event: TensionEventKind;
  text: string;
}

/** A tension's state: its status, and for a closing status the round and text that closed it. */
export interface TensionState {
  status: TensionStatus;
  /** 0-based round of the closing event; null while open or reopened. */
  closedRound: number | null;
  /** The closing event's text; null while open or reopened. */
  resolution: string | null;
}

/** Events that decide a tension's status, and the status each gives. The one status rule. */
export const STATUS_OF_EVENT: Readonly<Partial<Record<TensionEventKind, TensionStatus>>> = Object.freeze({
  resolved: 'resolved',
  accepted: 'accepted',
  reopened: 'reopened',
  deferred: 'deferred',
  superseded: 'superseded',
});

/** True for a status that closes a tension with a recorded outcome (closed round and text). */
export function isClosingStatus(status: string): boolean {
  return status === 'resolved' || status === 'accepted' || status === 'deferred' || status === 'superseded';
}

/**
 * Each tension's deciding event as of `uptoRound` (inclusive), all at once: the last event in
 * {@link STATUS_OF_EVENT}, in round then write order, keyed by tension id. Absent = never closed.
 */
export function statusEvents(events: readonly TensionEvent[], uptoRound = Number.MAX_SAFE_INTEGER): Map<string, TensionEvent> {
  const deciding = events.filter((e) => e.round <= uptoRound && STATUS_OF_EVENT[e.event] !== undefined).sort((a, b) => a.round - b.round || a.seq - b.seq);
  return new Map(deciding.map((e) => [e.tensionId, e]));
}

/** The event that decides one tension's status as of `uptoRound` (see {@link statusEvents}). */
export function statusEventOf(events: readonly TensionEvent[], tensionId: string, uptoRound: number): TensionEvent | undefined {
  return statusEvents(events.filter((e) => e.tensionId === tensionId), uptoRound).get(tensionId);
}

/** The status a deciding event (see {@link statusEventOf}) gives a tension. */
export function statusOf(e: Pick<TensionEvent, 'event'> | undefined): TensionStatus {
  return (e && STATUS_OF_EVENT[e.event]) ?? 'open';
}

/** A tension's state as its deciding event gives it: the one rule for every copy of a status. */
export function tensionState(e: TensionEvent | undefined): TensionState {
  const status = statusOf(e);
  const closed = e !== undefined && isClosingStatus(status);
  return { status, closedRound: closed ? e.round : null, resolution: closed ? e.text : null };
}

/** Tensions with their state from `events` as of `uptoRound` (inclusive; default: all). */
export function withTensionState<T extends { id: string }>(tensions: readonly T[], events: readonly TensionEvent[], uptoRound?: number): (T & TensionState)[] {
  const deciding = statusEvents(events, uptoRound);
  return tensions.map((t) => ({ ...t, ...tensionState(deciding.get(t.id)) }));
}
