/**
 * The one retry policy for provider calls (every SDK client runs with `maxRetries: 0`).
 * Pure: given an error and where we are, it says "wait this long and try again" or "fail with this".
 *
 * Rules (Anthropic rate-limit and error docs, peers.md §3.4):
 * - 429 waits `retry-after-ms` / `retry-after` when present, else exponential backoff;
 *   a 429/402 for a spend, credit or billing limit is never retried (usage is paused for the month).
 * - 529 `overloaded_error`, 5xx, 408, 409, in-stream `overloaded_error`/`api_error` events:
 *   exponential backoff with full jitter, base 1 s, cap 30 s.
 * - connection errors, timeouts and streams cut mid-way: retried (the whole call); a refused
 *   connection or unknown host still failing after the last retry: the provider is unreachable.
 * - 400/413/422: not retried. 401/403: `E_LLM_AUTH`. 404: `E_LLM_MODEL` (or `E_CONFIG` for a wrong endpoint).
 * - auth, spend or credit limits and unreachable hosts throw {@link ProviderUnavailable}: the dialogue stops.
 * - an aborted signal: `E_CANCELLED` at once.
 *
 * Each adapter passes its {@link RetryVendor}: its SDK's error classes (the same Stainless shapes
 * in the Anthropic and openai SDKs) and its names for the key and endpoint settings. This module
 * imports no SDK, so a run on one provider never loads another's.
 */
import { BlueError, UserError } from '../core/index.ts';
import { ProviderUnavailable } from './port.ts';
import { cancelledError } from './sleep.ts';

/** Backoff shape in ms. */
export interface BackoffConfig {
  baseMs: number;
  capMs: number;
  /** Upper bound on an honoured `retry-after` so one header cannot stall a round for long. */
  maxRetryAfterMs: number;
}

/** Defaults: base 1 s, cap 30 s, `retry-after` honoured up to 60 s. */
export const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 1_000, capMs: 30_000, maxRetryAfterMs: 60_000 };

/** What to do after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; error: BlueError };

/** Inputs of {@link decideRetry}. */
export interface RetryContext {
  /** Retries already spent for this call (0 after the first failure). */
  retriesSoFar: number;
  maxRetries: number;
  model: string;
  /** True when the caller's AbortSignal fired. */
  aborted: boolean;
  /** Uniform [0, 1) source for jitter. */
  random: () => number;
  /** Epoch ms, for HTTP-date `retry-after` values. */
  now: number;
  /** Scrubs secrets from any text that may reach a message. */
  redact: (text: string) => string;
  backoff?: BackoffConfig;
  /** Whose SDK threw and how to name its settings. */
  vendor: RetryVendor;
}

/** The API error shape both SDKs throw (status, headers, parsed body, request id). */
export interface ApiErrorLike extends Error {
  status: number | undefined;
  headers: Headers | undefined;
  error: unknown;
  requestID?: string | null | undefined;
  type?: string | null | undefined;
}

type ErrorClass<T> = abstract new (...args: never[]) => T;

/** A provider's SDK error classes and the words its messages use. */
export interface RetryVendor {
  /** `Anthropic`, `OpenAI-compatible server`. */
  name: string;
  keyVar: string;
  baseUrlVar: string;
  modelExamples: string;
  errors: {
    APIError: ErrorClass<ApiErrorLike>;
    APIConnectionError: ErrorClass<Error>;
    APIConnectionTimeoutError: ErrorClass<Error>;
    APIUserAbortError: ErrorClass<Error>;
  };
}

/**
 * Full-jitter exponential backoff: uniform in [0, min(cap, base·2^retry)) ms.
 * @param retry 0-based retry index.
 */
export function backoffMs(retry: number, random: () => number, cfg: BackoffConfig = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(cfg.capMs, cfg.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Reads `retry-after-ms` (ms) or `retry-after` (seconds or an HTTP date) from response headers.
 * @returns the wait in ms, or undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The `{ type, message, details }` part of an Anthropic error body (`code` in the openai one), when there is one. */
interface ErrorBody {
  type?: string;
  code?: string | null;
  message?: string;
  details?: { error_code?: string };
}

/** Anthropic keeps the whole body (`{error: {…}}`) on the error; the openai SDK keeps the inner object. */
function errorBody(err: ApiErrorLike): ErrorBody {
  const body = err.error as ({ error?: ErrorBody } & ErrorBody) | undefined;
  return body?.error ?? (typeof body?.message === 'string' ? body : {});
}

/** Error types and codes that name a spend, credit or quota limit (Anthropic `billing_error`, OpenAI `insufficient_quota`). */
const SPEND_LIMIT_CODES: ReadonlySet<string> = new Set(['billing_error', 'enforced_spend_limit_reached', 'insufficient_quota', 'billing_hard_limit_reached']);

/**
 * True for an error caused by a spend, credit or billing limit: any 402; an error type or code
 * naming one (`billing_error`, `error.details.error_code = enforced_spend_limit_reached`, the
 * openai SDK's `insufficient_quota`); or a 429/400 whose message says so (Anthropic words a
 * low credit balance as a 400 `invalid_request_error`).
 */
export function isSpendLimit(err: ApiErrorLike): boolean {
  if (err.status === 402) return true;
  const body = errorBody(err);
  const codes = [body.type, body.code, body.details?.error_code, err.type, (err as { code?: unknown }).code];
  if (codes.some((c) => typeof c === 'string' && SPEND_LIMIT_CODES.has(c))) return true;
  if (err.status !== 429 && err.status !== 400) return false;
  return /spend(ing)? limit|credit balance|billing|usage limit|exceeded your current quota/i.test(body.message ?? '');
}

/** System codes of a host that cannot be reached at all (as opposed to a dropped connection). */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The system code (`ECONNREFUSED`, `ENOTFOUND`…) of a connection error, looked up along its `cause` chain. */
export function unreachableCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
  }
  return undefined;
}

/** Short description of an API error for messages: `529 overloaded_error: Overloaded`. */
function describe(err: ApiErrorLike, redact: (t: string) => string): string {
  const body = errorBody(err);
  const status = err.status === undefined ? 'stream error' : String(err.status);
  const type = body.type ?? err.type ?? 'error';
  const text = body.message ? `: ${redact(body.message)}` : '';
  const request = err.requestID ? ` (request ${err.requestID})` : '';
  return `${status} ${type}${text}${request}`;
}

/**
 * Decides what happens after a failed attempt.
 * @returns `{retry, delayMs, reason}` or `{retry: false, error}` where error is a `BlueError` with code
 *   `E_CANCELLED`, `E_LLM_AUTH`, `E_LLM_MODEL`, `E_CONFIG` or `E_LLM` and a one-line, key-free message.
 */
export function decideRetry(err: unknown, ctx: RetryContext): RetryDecision {
  const vendor = ctx.vendor;
  if (ctx.aborted || err instanceof vendor.errors.APIUserAbortError) {
    return { retry: false, error: cancelledError() };
  }
  if (err instanceof BlueError) return { retry: false, error: err };
  const wanted = classify(err, ctx, vendor);
  if ('error' in wanted) return { retry: false, error: wanted.error };
  if (ctx.retriesSoFar >= ctx.maxRetries) {
    const message = `${vendor.name} call failed after ${ctx.retriesSoFar} retries: ${wanted.reason}`;
    const unreachable = err instanceof vendor.errors.APIConnectionError ? unreachableCode(err) : undefined;
    if (unreachable) return { retry: false, error: new ProviderUnavailable('unreachable', `${vendor.name} is unreachable (${unreachable}) after ${ctx.retriesSoFar} retries; check ${vendor.baseUrlVar} and the network`) };
    return { retry: false, error: new BlueError('E_LLM', message) };
  }
  return { retry: true, delayMs: wanted.delayMs, reason: wanted.reason };
}

type Classified = { delayMs: number; reason: string } | { error: BlueError };

function classify(err: unknown, ctx: RetryContext, vendor: RetryVendor): Classified {
  const cfg = ctx.backoff ?? DEFAULT_BACKOFF;
  const exponential = (): number => backoffMs(ctx.retriesSoFar, ctx.random, cfg);
  if (err instanceof vendor.errors.APIConnectionTimeoutError) return { delayMs: exponential(), reason: 'request timed out' };
  if (err instanceof vendor.errors.APIConnectionError) return { delayMs: exponential(), reason: 'connection error' };
  if (err instanceof vendor.errors.APIError) return classifyApiError(err, ctx, exponential, vendor);
  // Anything else (socket closed mid-body, stream ended without message_stop): retry the whole call.
  const text = err instanceof Error ? err.message : String(err);
  return { delayMs: exponential(), reason: `stream interrupted: ${ctx.redact(text)}` };
}

function classifyApiError(err: ApiErrorLike, ctx: RetryContext, exponential: () => number, vendor: RetryVendor): Classified {
  const status = err.status;
  const what = describe(err, ctx.redact);
  if (status === 401 || status === 403) {
    return {
      error: new ProviderUnavailable('auth', `${vendor.name} rejected the API key (${status}); set a valid ${vendor.keyVar}`),
    };
  }
  if (status === 404) return { error: notFound(err, ctx, vendor) };
  if (isSpendLimit(err)) {
    return {
      error: new ProviderUnavailable('spend_limit', `${vendor.name} spend limit reached, not retrying: ${what}`),
    };
  }
  if (status === 429) {
    const after = parseRetryAfter(err.headers, ctx.now);
    const cfg = ctx.backoff ?? DEFAULT_BACKOFF;
    const delayMs = after === undefined ? exponential() : Math.min(after, cfg.maxRetryAfterMs);
    return { delayMs, reason: `rate limited: ${what}` };
  }
  if (status === undefined || status === 408 || status === 409 || status >= 500) {
    return { delayMs: exponential(), reason: what };
  }
  return { error: new BlueError('E_LLM', `${vendor.name} rejected the request: ${what}`) };
}

function notFound(err: ApiErrorLike, ctx: RetryContext, vendor: RetryVendor): BlueError {
  const message = errorBody(err).message ?? '';
  if (/model/i.test(message)) {
    return new UserError('E_LLM_MODEL', `unknown model "${ctx.model}"`, { expected: `a model id such as ${vendor.modelExamples}` });
  }
  return new UserError('E_CONFIG', `the ${vendor.name} endpoint answered 404 (${ctx.redact(message) || 'not found'}); check ${vendor.baseUrlVar}`);
}
