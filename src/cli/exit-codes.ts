/**
 * The one place exit codes are decided: named codes, the error-code → exit-code table, and
 * the table `blue help exit-codes` and the README print. Library code throws coded errors only.
 */
import { type BlueError, CheckFailed, type ErrorCode } from '../core/index.ts';

/** Process exit codes of `blue`. */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  notConverged: 3,
  providerUnavailable: 4,
  io: 74,
  internal: 70,
  cancelled: 130,
} as const;

/** Exit code for each error code. */
const EXIT_BY_ERROR: Record<ErrorCode, number> = {
  E_USAGE: EXIT.usage,
  E_CONFIG: EXIT.usage,
  E_POOL: EXIT.usage,
  E_REPLAY: EXIT.usage,
  E_MARKER: EXIT.usage,
  E_NOT_FOUND: EXIT.usage,
  E_EXISTS: EXIT.usage,
  E_STATE: EXIT.usage,
  E_TRANSITION: EXIT.usage,
  E_DOCUMENT: EXIT.usage,
  E_REALM: EXIT.usage,
  E_LLM_MODEL: EXIT.usage,
  E_CHECK: EXIT.checkFailed,
  E_BUDGET: EXIT.notConverged,
  E_LLM_AUTH: EXIT.providerUnavailable,
  E_LLM: EXIT.providerUnavailable,
  E_CANCELLED: EXIT.cancelled,
  E_LEASE: EXIT.usage,
  E_IO: EXIT.io,
  E_STORED: EXIT.usage,
  E_INTERNAL: EXIT.internal,
};

/** The exit code of a coded error: 1 for any failed check, else by code (70 for an unknown one). */
export function exitCodeOf(err: BlueError): number {
  if (err instanceof CheckFailed) return EXIT.checkFailed;
  return EXIT_BY_ERROR[err.code] ?? EXIT.internal;
}

/** Rows of the exit-code table: code and meaning. */
export const EXIT_CODE_TABLE: readonly (readonly [number, string])[] = [
  [EXIT.ok, 'ok, or the dialogue converged'],
  [EXIT.checkFailed, 'a check failed (lint, realm check, --strict warnings, pool errors)'],
  [EXIT.usage, 'usage or input error (bad flag, missing or malformed file)'],
  [EXIT.notConverged, 'the dialogue ended without converging (forced, recording or budget exhausted)'],
  [EXIT.providerUnavailable, 'the provider is unavailable (auth, spend limit, unreachable); the dialogue is stored and resumable'],
  [EXIT.internal, 'internal error (a bug: please report it with the printed stack)'],
  [EXIT.io, 'a file could not be written (disk full, I/O error); the dialogue is stored: free space and resume'],
  [EXIT.cancelled, 'cancelled (Ctrl-C); resume with `blue dialogue resume <id>`'],
];

/** The table as printed by `blue help exit-codes`. */
export function exitCodeText(): string {
  const rows = EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`);
  return `Exit codes:\n${rows.join('\n')}\n`;
}
