import { describe, expect, it } from 'vitest';
import { simulateUsage } from '../../src/llm/fake.ts';
import type { CompletionRequest } from '../../src/llm/port.ts';

const request = (model: string, head: string): CompletionRequest => ({
  system: [{ text: head, cache: true }, { text: 'persona' }],
  messages: [{ role: 'user', content: 'go' }],
  model,
  maxTokens: 10,
  meta: { purpose: 'expert' },
});

describe('fake provider cache memory', () => {
  it('remembers a 200 kB prefix by a short digest, per model', () => {
    const seen = new Set<string>();
    const head = 'h'.repeat(200_000);
    expect(simulateUsage(request('a', head), 'x', seen).cacheReadInputTokens).toBe(0);
    expect(simulateUsage(request('a', head), 'x', seen).cacheReadInputTokens).toBe(50_000);
    // Another model has its own cache.
    expect(simulateUsage(request('b', head), 'x', seen).cacheReadInputTokens).toBe(0);
    expect(seen.size).toBe(2);
    for (const key of seen) expect(key.length).toBeLessThanOrEqual(64);
  });
});
