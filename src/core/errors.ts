/**
 * The one error hierarchy of Blue. Every error carries a stable `code`; user errors
 * (bad input, illegal moves) print one line, never a stack trace. Exit codes are not decided
 * here: src/cli maps codes to exit codes in one table.
 */

/** Stable error codes. Tests and scripts match on these; never rename one. */
export type ErrorCode =
  | 'E_USAGE' // bad flags or arguments
  | 'E_CONFIG' // .blue/config.yaml invalid
  | 'E_POOL' // expert pool missing or invalid
  | 'E_REPLAY' // replay folder missing or incomplete
  | 'E_MARKER' // malformed marker where it is fatal
  | 'E_NOT_FOUND' // dialogue, document, contract… not found
  | 'E_EXISTS' // refusing to overwrite something that exists
  | 'E_STATE' // operation not allowed in the current state (e.g. resume a converged dialogue)
  | 'E_TRANSITION' // illegal document lifecycle transition
  | 'E_DOCUMENT' // malformed RFC/ADR file (name/header)
  | 'E_REALM' // realm YAML, ownership, cycle, semver problems
  | 'E_CHECK' // a check found problems
  | 'E_LLM_AUTH' // missing or rejected API key
  | 'E_LLM_MODEL' // unknown model
  | 'E_LLM' // provider failure after retries
  | 'E_BUDGET' // --max-cost would be exceeded
  | 'E_CANCELLED' // aborted by the user
  | 'E_LEASE' // another live process is running this dialogue
  | 'E_IO' // a file could not be written (disk full, I/O error); stored state is intact
  | 'E_STORED' // a database row does not hold what Blue wrote (edited by hand, or another version)
  | 'E_INTERNAL'; // a bug

/** Where a problem was found: a file (with optional 1-based line/column) and/or a field path. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted field path such as `experts[3].tier`. */
  field?: string;
}

/** Options for {@link BlueError}. */
export interface BlueErrorOptions {
  where?: ErrorLocation;
  /** What was expected instead, phrased for the user ("one of Core, Adjacent, Wildcard"). */
  expected?: string;
  cause?: unknown;
}

/** Base class: any failure Blue knows how to describe. */
export class BlueError extends Error {
  readonly code: ErrorCode;
  readonly where: ErrorLocation | undefined;
  readonly expected: string | undefined;

  constructor(code: ErrorCode, message: string, options: BlueErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.where = options.where;
    this.expected = options.expected;
  }

  /** One line: `error[E_POOL] pools/x.yaml:4:9 experts[0].tier: bad tier "x"; expected one of Core, Adjacent, Wildcard`. */
  oneLine(): string {
    const where = formatLocation(this.where);
    const expected = this.expected ? `; expected ${this.expected}` : '';
    return `error[${this.code}]${where ? ` ${where}:` : ''} ${this.message}${expected}`;
  }
}

/** An error caused by the user's input, printed as one line. */
export class UserError extends BlueError {}

/** A check (lint, realm check, pool validate) ran and found problems; `code` says what kind. */
export class CheckFailed extends BlueError {
  constructor(message: string, options: BlueErrorOptions = {}, code: ErrorCode = 'E_CHECK') {
    super(code, message, options);
  }
}

/** A file could not be written. `errno` is the system code (`ENOSPC`, `EIO`, `EACCES`…). */
export class IoError extends BlueError {
  readonly errno: string | undefined;

  constructor(file: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = cause instanceof Error ? cause.message.replace(/, \w+( '.*')?$/, '') : String(cause);
    super('E_IO', `could not write the file: ${why}`, { where: { file }, cause, expected: errno === 'ENOSPC' ? 'free disk space' : 'a writable file' });
    this.errno = errno;
  }
}

/** Renders a location as `file:line:col field` (parts omitted when unknown). */
export function formatLocation(where: ErrorLocation | undefined): string {
  if (!where) return '';
  let file = where.file ?? '';
  if (file && where.line !== undefined) file += `:${where.line}`;
  if (file && where.line !== undefined && where.column !== undefined) file += `:${where.column}`;
  return [file, where.field].filter(Boolean).join(' ');
}

/** True for errors that should be shown as one line without a stack trace (all but `E_INTERNAL`). */
export function isUserFacing(err: unknown): err is BlueError {
  return err instanceof BlueError && err.code !== 'E_INTERNAL';
}
