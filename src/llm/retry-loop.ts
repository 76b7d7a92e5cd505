/**
 * The retry loop every adapter runs its calls through: the policy of {@link decideRetry} applied
 * with an injected sleep, so the three providers retry, report and cancel the same way.
 */
import type { Budget } from './budget.ts';
import type { CompletionRequest } from './port.ts';
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

/**
 * Runs `attempt(retries)` until it returns, the policy gives up, or `req.signal` aborts.
 * `req.onRetry` hears each wait before it starts.
 * @throws the policy's error (`E_LLM`, `E_LLM_AUTH`, `E_LLM_MODEL`, `E_CANCELLED`…) when it gives up.
 */
export async function withRetries<T>(req: Pick<CompletionRequest, 'model' | 'signal' | 'onRetry'>, loop: RetryLoop, attempt: (retries: number) => Promise<T>): Promise<T> {
  for (let retries = 0; ; retries++) {
    if (req.signal?.aborted) throw cancelledError();
    try {
      return await attempt(retries);
    } catch (err) {
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
      if (!decision.retry) throw decision.error;
      req.onRetry?.({ attempt: retries + 1, delayMs: decision.delayMs, reason: decision.reason });
      await loop.sleep(decision.delayMs, req.signal);
    }
  }
}
