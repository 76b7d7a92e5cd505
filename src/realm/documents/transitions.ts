/**
 * The lifecycle transition table. Explicit on purpose: blue's RFC machine changed twice and its
 * aliases let files move the wrong way (reference §1.4, §8.1); here every allowed move is listed.
 * It is blue's: draft → approved → implemented with in-progress optional (blue never required it,
 * RFC 0073), approved → draft, supersession from every open state and from implemented (a shipped
 * RFC is replaced by a newer one, RFC 0017/0031). Rejected is Blue's own closing state for drafts.
 */
import { UserError } from '../../core/index.ts';
import type { DocStatus, DocType } from './model.ts';
import { parseStatusWord, statusesOf } from './model.ts';

/** Allowed next statuses, per type and current status, in the order shown in messages. */
export const TRANSITIONS: Readonly<Record<DocType, Readonly<Record<string, readonly DocStatus[]>>>> = {
  rfc: {
    draft: ['accepted', 'rejected', 'superseded'],
    accepted: ['in-progress', 'implemented', 'superseded', 'draft'],
    'in-progress': ['implemented', 'accepted', 'superseded'],
    implemented: ['superseded'],
    superseded: [],
    rejected: [],
  },
  adr: {
    proposed: ['accepted', 'rejected'],
    accepted: ['superseded'],
    rejected: [],
    superseded: [],
  },
  dialogue: { recorded: ['published'], published: [] },
};

/** Next statuses allowed from `from` (empty for terminal statuses). */
export function nextStatuses(type: DocType, from: DocStatus): readonly DocStatus[] {
  return TRANSITIONS[type][from] ?? [];
}

/**
 * Checks a move. Message form: `implemented → draft is not allowed; next: superseded`
 * (`next: none (terminal)` for terminal statuses).
 * @throws UserError E_TRANSITION for an illegal move (same-status included).
 */
export function checkTransition(type: DocType, from: DocStatus, to: DocStatus): void {
  const next = nextStatuses(type, from);
  if (next.includes(to)) return;
  const list = next.length > 0 ? next.join(', ') : 'none (terminal)';
  throw new UserError('E_TRANSITION', `${from} → ${to} is not allowed; next: ${list}`);
}

/**
 * Parses a status given on the command line, as {@link parseStatusWord} reads it (any case,
 * `in progress`/`in_progress`, `approved` for accepted).
 * @throws UserError E_USAGE naming the valid statuses of the type.
 */
export function requireStatus(type: DocType, word: string): DocStatus {
  const status = parseStatusWord(type, word);
  if (status) return status;
  throw new UserError('E_USAGE', `unknown ${type} status "${word}"`, { expected: `one of ${statusesOf(type).join(', ')}` });
}
