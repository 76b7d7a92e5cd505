/**
 * An in-process provider for engine tests and `npm run bench`: answers come from a function,
 * tokens are counted at ~4 characters each, and prompt caching is simulated per cached prefix.
 */
import { createHash } from 'node:crypto';
import { type Budget, withBudget } from './budget.ts';
import { type CompletionRequest, type CompletionResult, type LlmProvider, type StructuredRequest, type Usage } from './port.ts';
import { costUsd, DEFAULT_PRICES, type PriceTable } from './prices.ts';
import { cancelledError, defaultSleep } from './sleep.ts';
import { structuredWithRetry } from './structured.ts';
import { estimateTokens } from './tokens.ts';

/** Options of {@link createFakeProvider}. */
export interface FakeProviderOptions {
  /** The answer text for a request. Throwing simulates a failed call. */
  respond: (req: CompletionRequest) => string | Promise<string>;
  /** Simulated latency in ms (default 0). */
  latencyMs?: (req: CompletionRequest) => number;
  /** Time to first token, ms (≤ latency): the first `onProgress` fires then, as a real stream's would. */
  ttftMs?: (req: CompletionRequest) => number;
  /** Time until the response begins (`onStart`, a stream's `message_start`), ms (≤ ttft; default ttft). */
  startMs?: (req: CompletionRequest) => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Overrides the simulated usage. */
  usage?: (req: CompletionRequest, text: string) => Usage;
  /**
   * The judge's raw output per attempt (validated with the request's schema, retried once with the
   * error appended like the real adapter). Omit it and the provider has no structured support.
   */
  structured?: (req: CompletionRequest) => unknown;
  /** Prices for `costUsd`; cost is 0 without a table unless `budget` is set (then the bundled table). */
  prices?: PriceTable;
  budget?: Budget;
}

const tokens = estimateTokens;

/**
 * Simulated usage: input ≈ chars/4 of system + messages. Each block marked `cache` is a breakpoint:
 * the longest breakpoint prefix seen before (same model) is a cache read, the rest up to the last
 * breakpoint a cache write, and everything after it uncached input. `seen` holds a digest per
 * breakpoint prefix (model included), filled in by the call.
 */
export function simulateUsage(req: CompletionRequest, text: string, seen: Set<string>): Usage {
  const lastCached = req.system.map((b) => b.cache === true).lastIndexOf(true);
  const rest = req.system.slice(lastCached + 1).map((b) => b.text).join('') + req.messages.map((m) => m.content).join('');
  // Prefixes are remembered by digest: a long run sees hundreds of 10–50 kB prefixes.
  const hash = createHash('sha256').update(`${req.model}\u0000`);
  let length = 0;
  let read = 0;
  req.system.slice(0, lastCached + 1).forEach((b) => {
    hash.update(b.text);
    length += b.text.length;
    if (!b.cache) return;
    const key = hash.copy().digest('base64');
    if (seen.has(key)) read = length;
    seen.add(key);
  });
  return {
    inputTokens: tokens(rest.length),
    outputTokens: tokens(text.length),
    cacheCreationInputTokens: length > read ? tokens(length) - tokens(read) : 0,
    cacheReadInputTokens: tokens(read),
  };
}

/**
 * Builds the fake provider (`name: 'fake'`). Request ids are `fake-1`, `fake-2`, …
 * @throws BlueError `E_CANCELLED` for an aborted signal, `E_BUDGET` from the budget, and for
 *   structured calls `E_LLM` ('judge output failed its schema twice: …').
 */
export function createFakeProvider(opts: FakeProviderOptions): LlmProvider {
  const sleep = opts.sleep ?? defaultSleep;
  const seen = new Set<string>();
  const prices = opts.prices ?? (opts.budget ? DEFAULT_PRICES : undefined);
  let calls = 0;

  async function run(req: CompletionRequest, answer: (r: CompletionRequest) => string | Promise<string>): Promise<CompletionResult> {
    if (req.signal?.aborted) throw cancelledError();
    return withBudget(req, { prices: prices ?? DEFAULT_PRICES, budget: opts.budget }, async (charge) => {
      const latency = opts.latencyMs?.(req) ?? 0;
      const ttft = Math.min(latency, opts.ttftMs?.(req) ?? latency);
      const begin = Math.min(ttft, opts.startMs?.(req) ?? ttft);
      if (begin > 0) await sleep(begin, req.signal);
      req.onStart?.();
      if (ttft < latency) {
        if (ttft > begin) await sleep(ttft - begin, req.signal);
        req.onProgress?.(1);
        await sleep(latency - ttft, req.signal);
      } else if (latency > begin) await sleep(latency - begin, req.signal);
      const text = await answer(req);
      const usage = opts.usage?.(req, text) ?? simulateUsage(req, text, seen);
      req.onProgress?.(usage.outputTokens);
      const spent = prices ? costUsd(req.model, usage, prices) : 0;
      charge(spent);
      return {
        text,
        usage,
        stopReason: 'end_turn',
        requestId: `fake-${++calls}`,
        model: req.model,
        latencyMs: latency,
        costUsd: spent,
        retries: 0,
      };
    });
  }

  const provider: LlmProvider = { name: 'fake', complete: (req) => run(req, opts.respond) };
  const structured = opts.structured;
  if (structured) {
    const answer = (r: CompletionRequest): string => {
      const raw = structured(r);
      return typeof raw === 'string' ? raw : JSON.stringify(raw);
    };
    provider.completeStructured = <T>(req: StructuredRequest<T>) => structuredWithRetry(req, (r) => run(r, answer));
  }
  return provider;
}
