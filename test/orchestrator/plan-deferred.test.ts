/** A deferred tension end to end: out of the open count, in the verdict and in the tensions table. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/index.ts';
import { scoreDetail, startDialogue } from '../../src/orchestrator/index.ts';
import { engine, makePool, settings } from './helpers.ts';

const script: Record<number, Record<string, string>> = {
  0: { muffin: '[TENSION T01: Multi-region failover is unplanned]\nNobody owns the runbook.\n---', cupcake: '[PERSPECTIVE P01: Tenant-scoped caches]\nIsolate tenants.\n---' },
  1: { muffin: '[ACKNOWLEDGED T01: future work, tracked in a later RFC]\n\n[MOVE:CONVERGE]\n---', cupcake: '[MOVE:CONVERGE]\n---' },
};

describe('ACKNOWLEDGED → deferred', () => {
  it('closes the open count, scores a deferral, and is listed as deferred in the verdict and tensions.md', async () => {
    const deps = engine(createFakeProvider({ respond: (req) => script[req.meta.round!]?.[req.meta.expert!] ?? '---' }));
    const res = await startDialogue(deps, { question: 'Cache?', pool: makePool(2), constraints: [], sources: [] }, settings({ panelSize: 2, maxRounds: 3, minRounds: 2 }));
    expect(res.outcome).toBe('converged');
    expect(deps.store.tensions(res.id)).toEqual([expect.objectContaining({ id: 'T0001', status: 'deferred', closedRound: 1 })]);
    expect(deps.store.rounds(res.id).map((r) => r.openTensions)).toEqual([1, 0]);
    const muffin = deps.store.scores(res.id).find((s) => s.round === 1 && s.expert === 'muffin')!;
    expect(scoreDetail(res.id, muffin).tally).toMatchObject({ deferrals: 1 });
    const dir = path.join(deps.root, res.dir);
    const verdict = fs.readFileSync(path.join(dir, 'verdict.md'), 'utf8');
    expect(verdict).toMatch(/## Deferred Tensions\n\n\| ID +\| Tension +\| Why deferred +\| Round \|/);
    expect(verdict).toMatch(/\| T0001 \| Multi-region failover is unplanned \| future work, tracked in a later RFC/);
    expect(fs.readFileSync(path.join(dir, 'tensions.md'), 'utf8')).toMatch(/\*\*Open\*\*: 0 \| .*\*\*Deferred\*\*: 1 \|/);
  }, 30_000);
});
