/** A running dialogue's loads stay incremental: no write of the engine's own makes a later load read everything again. */
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/fake.ts';
import { ENGINE_LOAD, loadDialogue, startDialogue } from '../../src/orchestrator/index.ts';
import { benchResponder } from '../../bench/responder.ts';
import { engine, makePool, settings } from './helpers.ts';

const input = { question: 'Should the queue be per tenant?', pool: makePool(4), constraints: [], sources: [] };

describe('engine loads while a dialogue runs', () => {
  it('read every row only while the dialogue is set up, not again in five rounds', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(7) }));
    const reads: unknown[] = [];
    const original = deps.store.roundRowsFrom.bind(deps.store);
    deps.store.roundRowsFrom = (id, from, opts) => (reads.push(from), original(id, from, opts));
    const result = await startDialogue(deps, input, settings({ panelSize: 4, minRounds: 5, maxRounds: 5 }));
    expect(result.rounds).toBe(5);
    expect(reads.length).toBeGreaterThan(10);
    // Full reads (from round 0) only while the dialogue is being set up, none once answers are stored.
    const answered = reads.findIndex((r) => typeof r === 'object' && r !== null && 'responses' in r);
    expect(answered).toBeGreaterThan(0);
    expect(reads.slice(answered).filter((r) => r === 0)).toEqual([]);
  });

  it('see a round cache note as a change of that round only', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(7) }));
    const result = await startDialogue(deps, input, settings({ panelSize: 4, minRounds: 2, maxRounds: 2 }));
    loadDialogue(deps.store, result.id, ENGINE_LOAD);
    deps.store.setRoundCacheNote(result.id, 1, 'warm-up skipped: test');
    expect(deps.store.changedFrom(result.id)).toEqual({ rounds: 1 });
    deps.store.setRoundCacheNote(result.id, 1, 'again');
    expect(loadDialogue(deps.store, result.id, ENGINE_LOAD).rounds[1]!.cacheNote).toBe('again');
  });
});
