/**
 * Mapping between the port's shapes and the Messages API wire shapes.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Message, SystemBlock, Usage } from './port.ts';

/**
 * System blocks → API text blocks; a block with `cache: true` gets `cache_control: {type: 'ephemeral'}`
 * (plus `ttl: '1h'` when asked), a prompt-cache breakpoint after it; the API allows at most 4 per request.
 */
export function toApiSystem(blocks: readonly SystemBlock[]): Anthropic.TextBlockParam[] {
  return blocks.map((b) => {
    if (!b.cache) return { type: 'text', text: b.text };
    return { type: 'text', text: b.text, cache_control: b.ttl ? { type: 'ephemeral', ttl: b.ttl } : { type: 'ephemeral' } };
  });
}

/** Port messages → API message params (plain string content). */
export function toApiMessages(messages: readonly Message[]): Anthropic.MessageParam[] {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

/** API usage (nullable cache counters) → port usage (all numbers, tokens). */
export function usageFromApi(u: Anthropic.Usage): Usage {
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    ...(u.cache_creation?.ephemeral_1h_input_tokens ? { cacheWrite1hInputTokens: u.cache_creation.ephemeral_1h_input_tokens } : {}),
  };
}
