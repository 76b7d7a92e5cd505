/**
 * The Anthropic adapter: streams `messages.stream()` through the official SDK, owns retries
 * ({@link decideRetry}), guards the budget before each call, prices every call and validates
 * structured (judge) output with zod.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { MessageCreateParamsBase, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { DEFAULT_BASE_URL, validateBaseUrl } from './config.ts';
import { type BilledAttempt, type CompletionRequest, type CompletionResult, type LlmProvider, type StructuredRequest, type Usage } from './port.ts';
import { withBudget } from './budget.ts';
import { costUsd, priceFor } from './prices.ts';
import type { RetryVendor } from './retry.ts';
import { structuredWithRetry, toInputSchema } from './structured.ts';
import { toApiMessages, toApiSystem, usageFromApi } from './wire.ts';
import { estimateTokens } from './tokens.ts';
import { cacheMinimum, cacheableSystem, reasoningParams } from './models.ts';
import { type AdapterOptions, markBilled, retryLoopOf, withRetries } from './retry-loop.ts';

/** How structured output is requested. */
export type StructuredMode =
  /** `output_config.format` JSON schema (constrained decoding; works on the 5.x models). */
  | 'output_format'
  /** One forced tool (`tool_choice: {type: 'tool'}`); rejected by Sonnet/Opus 5.5 (peers.md §3.1). */
  | 'tool';

/** Options of {@link createAnthropicProvider}. */
export interface AnthropicProviderOptions extends AdapterOptions {
  apiKey: string;
  /** Defaults to the public endpoint; validated by {@link validateBaseUrl}. */
  baseURL?: string;
  /** Per-attempt SDK timeout in ms (SDK default 10 min). `maxRetries` defaults to 4. */
  timeoutMs?: number;
  /** Default `output_format`. */
  structuredMode?: StructuredMode;
  /** Custom fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/** The Anthropic SDK's error classes and settings, for the retry policy. */
export const ANTHROPIC_VENDOR: RetryVendor = {
  name: 'Anthropic',
  keyVar: 'ANTHROPIC_API_KEY',
  baseUrlVar: 'ANTHROPIC_BASE_URL',
  modelExamples: 'claude-sonnet-5-5, claude-opus-5-5, claude-haiku-5-5',
  errors: { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError },
};

const DEFAULT_MAX_RETRIES = 4;

/** What one successful attempt produced. */
interface AttemptOutput {
  message: Anthropic.Message;
  requestId: string;
}

/** Extra request parameters and how to read the answer text from the final message. */
export interface CallShape {
  extra: Partial<MessageCreateParamsBase>;
  extract: (message: Anthropic.Message) => string;
}

const TEXT_SHAPE: CallShape = {
  extra: {},
  extract: (m) =>
    m.content
      .filter((b): b is Anthropic.TextBlock => b.type === 'text')
      .map((b) => b.text)
      .join(''),
};

/**
 * Builds the Anthropic provider. The SDK client runs with `maxRetries: 0`: this adapter is the one
 * owner of retries. The key is only handed to the SDK and scrubbed from every message we build.
 * @throws UserError `E_CONFIG` for a malformed `baseURL`.
 */
export function createAnthropicProvider(opts: AnthropicProviderOptions): LlmProvider {
  const baseURL = validateBaseUrl(opts.baseURL ?? DEFAULT_BASE_URL);
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL,
    maxRetries: 0,
    ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }),
    ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
    logLevel: 'off',
    openTelemetry: false,
  });
  const now = opts.now ?? Date.now;
  const redact = (text: string): string => (opts.apiKey ? text.split(opts.apiKey).join('[redacted]') : text);
  const loop = retryLoopOf(opts, { vendor: ANTHROPIC_VENDOR, defaultMaxRetries: DEFAULT_MAX_RETRIES, redact });

  async function run(req: CompletionRequest, shape: CallShape): Promise<CompletionResult> {
    priceFor(req.model, opts.prices); // fail before spending when the model has no price
    return withBudget(req, opts, async (charge) => {
      const started = now();
      const billed: BilledAttempt[] = [];
      const price = (usage: Usage) => costUsd(req.model, usage, opts.prices);
      return await withRetries(req, loop, async (retries) => {
        const out = await attempt(client, req, shape);
        const usage = usageFromApi(out.message.usage);
        const cost = price(usage);
        charge(cost);
        return { ...finish(req, shape, out, usage, cost, retries, now() - started), ...(billed.length > 0 ? { billedAttempts: billed } : {}) };
      }, { price, charge, billed });
    });
  }

  return {
    name: 'anthropic',
    complete: (req) => run(req, TEXT_SHAPE),
    completeStructured: <T>(req: StructuredRequest<T>) => {
      const shape = structuredShape(opts.structuredMode ?? 'output_format', req.schemaName, toInputSchema(req.schema));
      return structuredWithRetry(req, (r) => run(r, shape));
    },
  };
}

/** One streamed request, no retries. Throws the SDK's error, or a plain Error for a cut stream. */
async function attempt(client: Anthropic, req: CompletionRequest, shape: CallShape): Promise<AttemptOutput> {
  const stream = client.messages.stream(requestParams(req, shape), req.signal ? { signal: req.signal } : {});
  watchStart(stream, req.onStart);
  watchProgress(stream, req.onProgress);
  let message: Anthropic.Message;
  try {
    message = await stream.finalMessage();
  } catch (err) {
    // A stream that began (message_start carried usage) was billed even though it failed.
    const begun = stream.currentMessage;
    throw begun ? markBilled(err, usageFromApi(begun.usage), stream.request_id ?? '') : err;
  }
  // A body that ends without message_delta leaves no stop reason: treat it as a cut stream (billed).
  if (message.stop_reason === null) throw markBilled(new Error('stream ended before the message was complete'), usageFromApi(message.usage), stream.request_id ?? '');
  return { message, requestId: stream.request_id ?? '' };
}

/**
 * The request body: breakpoints below the model's minimum cacheable length dropped, and only the
 * thinking / effort settings the model accepts (merged with a structured shape's `output_config`).
 */
export function requestParams(req: CompletionRequest, shape: CallShape = TEXT_SHAPE): MessageCreateParamsBase {
  const { thinking, effort } = reasoningParams(req.model, req.reasoning, req.maxTokens);
  const outputConfig = effort === undefined ? shape.extra.output_config : { ...shape.extra.output_config, effort };
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    system: toApiSystem(cacheableSystem(req.system, cacheMinimum(req.model))),
    messages: toApiMessages(req.messages),
    ...shape.extra,
    ...(thinking ? { thinking } : {}),
    ...(outputConfig ? { output_config: outputConfig } : {}),
  };
}

/** Calls `onStart` at the attempt's `message_start`: the response has begun, its cache entry is readable. */
function watchStart(stream: MessageStream<unknown>, onStart: CompletionRequest['onStart']): void {
  if (!onStart) return;
  stream.on('streamEvent', (event: MessageStreamEvent) => {
    if (event.type === 'message_start') onStart();
  });
}

function finish(
  req: CompletionRequest,
  shape: CallShape,
  out: AttemptOutput,
  usage: Usage,
  cost: number,
  retries: number,
  latencyMs: number,
): CompletionResult {
  return {
    text: shape.extract(out.message),
    usage,
    stopReason: out.message.stop_reason ?? 'unknown',
    requestId: out.requestId,
    model: out.message.model || req.model,
    latencyMs,
    costUsd: cost,
    retries,
  };
}

/** Reports a running output-token count: estimated from streamed characters, exact at `message_delta`. */
function watchProgress(
  stream: MessageStream<unknown>,
  onProgress: CompletionRequest['onProgress'],
): void {
  if (!onProgress) return;
  let chars = 0;
  let last = 0;
  const report = (tokens: number): void => {
    if (tokens > last) {
      last = tokens;
      onProgress(tokens);
    }
  };
  stream.on('streamEvent', (event: MessageStreamEvent) => {
    if (event.type === 'content_block_delta') {
      const d = event.delta;
      chars += d.type === 'text_delta' ? d.text.length : d.type === 'input_json_delta' ? d.partial_json.length : 0;
      report(estimateTokens(chars));
    } else if (event.type === 'message_delta') {
      report(event.usage.output_tokens);
    }
  });
}

function structuredShape(mode: StructuredMode, name: string, schema: Record<string, unknown>): CallShape {
  if (mode === 'tool') {
    return {
      extra: {
        tools: [{ name, description: `Report the ${name}.`, input_schema: schema as Anthropic.Tool.InputSchema }],
        tool_choice: { type: 'tool', name },
      },
      extract: (m) => {
        const block = m.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === name);
        return block ? JSON.stringify(block.input) : '';
      },
    };
  }
  return { extra: { output_config: { format: { type: 'json_schema', schema } } }, extract: TEXT_SHAPE.extract };
}
