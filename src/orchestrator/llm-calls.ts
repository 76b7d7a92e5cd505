/** Storing one LLM call's accounting (tokens, ms, USD) — success or failure — in `llm_calls`. */
import type { BilledAttempt, CompletionResult } from '../llm/index.ts';
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
  /** Billed attempts of a call that failed for good (a result lists its own in `billedAttempts`). */
  billed?: readonly BilledAttempt[];
}

/**
 * Inserts the call's row (in the caller's transaction when there is one), preceded by one
 * `error` row per attempt that was billed and then failed, so the dialogue's spend counts them.
 */
export function recordLlmCall(deps: EngineDeps, c: CallRecord): void {
  for (const b of c.result?.billedAttempts ?? c.billed ?? []) insertBilledAttempt(deps, c, b);
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

function insertBilledAttempt(deps: EngineDeps, c: CallRecord, b: BilledAttempt): void {
  deps.store.insertLlmCall({
    dialogue_id: c.dialogueId,
    round: c.round,
    expert: c.expert,
    purpose: c.purpose,
    provider: c.result?.provider ?? c.provider,
    model: c.result?.model ?? c.model,
    request_id: b.requestId || null,
    input_tokens: b.usage.inputTokens,
    output_tokens: b.usage.outputTokens,
    cache_write_tokens: b.usage.cacheCreationInputTokens,
    cache_read_tokens: b.usage.cacheReadInputTokens,
    latency_ms: 0,
    cost_usd: b.costUsd,
    cost_unknown: 0,
    retries: 0,
    outcome: 'error',
    error: `billed attempt, then retried or given up: ${b.error}`,
    created_at: deps.clock.now().toISOString(),
  });
}
