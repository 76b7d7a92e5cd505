/** The LLM layer: the port, the Anthropic adapter, the fake, recording, prices and budget. */
export * from './port.ts';
export { createAnthropicProvider, type AnthropicProviderOptions, type StructuredMode } from './anthropic.ts';
export { Budget } from './budget.ts';
export { DEFAULT_BASE_URL, resolveApiKey, resolveBaseUrl, validateBaseUrl } from './config.ts';
export { createFakeProvider, simulateUsage, type FakeProviderOptions } from './fake.ts';
export {
  costUsd,
  DEFAULT_PRICES,
  estimateCostUsd,
  parsePriceTable,
  priceFor,
  type ModelPrice,
  type PriceTable,
} from './prices.ts';
export { recordingProvider, type RecordEntry } from './record.ts';
export {
  backoffMs,
  decideRetry,
  DEFAULT_BACKOFF,
  isSpendLimit,
  parseRetryAfter,
  type BackoffConfig,
  type RetryContext,
  type RetryDecision,
} from './retry.ts';
export { cancelledError, defaultSleep } from './sleep.ts';
export { structuredWithRetry, toInputSchema, validateStructured, type Validated } from './structured.ts';
export { createReplayProvider } from './replay.ts';
export { isResponseFile, loadRecording, type Recording, type RecordedRound, type RecordedSeat } from './recording.ts';
