import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/llm/budget.ts';
import { createFakeProvider } from '../../src/llm/fake.ts';
import type { CompletionRequest, LlmProvider } from '../../src/llm/port.ts';
import { DEFAULT_PRICES, estimateCostUsd } from '../../src/llm/prices.ts';
import { startDialogue } from '../../src/orchestrator/index.ts';
import { engine, makePool, settings } from './helpers.ts';

/** A marker answer of 600–2,400 characters, different per (round, expert), never converging. */
function answer(req: CompletionRequest): string {
  const n = ((req.meta.round ?? 0) * 7 + (req.meta.expert ?? '').length * 13) % 10;
  return `[PERSPECTIVE P01: ${req.meta.expert} angle ${req.meta.round}]\n${'Reasoned prose. '.repeat(40 + 10 * n)}\n---\n`;
}

const question = { question: 'How should we version the public API?', pool: makePool(4), constraints: [], sources: [] };

describe('--max-cost', () => {
  it('stops a dialogue within one call of the ceiling, not a full max_tokens reservation early', async () => {
    // The same dialogue unlimited, then under 80 % of its cost (round 0 still fits all of max_tokens for each).
    const free = engine(createFakeProvider({ respond: answer, prices: DEFAULT_PRICES, budget: new Budget(null) }));
    const whole = await startDialogue(free, question, settings({ panelSize: 4, maxRounds: 10, minRounds: 10 }));
    const limit = free.store.spentUsd(whole.id) * 0.8;
    const budget = new Budget(limit);
    const deps = engine(createFakeProvider({ respond: answer, prices: DEFAULT_PRICES, budget }));
    const result = await startDialogue(deps, question, settings({ panelSize: 4, maxRounds: 10, minRounds: 10, maxCostUsd: limit }));
    expect(result.outcome).toBe('budget_exhausted');
    const calls = deps.store.llmCalls(result.id);
    const spent = deps.store.spentUsd(result.id);
    const largest = Math.max(...calls.map((c) => c.cost_usd));
    expect(spent).toBeCloseTo(budget.spentUsd, 12);
    expect(spent).toBeLessThanOrEqual(limit);
    expect(limit - spent).toBeLessThan(largest);
    // The old reservation (uncached input + all 3,000 max_tokens) would have stopped this much earlier.
    const oldReserve = estimateCostUsd('claude-sonnet-5-5', 4000, 3000, DEFAULT_PRICES);
    expect(oldReserve).toBeGreaterThan(2 * largest);
  });

  it('stores an attempt that was billed and retried in llm_calls and counts it in the spend', async () => {
    const fake = createFakeProvider({ respond: answer, prices: DEFAULT_PRICES });
    const retried: LlmProvider = {
      name: 'fake',
      complete: async (req) => {
        const r = await fake.complete(req);
        if (req.meta.expert !== 'muffin' || req.meta.round !== 0) return r;
        const usage = { inputTokens: 100, outputTokens: 40, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
        return { ...r, retries: 1, billedAttempts: [{ usage, costUsd: 0.0006, requestId: 'req_cut', error: 'stream cut' }] };
      },
    };
    const deps = engine(retried);
    const result = await startDialogue(deps, question, settings({ panelSize: 4, maxRounds: 2, minRounds: 2 }));
    const calls = deps.store.llmCalls(result.id).filter((c) => c.expert === 'muffin' && c.round === 0);
    expect(calls.map((c) => [c.outcome, c.request_id, c.input_tokens])).toEqual([
      ['error', 'req_cut', 100],
      ['ok', expect.stringMatching(/^fake-/), expect.any(Number)],
    ]);
    expect(calls[0]!.error).toMatch(/^billed attempt.*stream cut$/);
    const okSum = deps.store.llmCalls(result.id).filter((c) => c.outcome === 'ok').reduce((a, c) => a + c.cost_usd, 0);
    expect(deps.store.spentUsd(result.id)).toBeCloseTo(okSum + 0.0006, 12);
  });
});
