/**
 * The LLM layer: the port, the fake, recording, prices and budget, the openai and claude-code
 * adapters (which load nothing until their first call) and the mixed-panel router. The Anthropic
 * adapter (./anthropic.ts) is not re-exported: it loads its SDK, which only a run against Anthropic
 * needs, so importers take it from its own module. The retry policy (./retry.ts) imports no SDK.
 */
export * from './port.ts';
export { Budget } from './budget.ts';
export { CallEstimator, type CallEstimate } from './call-estimate.ts';
export { billedAttemptsOf } from './retry-loop.ts';
export { DEFAULT_BASE_URL, resolveApiKey, resolveBaseUrl, resolveOpenAiBaseUrl, resolveOpenAiKey, validateBaseUrl } from './config.ts';
export { createClaudeCodeProvider, findExecutable, type ClaudeCodeProviderOptions } from './claude-code.ts';
export { createRoutingProvider, splitModelId } from './router.ts';
export { createOpenAiProvider, OPENAI_PRESETS, type OpenAiPreset, type OpenAiProviderOptions, type OpenAiStructuredMode } from './openai.ts';
export { createFakeProvider, simulateUsage, type FakeProviderOptions } from './fake.ts';
export {
  costOrUnknown,
  costUsd,
  hasPrice,
  DEFAULT_PRICES,
  estimateCostUsd,
  parsePriceTable,
  priceFor,
  type ModelPrice,
  type PriceTable,
} from './prices.ts';
export {
  cacheableSystem,
  cachedPrefixTokens,
  cacheMinimum,
  DEFAULT_MODELS_TABLE,
  effectiveThinking,
  EFFORTS,
  modelTraits,
  outputTokensFor,
  parseModelTable,
  reasoningParams,
  THINKING_TYPES,
  type Effort,
  type ModelTable,
  type ModelTraits,
  type ThinkingType,
} from './models.ts';
export { CHARS_PER_TOKEN, estimateTokens } from './tokens.ts';
export { recordingProvider, type RecordEntry } from './record.ts';
export { cancelledError, defaultSleep } from './sleep.ts';
export { structuredWithRetry, toInputSchema, validateStructured, type Validated } from './structured.ts';
export { createReplayProvider } from './replay.ts';
export { isJudgeFile, isResponseFile, loadRecording, type Recording, type RecordedRound, type RecordedSeat } from './recording.ts';
/** Loads the Anthropic adapter on demand: its module loads the SDK, which only a run against Anthropic needs. */
export const loadAnthropicAdapter = (): Promise<typeof import('./anthropic.ts')> => import('./anthropic.ts');
