/**
 * The provider port: everything the engine asks of an LLM. Adapters (anthropic, replay,
 * fakes in tests and the bench) implement {@link LlmProvider}.
 */
import type { z } from 'zod';
import { BlueError, type Message, type SystemBlock } from '../core/index.ts';

// The prompt shapes live in core: experts builds prompts without depending on llm.
export type { Message, SystemBlock } from '../core/index.ts';

/**
 * How much a model may think, for providers that support it (Anthropic `thinking` and
 * `output_config.effort`). The adapter sends only what the model accepts (llm/models.json).
 */
export interface Reasoning {
  /** `thinking.type`. */
  thinking?: 'adaptive' | 'enabled' | 'disabled' | 'between_tools';
  /** Thinking budget in tokens for `thinking: 'enabled'` (≥ 1024, below `maxTokens`). */
  budgetTokens?: number;
  /** `output_config.effort`. */
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
}

/** Who a call is for: lets replay answer the right expert and lets usage be attributed. */
export interface CallMeta {
  dialogueId?: string;
  round?: number;
  /** Lowercase expert name (`muffin`) or `judge`. */
  expert?: string;
  purpose: 'expert' | 'judge';
}

/** A completion request. The shared prefix goes first in `system` so it can be cached. */
export interface CompletionRequest {
  system: SystemBlock[];
  messages: Message[];
  model: string;
  /** Output cap in tokens. */
  maxTokens: number;
  signal?: AbortSignal;
  meta: CallMeta;
  /** Thinking and effort; omitted = the model's defaults. */
  reasoning?: Reasoning;
  /**
   * Called once per attempt when the response begins (the stream's first event, `message_start`),
   * before any thinking or text: from then on the prompt's cache entry is readable by other calls.
   */
  onStart?: () => void;
  /** Called with the running output token count while streaming (progress view). */
  onProgress?: (outputTokens: number) => void;
  /** Called before each retry with the attempt number (1-based), the wait in ms and why. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** Token usage of one call, as the Messages API reports it (all counts in tokens). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Of `cacheCreationInputTokens`, those written with the one-hour TTL (billed at the 1-h write rate). */
  cacheWrite1hInputTokens?: number;
}

/** What a completed call returns. */
export interface CompletionResult {
  text: string;
  usage: Usage;
  /** `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, or `replay`. */
  stopReason: string;
  /** Provider request id (`req_…`), or a replay/fake id. */
  requestId: string;
  model: string;
  /** Wall time of the call in ms, retries included. */
  latencyMs: number;
  /** Cost of the call in USD (0 for replay). */
  costUsd: number;
  /** Who answered, when a routing provider sent the call elsewhere (mixed panels). */
  provider?: string;
  /** True when the model has no price in the table: `costUsd` (0) is then unknown, not free. */
  costUnknown?: boolean;
  /** Retries spent before success. */
  retries: number;
  /** Earlier attempts that were billed (their stream began) and then failed; their cost is not in `costUsd`. */
  billedAttempts?: BilledAttempt[];
}

/** An attempt the provider billed (its response began, with usage) before it failed and was retried or given up. */
export interface BilledAttempt {
  usage: Usage;
  /** USD of `usage` at the adapter's prices. */
  costUsd: number;
  requestId: string;
  /** Why it failed, one line (secrets scrubbed). */
  error: string;
}

/** A structured (judge) call: the response is validated against `schema`. */
export interface StructuredRequest<T> extends CompletionRequest {
  schema: z.ZodType<T>;
  /** Name of the tool/output shape, e.g. `round_judgement`. */
  schemaName: string;
}

/** The port. */
export interface LlmProvider {
  /** `anthropic`, `replay`, `fake`… */
  readonly name: string;
  /**
   * Runs one completion.
   * @throws BlueError `E_LLM_AUTH`, `E_LLM_MODEL`, `E_BUDGET`, `E_CANCELLED`, `E_LLM` (after retries), `E_REPLAY`.
   */
  complete(req: CompletionRequest): Promise<CompletionResult>;
  /**
   * A structured completion validated by `req.schema`. Providers without structured support omit it;
   * the engine then runs without an LLM judge.
   */
  completeStructured?<T>(req: StructuredRequest<T>): Promise<{ value: T; result: CompletionResult }>;
}

/** Characters the prompt sends (all system blocks and messages), for pre-call estimates. */
export function promptChars(req: Pick<CompletionRequest, 'system' | 'messages'>): number {
  let n = 0;
  for (const b of req.system) n += b.text.length;
  for (const m of req.messages) n += m.content.length;
  return n;
}

/** Zero usage. */
export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
});

/** Adds two usages field by field. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    ...(a.cacheWrite1hInputTokens || b.cacheWrite1hInputTokens ? { cacheWrite1hInputTokens: (a.cacheWrite1hInputTokens ?? 0) + (b.cacheWrite1hInputTokens ?? 0) } : {}),
  };
}

/**
 * Provider errors that must stop the dialogue (budget, cancellation, key, model, config) rather
 * than mark one expert absent or skip the judge for a round.
 */
export function isFatalLlmError(err: unknown): err is BlueError {
  if (err instanceof ProviderUnavailable) return true;
  return err instanceof BlueError && (['E_BUDGET', 'E_CANCELLED', 'E_LLM_AUTH', 'E_LLM_MODEL', 'E_CONFIG'] as const).some((c) => c === err.code);
}

/**
 * Why a provider cannot serve the dialogue now: the key is rejected, a spend or credit limit is
 * reached, the host is unreachable (after the retry policy's attempts), K calls in a row failed,
 * or every call of a round failed. Fixing the cause and resuming continues the dialogue.
 */
export type UnavailableCause = 'auth' | 'spend_limit' | 'unreachable' | 'consecutive_failures' | 'every_call_failed';

/**
 * The provider is unavailable: no further call is sent. Code `E_LLM_AUTH` for a rejected key,
 * `E_LLM` otherwise; the message is one key-free line naming the cause.
 */
export class ProviderUnavailable extends BlueError {
  readonly unavailable: UnavailableCause;

  constructor(cause: UnavailableCause, message: string) {
    super(cause === 'auth' ? 'E_LLM_AUTH' : 'E_LLM', message);
    this.unavailable = cause;
  }
}

/** The cause when `err` says the provider is unavailable (any `E_LLM_AUTH` is a rejected key), else undefined. */
export function unavailableCause(err: unknown): UnavailableCause | undefined {
  if (err instanceof ProviderUnavailable) return err.unavailable;
  return err instanceof BlueError && err.code === 'E_LLM_AUTH' ? 'auth' : undefined;
}
