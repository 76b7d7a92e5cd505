import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BlueError } from '../../src/core/index.ts';
import { Budget } from '../../src/llm/budget.ts';
import { createFakeProvider } from '../../src/llm/fake.ts';
import type { CompletionRequest, LlmProvider } from '../../src/llm/port.ts';
import { DEFAULT_PRICES } from '../../src/llm/prices.ts';
import { recordingProvider, type RecordEntry } from '../../src/llm/record.ts';

const prefix = 'p'.repeat(400); // 100 tokens
function req(expert: string, extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    system: [{ text: prefix, cache: true }, { text: `persona ${expert}`.padEnd(40, '.') }],
    messages: [{ role: 'user', content: 'u'.repeat(40) }],
    model: 'claude-sonnet-5-5',
    maxTokens: 100,
    meta: { purpose: 'expert', expert, round: 1 },
    ...extra,
  };
}

describe('fake provider', () => {
  it('counts ~4 chars per token and simulates cache write then read per prefix', async () => {
    const fake = createFakeProvider({ respond: (r) => `answer for ${r.meta.expert}`.padEnd(20, '!') });
    const a = await fake.complete(req('muffin'));
    const b = await fake.complete(req('cupcake'));
    const c = await fake.complete(req('scone', { model: 'claude-opus-5-5' }));
    expect(a.usage).toEqual({ inputTokens: 20, outputTokens: 5, cacheCreationInputTokens: 100, cacheReadInputTokens: 0 });
    expect(b.usage).toEqual({ inputTokens: 20, outputTokens: 5, cacheCreationInputTokens: 0, cacheReadInputTokens: 100 });
    // A different model has its own cache.
    expect(c.usage.cacheCreationInputTokens).toBe(100);
    expect([a.requestId, b.requestId]).toEqual(['fake-1', 'fake-2']);
    expect(a.costUsd).toBe(0);
  });

  it('prices calls and honours the budget when given one, stopping within one call of the ceiling', async () => {
    const budget = new Budget(0.0015);
    const fake = createFakeProvider({ respond: () => 'ok', prices: DEFAULT_PRICES, budget });
    const first = await fake.complete(req('muffin'));
    expect(first.costUsd).toBeGreaterThan(0);
    expect(budget.spentUsd).toBeCloseTo(first.costUsd, 12);
    // The next call is priced from the first one's usage: prefix read from the cache, 1 output token.
    const next = budget.estimator.estimate(req('cupcake'), DEFAULT_PRICES).usd;
    const second = await fake.complete(req('cupcake'));
    expect(next).toBeCloseTo(second.costUsd, 12);
    let calls = 2;
    await expect(
      (async () => {
        for (;;) {
          await fake.complete(req(`e${calls}`));
          calls++;
        }
      })(),
    ).rejects.toMatchObject({ code: 'E_BUDGET' });
    // Old estimate (all of maxTokens, uncached input) stopped after the first call; now it runs to the ceiling.
    expect(calls).toBeGreaterThan(10);
    expect(budget.spentUsd).toBeLessThanOrEqual(0.0015);
    expect(0.0015 - budget.spentUsd).toBeLessThan(second.costUsd);
    expect(budget.reservedUsd).toBe(0);
  });

  it('sleeps the simulated latency through the injected sleep and honours abort', async () => {
    const slept: number[] = [];
    const fake = createFakeProvider({
      respond: () => 'ok',
      latencyMs: () => 250,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    const r = await fake.complete(req('muffin'));
    expect(r.latencyMs).toBe(250);
    expect(slept).toEqual([250]);
    const controller = new AbortController();
    controller.abort();
    await expect(fake.complete(req('muffin', { signal: controller.signal }))).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });

  it('has no structured support unless structured is given', () => {
    expect(createFakeProvider({ respond: () => '' }).completeStructured).toBeUndefined();
  });

  it('structured: valid, invalid-then-valid, invalid twice', async () => {
    const schema = z.object({ score: z.number().min(0).max(1) });
    const outputs: unknown[] = [{ score: 0.4 }, { score: 9 }, { score: 0.9 }, 'nope', { score: -1 }];
    const seen: CompletionRequest[] = [];
    const fake = createFakeProvider({
      respond: () => '',
      structured: (r) => {
        seen.push(r);
        return outputs.shift();
      },
    });
    const call = () => fake.completeStructured!({ ...req('judge'), schema, schemaName: 'judgement' });
    expect((await call()).value).toEqual({ score: 0.4 });
    const second = await call();
    expect(second.value).toEqual({ score: 0.9 });
    expect(seen[2]!.messages.at(-1)!.content).toContain('failed the judgement schema: score:');
    await expect(call()).rejects.toThrow(/^judge output failed its schema twice: score: /);
  });
});

describe('recording provider', () => {
  it('records request and response of every successful call, without signals, callbacks or keys', async () => {
    const entries: RecordEntry[] = [];
    const inner = createFakeProvider({ respond: () => 'Muffin says hi', structured: () => ({ score: 1 }) });
    const rec = recordingProvider(inner, (e) => entries.push(e));
    const controller = new AbortController();
    await rec.complete(req('muffin', { signal: controller.signal, onProgress: () => undefined }));
    await rec.completeStructured!({ ...req('judge'), schema: z.object({ score: z.number() }), schemaName: 'judgement' });
    expect(entries).toHaveLength(2);
    const [first, second] = entries as [RecordEntry, RecordEntry];
    expect(Object.keys(first).sort()).toEqual(['meta', 'request', 'response']);
    expect(Object.keys(first.request).sort()).toEqual(['maxTokens', 'messages', 'model', 'system']);
    expect(first.request.system[0]).toEqual({ text: prefix, cache: true });
    expect(first.response).toEqual({
      text: 'Muffin says hi',
      usage: { inputTokens: 20, outputTokens: 4, cacheCreationInputTokens: 100, cacheReadInputTokens: 0 },
      stopReason: 'end_turn',
      requestId: 'fake-1',
      model: 'claude-sonnet-5-5',
    });
    expect(first.meta).toEqual({ purpose: 'expert', expert: 'muffin', round: 1 });
    expect(second.request.schemaName).toBe('judgement');
    expect(second.response.text).toBe('{"score":1}');
    // Round-trips through JSON unchanged (what the engine writes to disk).
    expect(JSON.parse(JSON.stringify(entries))).toEqual(entries);
  });

  it('does not record failed calls and keeps the error', async () => {
    const entries: RecordEntry[] = [];
    const failing: LlmProvider = {
      name: 'x',
      complete: () => Promise.reject(new BlueError('E_LLM', 'boom')),
    };
    const rec = recordingProvider(failing, (e) => entries.push(e));
    await expect(rec.complete(req('muffin'))).rejects.toThrow('boom');
    expect(entries).toEqual([]);
    expect(rec.completeStructured).toBeUndefined();
    expect(rec.name).toBe('x');
  });
});
