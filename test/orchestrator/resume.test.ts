/**
 * Resume from every phase a crash can leave behind: a judged round whose ending was never
 * written re-uses the stored decision (never starts a phantom round); ended dialogues refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/index.ts';
import { resumeDialogue, startDialogue } from '../../src/orchestrator/index.ts';
import { engine, makePool, settings } from './helpers.ts';
import { withWorkspaceDb } from '../helpers/workspace-db.ts';

const converging = createFakeProvider({
  respond: (req) => (req.meta.round === 0 ? `[PERSPECTIVE P01: ${req.meta.expert} view]\nA view.\n---` : '[MOVE:CONVERGE]\n---'),
});
const input = { question: 'Shall we?', pool: makePool(3), constraints: [], sources: [] };

describe('resume', () => {
  it('finishes a dialogue whose last round was judged converged but never finalised', async () => {
    const deps = engine(converging);
    const first = await startDialogue(deps, input, settings());
    expect(first.outcome).toBe('converged');
    // Simulate a crash after judging the last round: status still open, no verdict on disk.
    deps.store.setStatus(first.id, 'open', '2026-11-21T10:00:00Z');
    fs.rmSync(path.join(deps.root, first.dir, 'verdict.md'));
    const rounds = deps.store.rounds(first.id).length;

    const again = await resumeDialogue(deps, first.id);
    expect(again.outcome).toBe('converged');
    expect(deps.store.rounds(first.id)).toHaveLength(rounds); // no phantom round
    expect(fs.readFileSync(path.join(deps.root, first.dir, 'verdict.md'), 'utf8')).toMatch(/^# Verdict: CONVERGED/);
  });

  it('continues a judged round that was going on: evolves and runs the next round', async () => {
    let calls = 0;
    const provider = createFakeProvider({
      respond: (req) => {
        calls++;
        return req.meta.round === 0 ? `[TENSION T01: ${req.meta.expert} worry]\nA worry.\n---` : `[RESOLVED T00${String(['muffin', 'cupcake', 'scone'].indexOf(req.meta.expert!) + 1).padStart(2, '0')}: fixed]\n[MOVE:CONVERGE]\n---`;
      },
    });
    const deps = engine(provider);
    const first = await startDialogue(deps, input, settings({ maxRounds: 1 }));
    expect(first.outcome).toBe('forced');
    // Reopen as if round 0 had been judged "continue" and the process had died before evolving.
    const row = deps.store.getRound(first.id, 0)!;
    const synthesis = JSON.parse(row.synthesisJson!) as Record<string, unknown>;
    const nextPanel = deps.store.experts(first.id).map((e) => ({ name: e.display, role: e.role, tier: e.tier, relevance: e.relevance, source: 'retained' }));
    withWorkspaceDb(deps.root, (db) =>
      db.prepare('UPDATE rounds SET synthesis_json = ? WHERE dialogue_id = ? AND round = 0').run(JSON.stringify({ ...synthesis, decision: 'continue', nextPanel }), first.id),
    );
    const saved = JSON.parse(deps.store.getDialogue(first.id)!.settings_json) as Record<string, unknown>;
    deps.store.updateSettings(first.id, JSON.stringify({ ...saved, maxRounds: 3 }), '2026-11-21T10:00:00Z');
    deps.store.setStatus(first.id, 'open', '2026-11-21T10:00:00Z');
    const before = calls;

    const again = await resumeDialogue(deps, first.id);
    expect(again.outcome).toBe('converged');
    expect(deps.store.rounds(first.id).map((r) => r.round)).toEqual([0, 1]);
    expect(calls - before).toBe(3); // round 1 only; round 0 was never asked again
  });

  it('refuses a dialogue that already ended', async () => {
    const deps = engine(converging);
    const done = await startDialogue(deps, input, settings());
    await expect(resumeDialogue(deps, done.id)).rejects.toMatchObject({ code: 'E_STATE' });
  });
});

describe('an answer with no text', () => {
  it('is stored as absent with the stop reason, and its cost still counts', async () => {
    const provider = createFakeProvider({ respond: (req) => (req.meta.expert === 'cupcake' ? '' : '[MOVE:CONVERGE]\n---') });
    const deps = engine(provider);
    const res = await startDialogue(deps, { ...input, pool: makePool(3) }, settings({ maxRounds: 1, minRounds: 1 }));
    expect(res.outcome).toBe('forced');
    const cupcake = deps.store.responses(res.id, 0).find((r) => r.expert === 'cupcake')!;
    expect(cupcake).toMatchObject({ status: 'absent', absent_reason: 'no text in the response (stop reason end_turn)' });
    expect(deps.store.llmCalls(res.id).find((c) => c.expert === 'cupcake')?.outcome).toBe('ok');
    expect(deps.store.getRound(res.id, 0)!.convergePercent).toBe(66);
  });
});
