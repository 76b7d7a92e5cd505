/**
 * A billed-then-retried attempt end to end: the real Anthropic adapter against a scripted loopback
 * Messages API whose first stream begins (message_start with usage) and is then cut. The attempt
 * is charged to the budget and stored in llm_calls, so the dialogue's spend counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, seededRng } from '../../src/core/index.ts';
import { createAnthropicProvider } from '../../src/llm/anthropic.ts';
import { Budget, costUsd, DEFAULT_PRICES } from '../../src/llm/index.ts';
import { DEFAULT_SETTINGS, startDialogue } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { type Loopback, sse, startLoopback } from '../llm/loopback.ts';
import { POOL } from './messages-server.ts';

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  await server.close();
});

const USAGE = { input_tokens: 300, output_tokens: 80, cache_creation_input_tokens: 900, cache_read_input_tokens: 0 };

describe('a billed attempt that was retried', () => {
  it('is charged to the budget and stored in llm_calls as its own row', async () => {
    const answer = (n: number) => [{ text: `[PERSPECTIVE P01: view ${n}]\nA reasoned answer.\n---` }];
    server.script(sse(answer(0), USAGE, { cutAfter: 3, requestId: 'req_cut' }), sse(answer(1), USAGE, { requestId: 'req_a' }), sse(answer(2), USAGE, { requestId: 'req_b' }));
    const budget = new Budget(5);
    const provider = createAnthropicProvider({ apiKey: 'sk-test-key', baseURL: server.baseURL, prices: DEFAULT_PRICES, budget, sleep: async () => undefined });
    const store = new DialogueStore(openDatabase(':memory:'));
    const deps = { root: null, store, provider, clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(1) };
    const settings = { ...DEFAULT_SETTINGS, provider: 'anthropic' as const, seed: 1, panelSize: 2, concurrency: 1, minRounds: 1, maxRounds: 1, rotation: 'none' as const, judge: false };
    const result = await startDialogue(deps, { question: 'How should we version our public API?', pool: POOL, constraints: [], sources: [] }, settings);
    const rows = store.llmCalls(result.id);
    expect(rows.map((r) => [r.outcome, r.request_id])).toEqual([
      ['error', 'req_cut'],
      ['ok', 'req_a'],
      ['ok', 'req_b'],
    ]);
    // The cut stream billed its message_start usage (1 output token so far).
    const cut = costUsd('claude-sonnet-5-5', { inputTokens: 300, outputTokens: 1, cacheCreationInputTokens: 900, cacheReadInputTokens: 0 }, DEFAULT_PRICES);
    expect(rows[0]!.cost_usd).toBeCloseTo(cut, 12);
    expect(rows[0]!.error).toMatch(/^billed attempt/);
    expect(rows[1]!.retries).toBe(1);
    expect(store.spentUsd(result.id)).toBeCloseTo(budget.spentUsd, 12);
    expect(store.spentUsd(result.id)).toBeCloseTo(cut + rows[1]!.cost_usd + rows[2]!.cost_usd, 12);
  });
});
