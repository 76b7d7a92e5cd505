/**
 * The OpenAI-compatible adapter (OpenAI, Ollama, LM Studio, vLLM, OpenRouter…): streams Chat
 * Completions through the `openai` SDK with usage in the last chunk, retries through the one
 * retry owner ({@link decideRetry}), prices calls from the table (an unpriced model costs
 * "unknown", never $0) and asks the judge for JSON-schema output, falling back to JSON mode
 * when the server rejects `json_schema`. The SDK is imported on the first call only.
 */
import type OpenAI from 'openai';
import { type CompletionRequest, type CompletionResult, type LlmProvider, type StructuredRequest, type Usage } from './port.ts';
import { withBudget } from './budget.ts';
import { costOrUnknown } from './prices.ts';
import type { RetryVendor } from './retry.ts';
import { structuredWithRetry, toInputSchema } from './structured.ts';
import { type AdapterOptions, retryLoopOf, withRetries } from './retry-loop.ts';
import { estimateTokens } from './tokens.ts';

/** How the judge's JSON is requested: constrained by a schema, or plain JSON mode (validated by zod). */
export type OpenAiStructuredMode = 'json_schema' | 'json_object';

/** Options of {@link createOpenAiProvider}. */
export interface OpenAiProviderOptions extends AdapterOptions {
  /** Absolute base URL ending in `/v1` (see `OPENAI_PRESETS`). */
  baseURL: string;
  /** Optional: local servers need none. */
  apiKey?: string | undefined;
  /** Per-attempt SDK timeout in ms. `maxRetries` defaults to 4. */
  timeoutMs?: number;
  /** Starting judge mode (default `json_schema`; a server that rejects it moves this provider to `json_object`). */
  structuredMode?: OpenAiStructuredMode;
  fetch?: typeof fetch;
}

export { OPENAI_PRESETS, type OpenAiPreset } from './openai-presets.ts';

const DEFAULT_MAX_RETRIES = 4;
/** Sent when no key is set: the SDK insists on one, local servers ignore it. */
const NO_KEY = 'no-key';

type Sdk = typeof import('openai');
let sdkPromise: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdkPromise ??= import('openai'));

/** What one successful attempt produced. */
interface AttemptOutput {
  text: string;
  usage: Usage;
  finishReason: string;
  requestId: string;
  model: string;
}

/**
 * Builds the provider (`name: 'openai'`). Nothing is loaded or sent until the first call.
 * @throws UserError `E_BUDGET` at a call when `--max-cost` is set and the model has no price (the cap
 *   could not be enforced); `E_LLM_AUTH`, `E_LLM_MODEL`, `E_CONFIG`, `E_LLM` as {@link decideRetry} decides.
 */
export function createOpenAiProvider(opts: OpenAiProviderOptions): LlmProvider {
  const now = opts.now ?? Date.now;
  const apiKey = opts.apiKey?.trim() || undefined;
  const redact = (text: string): string => (apiKey ? text.split(apiKey).join('[redacted]') : text);
  let mode: OpenAiStructuredMode = opts.structuredMode ?? 'json_schema';
  let client: { sdk: Sdk; api: OpenAI; vendor: RetryVendor } | undefined;

  async function connect(): Promise<NonNullable<typeof client>> {
    if (client) return client;
    const sdk = await loadSdk();
    const api = new sdk.OpenAI({
      apiKey: apiKey ?? NO_KEY,
      baseURL: opts.baseURL,
      maxRetries: 0, // retry.ts is the one owner of retries
      ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }),
      ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
      logLevel: 'off',
    });
    client = { sdk, api, vendor: vendorOf(sdk) };
    return client;
  }

  async function run(req: CompletionRequest, shape: () => Shape): Promise<CompletionResult> {
    return withBudget(req, opts, async (charge) => {
      const { api, vendor } = await connect();
      const started = now();
      const once = async (retries: number, current: Shape): Promise<CompletionResult> => {
        const out = await attempt(api, req, current);
        const cost = costOrUnknown(req.model, out.usage, opts.prices);
        charge(cost ?? 0);
        return {
          text: out.text,
          usage: out.usage,
          stopReason: out.finishReason,
          requestId: out.requestId,
          model: out.model || req.model,
          latencyMs: now() - started,
          costUsd: cost ?? 0,
          ...(cost === null ? { costUnknown: true } : {}),
          retries,
        };
      };
      return await withRetries(req, retryLoopOf(opts, { vendor, defaultMaxRetries: DEFAULT_MAX_RETRIES, redact }), async (retries) => {
        const current = shape();
        try {
          return await once(retries, current);
        } catch (err) {
          if (current.mode !== 'json_schema' || !rejectsSchema(err, vendor)) throw err;
          mode = 'json_object'; // this server cannot constrain output: JSON mode, validated by zod
          return await once(retries, shape());
        }
      });
    });
  }

  return {
    name: 'openai',
    complete: (req) => run(req, () => TEXT),
    completeStructured: <T>(req: StructuredRequest<T>) => {
      const schema = toInputSchema(req.schema);
      return structuredWithRetry(req, (r) => run(r, () => structuredShape(mode, req.schemaName, schema)));
    },
  };
}

/** Extra request fields and an instruction appended to the system prompt. */
interface Shape {
  mode: 'text' | OpenAiStructuredMode;
  extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsStreaming>;
  instruction?: string;
}

const TEXT: Shape = { mode: 'text', extra: {} };

function structuredShape(mode: OpenAiStructuredMode, name: string, schema: Record<string, unknown>): Shape {
  if (mode === 'json_schema') {
    // strict: false — strict mode needs every property required, which optional judge fields are not; zod validates.
    return { mode, extra: { response_format: { type: 'json_schema', json_schema: { name, schema, strict: false } } } };
  }
  return {
    mode,
    extra: { response_format: { type: 'json_object' } },
    instruction: `Answer with one JSON object (no prose, no code fence) matching this JSON schema:\n${JSON.stringify(schema)}`,
  };
}

/** A 400/422 to a `json_schema` request: the server does not support constrained output. */
function rejectsSchema(err: unknown, vendor: RetryVendor): boolean {
  if (!(err instanceof vendor.errors.APIError) || (err.status !== 400 && err.status !== 422)) return false;
  return /response_format|json_schema|schema|not supported|unsupported/i.test(err.message);
}

/** One streamed request, no retries. Throws the SDK's error, or a plain Error for a cut stream. */
async function attempt(api: OpenAI, req: CompletionRequest, shape: Shape): Promise<AttemptOutput> {
  const system = [...req.system.map((b) => b.text), ...(shape.instruction ? [shape.instruction] : [])].join('\n\n');
  const params: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
    model: req.model,
    max_tokens: req.maxTokens,
    messages: [{ role: 'system', content: system }, ...req.messages.map((m) => ({ role: m.role, content: m.content }))],
    stream: true,
    stream_options: { include_usage: true },
    ...shape.extra,
  };
  const { data: stream, request_id } = await api.chat.completions.create(params, req.signal ? { signal: req.signal } : {}).withResponse();
  let text = '';
  let finishReason: string | undefined;
  let usage: OpenAI.CompletionUsage | undefined;
  let model = '';
  let reported = 0;
  for await (const chunk of stream) {
    model ||= chunk.model;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta?.content ?? '';
    if (choice.finish_reason) finishReason = choice.finish_reason;
    const tokens = estimateTokens(text.length);
    if (req.onProgress && tokens > reported) req.onProgress((reported = tokens));
  }
  // A body that ends without a finish reason is a cut stream: retried as a whole.
  if (!finishReason) throw new Error('stream ended before the completion was finished');
  return { text, usage: usageOf(usage, text), finishReason: finishReason === 'stop' ? 'end_turn' : finishReason === 'length' ? 'max_tokens' : finishReason, requestId: request_id ?? '', model };
}

/** Chat Completions usage → port usage; cached prompt tokens count as cache reads. */
function usageOf(u: OpenAI.CompletionUsage | undefined, text: string): Usage {
  if (!u) return { inputTokens: 0, outputTokens: estimateTokens(text.length), cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: Math.max(0, u.prompt_tokens - cached), outputTokens: u.completion_tokens, cacheCreationInputTokens: 0, cacheReadInputTokens: cached };
}

/** The retry policy's view of the `openai` SDK: its error classes and this provider's setting names. */
export function vendorOf(sdk: Sdk): RetryVendor {
  return {
    name: 'OpenAI-compatible server',
    keyVar: 'OPENAI_API_KEY',
    baseUrlVar: 'OPENAI_BASE_URL',
    modelExamples: 'gpt-4.1-mini, llama3.1:8b, qwen2.5:7b',
    errors: { APIError: sdk.APIError, APIConnectionError: sdk.APIConnectionError, APIConnectionTimeoutError: sdk.APIConnectionTimeoutError, APIUserAbortError: sdk.APIUserAbortError },
  };
}
