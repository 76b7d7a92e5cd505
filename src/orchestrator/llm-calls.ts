/** Storing one LLM call's accounting (tokens, ms, USD) — success or failure — in `llm_calls`. */
import type { CompletionResult } from '../llm/port.ts';
import type { EngineDeps } from './deps.ts';

/** Who the call was for and how it ended: `result` on success, `error` on failure. */
export interface CallRecord {
  dialogueId: string;
  round: number;
  expert: string;
  purpose: 'expert' | 'judge';
  provider: string;
  model: string;
  result?: CompletionResult;
  error?: string;
  /** Wall time in ms when there is no result (a failed call). */
  latencyMs?: number;
}

/** Inserts the call's row (in the caller's transaction when there is one). */
export function recordLlmCall(deps: EngineDeps, c: CallRecord): void {
  const r = c.result;
  deps.store.insertLlmCall({
    dialogue_id: c.dialogueId,
    round: c.round,
    expert: c.expert,
    purpose: c.purpose,
    provider: c.provider,
    model: r?.model ?? c.model,
    request_id: r?.requestId ?? null,
    input_tokens: r?.usage.inputTokens ?? 0,
    output_tokens: r?.usage.outputTokens ?? 0,
    cache_write_tokens: r?.usage.cacheCreationInputTokens ?? 0,
    cache_read_tokens: r?.usage.cacheReadInputTokens ?? 0,
    latency_ms: r?.latencyMs ?? c.latencyMs ?? 0,
    cost_usd: r?.costUsd ?? 0,
    cost_unknown: r?.costUnknown ? 1 : 0,
    retries: r?.retries ?? 0,
    outcome: r ? 'ok' : 'error',
    error: r ? null : (c.error ?? 'unknown error'),
    created_at: deps.clock.now().toISOString(),
  });
}
