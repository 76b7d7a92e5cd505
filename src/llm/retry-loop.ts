/**
 * The retry loop every adapter runs its calls through: the policy of {@link decideRetry} applied
 * with an injected sleep, so the three providers retry, report and cancel the same way.
 */
import type { Budget } from './budget.ts';
import type { BilledAttempt, CompletionRequest, Usage } from './port.ts';
import type { PriceTable } from './prices.ts';
import { type BackoffConfig, type RetryVendor, decideRetry } from './retry.ts';
import { cancelledError, defaultSleep } from './sleep.ts';

/** How an adapter retries: its budget of retries, its clock, jitter, sleep and secret scrubber. */
export interface RetryLoop {
  maxRetries: number;
  random: () => number;
  /** Epoch ms. */
  now: () => number;
  /** Abortable sleep in ms. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  redact: (text: string) => string;
  vendor: RetryVendor;
  backoff?: BackoffConfig;
}

/** What every adapter takes for pricing, budgeting and retrying its calls (all optional but prices). */
export interface AdapterOptions {
  prices: PriceTable;
  budget?: Budget;
  /** Retries per call after the first attempt. */
  maxRetries?: number;
  /** Waits `ms`, rejecting when `signal` aborts. Injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform [0, 1) for backoff jitter. */
  random?: () => number;
  /** Epoch ms, for latency and HTTP-date `retry-after`. */
  now?: () => number;
  backoff?: BackoffConfig;
}

/** The retry loop of an adapter: its options with the shared defaults filled in. */
export function retryLoopOf(opts: AdapterOptions, own: { vendor: RetryVendor; defaultMaxRetries: number; redact?: (text: string) => string }): RetryLoop {
  return {
    maxRetries: opts.maxRetries ?? own.defaultMaxRetries,
    random: opts.random ?? Math.random,
    now: opts.now ?? Date.now,
    sleep: opts.sleep ?? defaultSleep,
    redact: own.redact ?? ((t) => t),
    vendor: own.vendor,
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
  };
}

const BEGUN = Symbol('billed usage of a failed attempt');
const BILLED = Symbol('billed attempts of a failed call');

/**
 * Marks `err` as the failure of an attempt that was billed: its stream began (the API reported
 * `usage`) before it failed. {@link withRetries} charges and lists such attempts. Returns `err`.
 */
export function markBilled(err: unknown, usage: Usage, requestId: string): unknown {
  if (err !== null && typeof err === 'object') Object.assign(err, { [BEGUN]: { usage, requestId } });
  return err;
}

/** The billed attempts (each failed after its stream began) behind an error {@link withRetries} threw; `[]` for any other value. */
export function billedAttemptsOf(err: unknown): readonly BilledAttempt[] {
  return err !== null && typeof err === 'object' && BILLED in err ? (err as { [BILLED]: BilledAttempt[] })[BILLED] : [];
}

function begunOf(err: unknown): { usage: Usage; requestId: string } | undefined {
  return err !== null && typeof err === 'object' && BEGUN in err ? (err as { [BEGUN]: { usage: Usage; requestId: string } })[BEGUN] : undefined;
}

/** How {@link withRetries} accounts for attempts that were billed and then failed. */
export interface AttemptBilling {
  /** USD of a usage (the adapter's prices). */
  price: (usage: Usage) => number;
  /** The budget's charge of the call (adds up). */
  charge: (usd: number) => void;
  /** Receives each billed failed attempt, in order (the adapter lists them on its result). */
  billed: BilledAttempt[];
}

/**
 * Runs `attempt(retries)` until it returns, the policy gives up, or `req.signal` aborts.
 * `req.onRetry` hears each wait before it starts. An attempt that failed after being billed
 * (see {@link markBilled}) is charged through `billing` and pushed to `billing.billed`; when the
 * call fails for good they are also on the thrown error ({@link billedAttemptsOf}).
 * @throws the policy's error (`E_LLM`, `E_LLM_AUTH`, `E_LLM_MODEL`, `E_CANCELLED`…) when it gives up.
 */
export async function withRetries<T>(req: Pick<CompletionRequest, 'model' | 'signal' | 'onRetry'>, loop: RetryLoop, attempt: (retries: number) => Promise<T>, billing?: AttemptBilling): Promise<T> {
  const billed = billing?.billed ?? [];
  const giveUp = (err: unknown): unknown => (billed.length > 0 && err !== null && typeof err === 'object' ? Object.assign(err, { [BILLED]: [...billed] }) : err);
  for (let retries = 0; ; retries++) {
    if (req.signal?.aborted) throw giveUp(cancelledError());
    try {
      return await attempt(retries);
    } catch (err) {
      const begun = begunOf(err);
      if (begun && billing) {
        const costUsd = billing.price(begun.usage);
        billing.charge(costUsd);
        billed.push({ usage: begun.usage, costUsd, requestId: begun.requestId, error: loop.redact(err instanceof Error ? err.message : String(err)) });
      }
      const decision = decideRetry(err, {
        retriesSoFar: retries,
        maxRetries: loop.maxRetries,
        model: req.model,
        aborted: req.signal?.aborted ?? false,
        random: loop.random,
        now: loop.now(),
        redact: loop.redact,
        vendor: loop.vendor,
        ...(loop.backoff ? { backoff: loop.backoff } : {}),
      });
      if (!decision.retry) throw giveUp(decision.error);
      req.onRetry?.({ attempt: retries + 1, delayMs: decision.delayMs, reason: decision.reason });
      await loop.sleep(decision.delayMs, req.signal).catch((e: unknown) => {
        throw giveUp(e);
      });
    }
  }
}
