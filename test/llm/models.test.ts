/** The model table (cache minimums, thinking / effort traits) and the pure functions over it. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/index.ts';
import { requestParams } from '../../src/llm/anthropic.ts';
import { cacheableSystem, cacheMinimum, cachedPrefixTokens, DEFAULT_MODELS_TABLE, effectiveThinking, outputTokensFor, parseModelTable, reasoningParams } from '../../src/llm/models.ts';
import { DEFAULT_PRICES } from '../../src/llm/prices.ts';
import { CHARS_PER_TOKEN, estimateTokens } from '../../src/llm/tokens.ts';
import { judgeSystem } from '../../src/orchestrator/llm-judge.ts';
import { callLimits } from '../../src/orchestrator/call-limits.ts';
import { warmupPlan } from '../../src/orchestrator/round-runner.ts';
import type { PanelMember } from '../../src/experts/types.ts';

describe('model table', () => {
  it('is dated, sourced, and gives the documented minimums', () => {
    expect(DEFAULT_MODELS_TABLE.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_MODELS_TABLE.source).toMatch(/^https:\/\/platform\.claude\.com\/docs\/.*prompt-caching/);
    expect(cacheMinimum('claude-sonnet-5-5')).toBe(512);
    expect(cacheMinimum('claude-sonnet-5-5-20260928')).toBe(512);
    expect(cacheMinimum('claude-sonnet-5')).toBe(1024);
    expect(cacheMinimum('claude-opus-4-7')).toBe(2048);
    expect(cacheMinimum('claude-haiku-4-5')).toBe(4096);
    // An unknown Claude id takes the conservative family fallback; another provider's model has none.
    expect(cacheMinimum('claude-nova-9')).toBe(4096);
    expect(cacheMinimum('gpt-5')).toBeUndefined();
  });

  it('covers every priced model', () => {
    for (const model of Object.keys(DEFAULT_PRICES.models)) expect(DEFAULT_MODELS_TABLE.models[model], model).toBeDefined();
  });

  it('rejects a malformed table with a located config error', () => {
    expect(() => parseModelTable({ asOf: '2026-11-21', source: 'https://x.test', models: { m: { cacheMinTokens: -1, thinking: [], effort: true } } })).toThrow(UserError);
  });
});

describe('cache breakpoints below the minimum', () => {
  const head = 'h'.repeat(100 * CHARS_PER_TOKEN);
  const context = 'c'.repeat(500 * CHARS_PER_TOKEN);

  it('keeps a breakpoint only where the prompt up to it reaches the minimum', () => {
    const system = [{ text: head, cache: true, ttl: '1h' as const }, { text: context, cache: true }, { text: 'persona' }];
    expect(cacheableSystem(system, 512)).toEqual([{ text: head }, { text: context, cache: true }, { text: 'persona' }]);
    expect(cacheableSystem(system, 100)).toEqual(system);
    expect(cacheableSystem(system, 4096).some((b) => b.cache)).toBe(false);
    expect(cacheableSystem(system, undefined).some((b) => b.cache)).toBe(false);
    expect(cachedPrefixTokens(system)).toBe(600);
    expect(estimateTokens(9)).toBe(3);
  });

  it("marks the judge's stable block only when it is long enough for the judge model", () => {
    const req = (question: string) => ({ system: [{ text: judgeSystem(question, 2000), cache: true }], messages: [{ role: 'user' as const, content: 'Round 3.' }], model: 'claude-haiku-5-5', maxTokens: 4000, meta: { purpose: 'judge' as const } });
    const short = requestParams(req('How should we version our API?')).system as { cache_control?: unknown }[];
    expect(short[0]!.cache_control).toBeUndefined();
    const long = requestParams(req(`How should we version our API? ${'Context sentence. '.repeat(120)}`)).system as { cache_control?: unknown; text: string }[];
    expect(long[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(long[0]!.text).not.toMatch(/Round \d/);
  });
});

describe('answer limits and thinking', () => {
  it('sizes max_tokens from the words, plus thinking room only where the model thinks', () => {
    const answer = Math.ceil(400 * 2.4) + 64;
    expect(outputTokensFor(400, 'claude-opus-5-5')).toBe(answer + 2048);
    expect(outputTokensFor(400, 'claude-sonnet-5-5', { thinking: 'between_tools' })).toBe(answer);
    // Opus 5.5 cannot turn thinking off: asking for `disabled` still leaves room for it.
    expect(effectiveThinking('claude-opus-5-5', 'disabled')).toBe('adaptive');
    expect(outputTokensFor(400, 'claude-opus-5-5', { thinking: 'disabled', budgetTokens: 3000 })).toBe(answer + 3000);
    expect(outputTokensFor(400, 'claude-haiku-4-5')).toBe(answer);
    expect(outputTokensFor(400, 'claude-haiku-4-5', { thinking: 'enabled', budgetTokens: 1500 })).toBe(answer + 1500);
  });

  it('sends only accepted settings, and an enabled budget below max_tokens', () => {
    expect(reasoningParams('claude-haiku-4-5', { thinking: 'enabled', budgetTokens: 5000, effort: 'low' }, 3000)).toEqual({ thinking: { type: 'enabled', budget_tokens: 2999 } });
    expect(reasoningParams('claude-haiku-4-5', { thinking: 'enabled' }, 1000)).toEqual({});
    expect(reasoningParams('claude-sonnet-5-5', { thinking: 'adaptive', effort: 'high' }, 3000)).toEqual({ thinking: { type: 'adaptive' }, effort: 'high' });
    expect(reasoningParams('gpt-5', { effort: 'high' }, 3000)).toEqual({});
    expect(reasoningParams('claude-sonnet-5-5', undefined, 3000)).toEqual({});
  });

  it('takes role settings over the defaults and caps at maxTokens', () => {
    expect(callLimits({}, 'expert', 'claude-sonnet-5-5', 3000)).toEqual({ words: 300, maxTokens: 720 + 64 + 2048, reasoning: { effort: 'medium' } });
    expect(callLimits({ roles: { expert: { words: 200, thinking: 'between_tools', effort: 'low' } } }, 'expert', 'claude-sonnet-5-5', 3000)).toEqual({
      words: 200,
      maxTokens: 480 + 64,
      reasoning: { thinking: 'between_tools', effort: 'low' },
    });
    expect(callLimits({}, 'judge', 'claude-haiku-5-5', 4000).maxTokens).toBe(4000);
  });
});

describe('warm-up plan', () => {
  const seat = (name: string, tier: PanelMember['tier']): PanelMember => ({ name, role: 'R', tier, relevance: 0.5, source: 'pool' });
  const panel = [seat('A', 'Core'), seat('B', 'Core'), seat('C', 'Wildcard'), seat('D', 'Wildcard'), seat('E', 'Adjacent')];
  const models: Record<PanelMember['tier'], string> = { Core: 'claude-sonnet-5-5', Wildcard: 'claude-haiku-4-5', Adjacent: 'claude-opus-5-5' };

  it('warms each model with two or more seats whose minimum the prefix reaches, and notes the rest', () => {
    const plan = warmupPlan('anthropic', panel, (m) => models[m.tier], 900);
    expect(plan.groups.map((g) => [g.model, g.members.map((m) => m.name).join(''), g.warm])).toEqual([
      ['claude-sonnet-5-5', 'AB', true],
      ['claude-haiku-4-5', 'CD', false],
      ['claude-opus-5-5', 'E', false],
    ]);
    expect(plan.note).toBe('warm-up skipped: shared prefix ≈ 900 tokens is below the cache minimum of claude-haiku-4-5 (minimum 4096)');
  });

  it('never warms on a provider without a prompt cache', () => {
    const plan = warmupPlan('openai', panel, (m) => models[m.tier], 9000);
    expect(plan.groups.every((g) => !g.warm)).toBe(true);
    expect(plan.note).toBeNull();
  });
});

describe('one-hour cache writes', () => {
  it('bills the 1-h share of the writes at the 1-h rate (Sonnet 5.5: $4 vs $2.50 per MTok)', async () => {
    const { costUsd } = await import('../../src/llm/prices.ts');
    const { usageFromApi } = await import('../../src/llm/wire.ts');
    const usage = usageFromApi({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 0, cache_creation: { ephemeral_1h_input_tokens: 400_000, ephemeral_5m_input_tokens: 600_000 } } as never);
    expect(usage.cacheWrite1hInputTokens).toBe(400_000);
    expect(costUsd('claude-sonnet-5-5', usage, DEFAULT_PRICES)).toBeCloseTo(0.6 * 2.5 + 0.4 * 4, 10);
    expect(costUsd('claude-sonnet-5-5', { ...usage, cacheWrite1hInputTokens: 0 }, DEFAULT_PRICES)).toBeCloseTo(2.5, 10);
  });
});

describe('fake usage with two breakpoints', () => {
  it('reads the head from the cache in a new round and writes only the new round context', async () => {
    const { simulateUsage } = await import('../../src/llm/fake.ts');
    const seen = new Set<string>();
    const head = 'h'.repeat(4000);
    const call = (context: string) => simulateUsage({ system: [{ text: head, cache: true }, { text: context, cache: true }, { text: 'persona' }], messages: [{ role: 'user', content: 'go' }], model: 'm', maxTokens: 10, meta: { purpose: 'expert' } }, 'answer', seen);
    expect(call('c'.repeat(2000))).toMatchObject({ cacheCreationInputTokens: 1500, cacheReadInputTokens: 0 });
    expect(call('c'.repeat(2000))).toMatchObject({ cacheCreationInputTokens: 0, cacheReadInputTokens: 1500 });
    expect(call('d'.repeat(800))).toMatchObject({ cacheCreationInputTokens: 200, cacheReadInputTokens: 1000 });
  });
});

describe('fake provider start of a response', () => {
  it('calls onStart before the first token, as a stream sends message_start before any text', async () => {
    const { createFakeProvider } = await import('../../src/llm/fake.ts');
    const order: string[] = [];
    const slept: number[] = [];
    const fake = createFakeProvider({ respond: () => 'answer', latencyMs: () => 100, ttftMs: () => 60, startMs: () => 10, sleep: async (ms) => void slept.push(ms) });
    await fake.complete({ system: [], messages: [{ role: 'user', content: 'go' }], model: 'm', maxTokens: 10, meta: { purpose: 'expert' }, onStart: () => order.push('start'), onProgress: () => order.push('token') });
    expect(order.slice(0, 2)).toEqual(['start', 'token']);
    expect(slept).toEqual([10, 50, 40]);
  });
});
