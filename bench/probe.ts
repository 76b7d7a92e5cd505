/**
 * Measurement taps: a provider wrapper that records every call (latency, usage, request, text)
 * and a progress-event listener that timestamps round boundaries. Times are `performance.now()` ms.
 */
import { performance } from 'node:perf_hooks';
import type { ProgressEvent } from '../src/orchestrator/deps.ts';
import type { CompletionRequest, CompletionResult, LlmProvider, StructuredRequest } from '../src/llm/port.ts';

/** One completed call as the bench saw it. */
export interface CallRecord {
  purpose: 'expert' | 'judge';
  round: number;
  expert: string;
  /** Simulated latency the provider reported, ms. */
  latencyMs: number;
  /** performance.now() when the engine issued the call and when it returned, ms. */
  startedAt: number;
  /** ms from issue to the first streamed token (the whole call when nothing streamed). */
  ttftMs: number;
  endedAt: number;
  request: CompletionRequest;
  result: CompletionResult;
}

/**
 * Wraps `inner`, reporting itself as `name` (e.g. `anthropic`, which makes the round runner warm
 * the prompt cache before fanning out) and pushing a {@link CallRecord} per successful call.
 */
export function probeProvider(inner: LlmProvider, name: string, sink: CallRecord[]): LlmProvider {
  const note = (req: CompletionRequest, startedAt: number, result: CompletionResult, firstAt?: number): void => {
    sink.push({
      ttftMs: (firstAt ?? performance.now()) - startedAt,
      purpose: req.meta.purpose,
      round: req.meta.round ?? -1,
      expert: req.meta.expert ?? req.meta.purpose,
      latencyMs: result.latencyMs,
      startedAt,
      endedAt: performance.now(),
      request: req,
      result,
    });
  };
  const provider: LlmProvider = {
    name,
    complete: async (req) => {
      const t0 = performance.now();
      let firstAt: number | undefined;
      const onProgress = (n: number) => {
        firstAt ??= performance.now();
        req.onProgress?.(n);
      };
      const result = await inner.complete({ ...req, onProgress });
      note(req, t0, result, firstAt);
      return result;
    },
  };
  const structured = inner.completeStructured?.bind(inner);
  if (structured) {
    provider.completeStructured = async <T>(req: StructuredRequest<T>) => {
      const t0 = performance.now();
      const out = await structured(req);
      note(req, t0, out.result);
      return out;
    };
  }
  return provider;
}

/** Wall-clock boundaries of one round, ms. */
export interface RoundTiming {
  round: number;
  start: number;
  end?: number;
}

/** A progress listener that records `round-start` → `round-end` times per round. */
export function roundTimer(): { onEvent: (e: ProgressEvent) => void; rounds: Map<number, RoundTiming> } {
  const rounds = new Map<number, RoundTiming>();
  const onEvent = (e: ProgressEvent): void => {
    if (e.type === 'round-start') rounds.set(e.round, { round: e.round, start: performance.now() });
    if (e.type === 'round-end') {
      const r = rounds.get(e.round);
      if (r) r.end = performance.now();
    }
  };
  return { onEvent, rounds };
}
