/** Registration details: reopening a resolved tension, and re-judging a round is idempotent. */
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/index.ts';
import { judgeRound, loadDialogue, startDialogue, tensionRows } from '../../src/orchestrator/index.ts';
import { engine, makePool, settings } from './helpers.ts';

const script: Record<number, Record<string, string>> = {
  0: { muffin: '[TENSION T01: caching is unsafe]\nStale reads.\n---', cupcake: '[PERSPECTIVE P01: cache per tenant]\nIsolate.\n---' },
  1: { muffin: '[MOVE:CONVERGE]\n---', cupcake: '[RESOLVED T0001: per-tenant TTLs]\n[MOVE:CONVERGE]\n---' },
  2: { muffin: '[MOVE:CHALLENGE T0001: TTLs do not cover deletes]\n---', cupcake: '[MOVE:CONVERGE]\n---' },
};

describe('tension lifecycle', () => {
  it('a challenge to a resolved tension reopens it, and re-judging gives the same state', async () => {
    const provider = createFakeProvider({ respond: (req) => script[req.meta.round!]?.[req.meta.expert!] ?? '---' });
    const deps = engine(provider);
    const pool = makePool(2);
    const res = await startDialogue(deps, { question: 'Cache?', pool, constraints: [], sources: [] }, settings({ panelSize: 2, maxRounds: 3, minRounds: 3 }));
    expect(res.outcome).toBe('forced');
    const after = () => tensionRows(loadDialogue(deps.store, res.id));
    expect(after()).toEqual([expect.objectContaining({ id: 'T0001', status: 'reopened', raisedBy: 'Muffin' })]);
    expect(deps.store.rounds(res.id).map((r) => r.openTensions)).toEqual([1, 0, 1]);
    const events = deps.store.tensionEvents(res.id).map((e) => `${e.round}:${e.event}:${e.expert}`);
    expect(events).toEqual(['0:raised:muffin', '1:resolved:cupcake', '2:reopened:muffin']);

    await judgeRound(deps, res.id, 2);
    await judgeRound(deps, res.id, 1);
    expect(deps.store.tensionEvents(res.id).map((e) => `${e.round}:${e.event}:${e.expert}`).sort()).toEqual([...events].sort());
    expect(deps.store.rounds(res.id).map((r) => r.openTensions)).toEqual([1, 0, 1]);
    expect(after()).toEqual([expect.objectContaining({ id: 'T0001', status: 'reopened' })]);
    expect(tensionRows(loadDialogue(deps.store, res.id), 1)).toEqual([expect.objectContaining({ status: 'resolved', closedRound: 1, closedBy: ['Cupcake'] })]);
  });
});
