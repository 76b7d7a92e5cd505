/** Plain-text formatting shared by the document builders (numbers, statuses, outcomes, names). */
import { EXPERT_EMOJI, type Score, isOpenStatus } from '../core/index.ts';
import type { DialogueOutcome, TensionRow } from './views.ts';

/** `+5`, `+0`, `-3`: ALIGNMENT deltas are shown signed, as in blue's summaries. */
export function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

/** `R3` for round 3. */
export function roundLabel(round: number): string {
  return `R${round}`;
}

/** `42%` (value already 0..100). */
export function percent(value: number): string {
  return `${value}%`;
}

/** `1 open tension`, `2 open tensions`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Display form of an expert in panel tables and contribution headings (blue: all experts use 🧁). */
export function expertLabel(name: string): string {
  return `${EXPERT_EMOJI} ${name}`;
}

/**
 * Tension status as the round summary shows it: `OPEN`, `RESOLVED (R2)`,
 * `ACCEPTED UNRESOLVED`, `REOPENED`.
 */
export function tensionStatusLong(row: TensionRow): string {
  switch (row.status) {
    case 'open':
      return 'OPEN';
    case 'resolved':
      return row.closedRound === undefined ? 'RESOLVED' : `RESOLVED (${roundLabel(row.closedRound)})`;
    case 'accepted':
      return 'ACCEPTED UNRESOLVED';
    case 'reopened':
      return 'REOPENED';
    case 'deferred':
      return row.closedRound === undefined ? 'DEFERRED' : `DEFERRED (${roundLabel(row.closedRound)})`;
    case 'superseded':
      return row.closedRound === undefined ? 'SUPERSEDED' : `SUPERSEDED (${roundLabel(row.closedRound)})`;
  }
}

/** Tension status for `tensions.md`, where the closing round has its own column. */
export function tensionStatusShort(row: TensionRow): string {
  return row.status.toUpperCase();
}

/** True for tensions that still count as open (reopened ones included). */
export function isOpen(row: TensionRow): boolean {
  return isOpenStatus(row.status);
}

const OUTCOME_LABELS: Record<DialogueOutcome, string> = {
  open: 'IN PROGRESS',
  converged: 'CONVERGED',
  forced: 'FORCED (max rounds reached without convergence)',
  recording_exhausted: 'RECORDING EXHAUSTED',
  budget_exhausted: 'BUDGET EXHAUSTED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  provider_unavailable: 'PROVIDER UNAVAILABLE',
};

/** Upper-case outcome name used in verdict headings and status lines. */
export function outcomeLabel(outcome: DialogueOutcome): string {
  return OUTCOME_LABELS[outcome];
}

/** `W:a C:b T:c R:d`. */
export function wctr(t: Score): string {
  return `W:${t.wisdom} C:${t.consistency} T:${t.truth} R:${t.relationships}`;
}

/**
 * `2026-02-06T18:39:00Z` → `2026-02-06 18:39Z` (blue's record date style). Anything that is
 * not an ISO date-time is returned unchanged rather than guessed at.
 */
export function displayDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] ?? ''}`;
}
