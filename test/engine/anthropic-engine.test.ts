/**
 * The whole engine over the real Anthropic adapter and SDK, against a loopback server that
 * speaks the Messages API (SSE): parallelism, the warm-up-then-fan-out order, cache_control
 * placement, usage and cost storage, the budget stop and resume, cancellation and resume, and a
 * judge whose output fails its schema.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, seededRng } from '../../src/core/index.ts';
import { createAnthropicProvider } from '../../src/llm/anthropic.ts';
import { Budget, DEFAULT_PRICES } from '../../src/llm/index.ts';
import { DEFAULT_SETTINGS, type DialogueSettings, type EngineDeps, resumeDialogue, roundSummaryView, loadDialogue, scoreDetail, startDialogue } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { POOL, type Server, startServer } from './messages-server.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function settings(over: Partial<DialogueSettings> = {}): DialogueSettings {
  return { ...DEFAULT_SETTINGS, provider: 'anthropic', seed: 1, panelSize: 6, concurrency: 3, minRounds: 2, maxRounds: 3, rotation: 'none', judge: false, ...over };
}

function deps(server: Server, store: DialogueStore, budget: Budget, extra: Partial<EngineDeps> = {}): EngineDeps {
  const provider = createAnthropicProvider({ apiKey: 'sk-test-key', baseURL: server.baseURL, prices: DEFAULT_PRICES, budget, sleep: async () => undefined });
  return { root: null, store, provider, clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(1), ...extra };
}

const INPUT = { question: 'How should we version our public API?', pool: POOL, constraints: [], sources: [] };

describe('engine over the Anthropic adapter', () => {
  it('runs a round in parallel up to the concurrency, warms the cache first, and stores usage and cost', async () => {
    const server = await startServer({ delayMs: 60 });
    servers.push(server);
    const store = new DialogueStore(openDatabase(':memory:'));
    const result = await startDialogue(deps(server, store, new Budget(null)), INPUT, settings());
    expect(result.outcome).toBe('converged');
    expect(server.maxInFlight()).toBe(3);
    for (const round of [0, 1]) {
      const calls = server.seen.filter((s) => s.round === round && !s.judge).sort((a, b) => a.start - b.start);
      expect(calls).toHaveLength(6);
      // warm-up: nobody else starts before the first call's stream has begun
      for (const c of calls.slice(1)) expect(c.start).toBeGreaterThanOrEqual(calls[0]!.firstByte);
      const system = calls[0]!.body.system as { text: string; cache_control?: unknown }[];
      expect(system[0]!.cache_control).toEqual({ type: 'ephemeral' });
      expect(system[1]!.cache_control).toEqual({ type: 'ephemeral' });
      expect(system[2]!.cache_control).toBeUndefined();
      for (const block of [0, 1]) expect(new Set(calls.map((c) => (c.body.system as { text: string }[])[block]!.text)).size).toBe(1);
    }
    const rows = store.llmCalls(result.id);
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.cache_write_tokens === 400 && r.input_tokens === 100 && r.output_tokens === 50 && r.cost_usd > 0)).toBe(true);
    expect(rows.every((r) => r.request_id?.startsWith('req_'))).toBe(true);
  });

  it('stops at a clean point when --max-cost would be exceeded and resumes with a higher budget without repeating calls', async () => {
    const server = await startServer({ delayMs: 5 });
    servers.push(server);
    const store = new DialogueStore(openDatabase(':memory:'));
    // Each expert call bills ~$0.0017; the budget reserves that once the first call showed it, so $0.006 stops in round 0.
    const first = await startDialogue(deps(server, store, new Budget(0.006)), INPUT, settings({ maxCostUsd: 0.006, concurrency: 1, maxTokens: 200 }));
    expect(first.outcome).toBe('budget_exhausted');
    expect((first.error as { code?: string }).code).toBe('E_BUDGET');
    const before = server.seen.length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(6);
    const spent = store.spentUsd(first.id);
    const second = await resumeDialogue(deps(server, store, new Budget(10, spent)), first.id, { maxCostUsd: 10 });
    expect(second.outcome).toBe('converged');
    const keys = server.seen.filter((s) => !s.judge).map((s) => `${s.round}:${s.expert}`);
    expect(new Set(keys).size).toBe(keys.length); // nothing asked twice
    expect(keys).toHaveLength(12);
  });

  it('cancels in-flight calls, keeps what was stored, and resumes', async () => {
    const server = await startServer({ delayMs: 200 });
    servers.push(server);
    const store = new DialogueStore(openDatabase(':memory:'));
    const controller = new AbortController();
    const run = startDialogue(deps(server, store, new Budget(null), { signal: controller.signal }), INPUT, settings());
    setTimeout(() => controller.abort(), 300);
    const first = await run;
    expect(first.outcome).toBe('cancelled');
    expect(store.getDialogue(first.id)!.status).toBe('cancelled');
    const stored = store.responses(first.id, 0).filter((r) => r.status === 'ok').length;
    expect(stored).toBeLessThan(6);
    const second = await resumeDialogue(deps(server, store, new Budget(null)), first.id);
    expect(second.outcome).toBe('converged');
    expect(store.responses(first.id, 0).filter((r) => r.status === 'ok')).toHaveLength(6);
  });

  it('runs the judge, stores its adjustments with rationale, and proceeds without it when its output fails the schema twice', async () => {
    const good = await startServer({ delayMs: 1, judge: 'valid' });
    servers.push(good);
    const store = new DialogueStore(openDatabase(':memory:'));
    const d = deps(good, store, new Budget(null));
    const ok = await startDialogue({ ...d, judge: d.provider }, INPUT, settings({ judge: true }));
    const scores = store.scores(ok.id).filter((s) => s.expert === 'muffin' && s.round === 0);
    expect(scoreDetail(ok.id, scores[0]!).adjustment).toMatchObject({ wisdom: 1, rationale: 'named the deprecation window first' });
    const view = roundSummaryView(loadDialogue(store, ok.id), 0);
    expect(view.recommendations[0]).toMatchObject({ id: 'R0001', label: 'Publish a deprecation policy' });

    const bad = await startServer({ delayMs: 1, judge: 'invalid' });
    servers.push(bad);
    const store2 = new DialogueStore(openDatabase(':memory:'));
    const d2 = deps(bad, store2, new Budget(null));
    const res = await startDialogue({ ...d2, judge: d2.provider }, INPUT, settings({ judge: true }));
    expect(res.outcome).toBe('converged'); // the gate is computed, with or without the judge
    expect(bad.seen.filter((s) => s.judge && s.round === 0)).toHaveLength(2); // retried once
    const notes = roundSummaryView(loadDialogue(store2, res.id), 0).notes.join('\n');
    expect(notes).toMatch(/LLM judge unavailable this round/);
  });
});
