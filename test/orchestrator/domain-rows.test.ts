/** Rows as the domain reads them: booleans, not 0/1; JSON columns checked where they are read. */
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/core/index.ts';
import { createFakeProvider } from '../../src/llm/fake.ts';
import { ENGINE_LOAD, loadDialogue, startDialogue, synthesisOf } from '../../src/orchestrator/index.ts';
import { benchResponder } from '../../bench/responder.ts';
import { engine, makePool, settings } from './helpers.ts';

describe('domain rows', () => {
  it('perspectives and references carry booleans; a stored synthesis parses', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(3) }));
    const result = await startDialogue(deps, { question: 'Per-tenant queues?', pool: makePool(4), constraints: [], sources: [] }, settings({ panelSize: 4, maxRounds: 3, minRounds: 2 }));
    const data = loadDialogue(deps.store, result.id, ENGINE_LOAD);
    expect(data.perspectives.length).toBeGreaterThan(0);
    expect(new Set(data.perspectives.map((p) => typeof p.isNew))).toEqual(new Set(['boolean']));
    expect(data.perspectives.some((p) => p.isNew)).toBe(true);
    expect(new Set(data.refs.map((r) => typeof r.cross_expert))).toEqual(new Set(['boolean']));
    expect(deps.store.perspectives(result.id).map((p) => p.isNew)).toEqual(data.perspectives.map((p) => p.isNew));
    expect(synthesisOf(data.rounds[0])?.decision).toBe('continue');
  });

  it('a synthesis that does not match its schema fails naming the round and the field', () => {
    const row = { dialogueId: 'd1', round: 2, synthesisJson: JSON.stringify({ decision: 'maybe' }) } as Parameters<typeof synthesisOf>[0];
    let err: unknown;
    try {
      synthesisOf(row);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BlueError);
    expect((err as BlueError).code).toBe('E_INTERNAL');
    expect((err as BlueError).message).toMatch(/^round 2 of dialogue d1: rounds\.synthesis_json at decision: /);
  });
});
