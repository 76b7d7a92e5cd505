/**
 * `--record`: wraps a provider and hands every completed request/response pair to a sink, so the
 * replay provider can reproduce the run. Only prompt content and response fields are kept: never
 * headers, keys, signals or callbacks.
 */
import type {
  CallMeta,
  CompletionRequest,
  CompletionResult,
  LlmProvider,
  Message,
  StructuredRequest,
  SystemBlock,
  Usage,
} from './port.ts';

/** One recorded call. The engine writes it to `dialogues/<id>/recording/round-N/<expert>.json`. */
export interface RecordEntry {
  meta: CallMeta;
  request: {
    system: SystemBlock[];
    messages: Message[];
    model: string;
    maxTokens: number;
    /** Set for structured (judge) calls: the output shape's name. */
    schemaName?: string;
  };
  response: {
    /** Answer text; for structured calls the JSON text of the validated value. */
    text: string;
    usage: Usage;
    stopReason: string;
    requestId: string;
    model: string;
  };
}

function requestPart(req: CompletionRequest, schemaName?: string): RecordEntry['request'] {
  return {
    system: req.system.map((b) => (b.cache ? { text: b.text, cache: true } : { text: b.text })),
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    model: req.model,
    maxTokens: req.maxTokens,
    ...(schemaName === undefined ? {} : { schemaName }),
  };
}

function responsePart(result: CompletionResult, text: string): RecordEntry['response'] {
  return {
    text,
    usage: { ...result.usage },
    stopReason: result.stopReason,
    requestId: result.requestId,
    model: result.model,
  };
}

/**
 * Wraps `inner`; after each successful call `sink` receives a {@link RecordEntry}. Failed calls are
 * not recorded (a replay of them would be a lie). Structured support is kept only when `inner` has it.
 */
export function recordingProvider(inner: LlmProvider, sink: (entry: RecordEntry) => void): LlmProvider {
  const provider: LlmProvider = {
    name: inner.name,
    async complete(req) {
      const result = await inner.complete(req);
      sink({ meta: { ...req.meta }, request: requestPart(req), response: responsePart(result, result.text) });
      return result;
    },
  };
  const structured = inner.completeStructured?.bind(inner);
  if (structured) {
    provider.completeStructured = async <T>(req: StructuredRequest<T>) => {
      const out = await structured(req);
      sink({
        meta: { ...req.meta },
        request: requestPart(req, req.schemaName),
        response: responsePart(out.result, JSON.stringify(out.value)),
      });
      return out;
    };
  }
  return provider;
}
