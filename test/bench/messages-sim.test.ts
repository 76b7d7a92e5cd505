import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessagesSim, type MessagesSim } from '../../bench/messages-sim.ts';
import { tokensOfChars } from '../../bench/cache-sim.ts';
import { createAnthropicProvider } from '../../src/llm/anthropic.ts';
import type { CompletionRequest } from '../../src/llm/port.ts';
import { DEFAULT_PRICES } from '../../src/llm/prices.ts';

let sim: MessagesSim;
beforeAll(async () => {
  sim = await startMessagesSim({ answer: (req) => `answer of ${req.meta.expert} in round ${req.meta.round}`, firstByteMs: () => 0, textMs: () => 0, thinkMs: 20, thinkTokens: 300 });
});
afterAll(async () => {
  await sim.close();
});

const head = 'Rules and question. '.repeat(150); // 3,000 chars: 975 tokens, above the 512 minimum
const ask = (name: string, maxTokens = 2000): CompletionRequest => ({
  system: [{ text: head, cache: true }, { text: `You are ${name} 🧁, a reviewer.` }],
  messages: [{ role: 'user', content: 'Give your perspective.' }],
  model: 'claude-sonnet-5-5',
  maxTokens,
  meta: { purpose: 'expert', expert: name.toLowerCase(), round: 0 },
});

describe('bench Messages API simulator (real Anthropic adapter over HTTP/SSE)', () => {
  it('bills the first call a cache write and a later one a read, thinking billed as output before the text', async () => {
    const provider = createAnthropicProvider({ apiKey: 'sk-ant-test', baseURL: sim.baseURL, prices: DEFAULT_PRICES, maxRetries: 0 });
    const first = await provider.complete(ask('Muffin'));
    const second = await provider.complete(ask('Scone'));
    expect(first.text).toBe('answer of muffin in round 0');
    expect(first.usage.cacheCreationInputTokens).toBe(tokensOfChars(head.length));
    expect(second.usage).toMatchObject({ cacheCreationInputTokens: 0, cacheReadInputTokens: tokensOfChars(head.length) });
    expect(second.usage.outputTokens).toBe(300 + tokensOfChars('answer of scone in round 0'.length));
    expect(sim.served.map((s) => [s.expert, s.round, s.stop])).toEqual([['muffin', 0, 'end_turn'], ['scone', 0, 'end_turn']]);
    expect(sim.served[0]!.beganAt).toBeGreaterThanOrEqual(sim.served[0]!.arrivedAt);
  });

  it('skips the thinking phase for a request that turns thinking off, and caps it at budget_tokens', async () => {
    const post = (thinking: unknown) =>
      fetch(`${sim.baseURL}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-haiku-5-5', max_tokens: 2000, stream: true, thinking, system: [{ type: 'text', text: 'You are Eclair 🧁.' }], messages: [{ role: 'user', content: 'go' }] }) }).then((r) => r.text());
    const off = await post({ type: 'disabled' });
    expect(off).not.toContain('thinking_delta');
    expect(sim.served.at(-1)!.thinkTokens).toBe(0);
    const capped = await post({ type: 'enabled', budget_tokens: 120 });
    expect(capped).toContain('thinking_delta');
    expect(sim.served.at(-1)!.thinkTokens).toBe(120);
  });

  it('counts rounds per expert and cuts an answer that does not fit max_tokens after the thinking', async () => {
    const provider = createAnthropicProvider({ apiKey: 'sk-ant-test', baseURL: sim.baseURL, prices: DEFAULT_PRICES, maxRetries: 0 });
    const r = await provider.complete(ask('Muffin', 303));
    expect(r.stopReason).toBe('max_tokens');
    expect(r.usage.outputTokens).toBe(303);
    expect(r.text.length).toBeLessThan('answer of muffin in round 1'.length);
    expect(sim.served.at(-1)).toMatchObject({ expert: 'muffin', round: 1, stop: 'max_tokens' });
  });
});
