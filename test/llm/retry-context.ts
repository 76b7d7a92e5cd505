/** The retry policy's context as the adapter unit tests build it: first attempt, 4 retries, a fixed clock. */
import type { RetryContext } from '../../src/llm/retry.ts';

/** A `ctx(extra)` builder over the defaults plus one adapter's model, jitter and vendor. */
export function retryContextFor(adapter: Pick<RetryContext, 'model' | 'random' | 'vendor'>): (extra?: Partial<RetryContext>) => RetryContext {
  return (extra = {}) => ({
    retriesSoFar: 0,
    maxRetries: 4,
    aborted: false,
    now: Date.parse('2026-11-21T10:00:00Z'),
    redact: (t) => t,
    ...adapter,
    ...extra,
  });
}
