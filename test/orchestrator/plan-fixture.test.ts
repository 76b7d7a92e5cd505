/**
 * Issue 8 "Done means" on the real rfc-0058 recording, re-judged in memory: the figures after
 * round 3, concessions scored, no same-response resolution, and `explain` naming every rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseResponse } from '../../src/experts/markers.ts';
import { type RejudgeRun, explainDialogue, rejudge, rejudgeInMemory, rejudgeReport, scoreDetail } from '../../src/orchestrator/index.ts';
import { isOpenStatus } from '../../src/store/index.ts';
import { BLUE_RECORDS } from '../fixture-paths.ts';
import { FIXTURE, tempDir, testContext } from './helpers.ts';

describe('rfc-0058 re-judged by the planner', () => {
  let run: RejudgeRun;
  beforeAll(async () => {
    run = await rejudgeInMemory(FIXTURE);
  }, 60_000);
  afterAll(() => run.store.close());

  it('after round 3: 2–4 open tensions with T0004 among them, at most 2 new perspectives, velocity ≤ 6', () => {
    const r3 = run.store.getRound(run.id, 3)!;
    const open = run.store.tensions(run.id).filter((t) => isOpenStatus(t.status)).map((t) => t.id);
    expect(open).toEqual(['T0004', 'T0006', 'T0009']);
    expect(r3.openTensions).toBe(3);
    expect(r3.newPerspectives).toBe(0);
    expect(r3.velocity).toBe(3);
    expect(run.store.rounds(run.id).map((r) => [r.panelSize, r.newPerspectives, r.openTensions, r.velocity, r.convergePercent])).toEqual([
      [10, 19, 10, 29, 0],
      [8, 16, 11, 27, 0],
      [6, 12, 7, 19, 0],
      [6, 0, 3, 3, 100],
    ]);
  });

  it('the convergence rules are settings: without them round 3 keeps 8 new perspectives and 5 open tensions', async () => {
    const off = await rejudge(FIXTURE, { bookkeeping: { confirmOnConverge: false, ownerConvergeAccepts: false } });
    expect(off.rounds[3]).toMatchObject({ newPerspectives: 8, openTensions: 5, velocity: 13 });
  }, 60_000);

  it('every concession scores a Truth point (docs/scoring.md), with or without an id', () => {
    let total = 0;
    for (const s of run.store.scores(run.id)) {
      const text = fs.readFileSync(path.join(FIXTURE, `round-${s.round}`, `${s.expert}.md`), 'utf8');
      const written = parseResponse(text).markers.filter((m) => m.kind === 'concession').length;
      const { tally } = scoreDetail(run.id, s);
      expect(tally.concessions, `${s.expert} R${s.round}`).toBe(written);
      expect(s.truth).toBeGreaterThanOrEqual(written);
      total += written;
    }
    expect(total).toBe(12);
  });

  it('no status change applies to a tension created in the same response (or round)', () => {
    const tensions = new Map(run.store.tensions(run.id).map((t) => [t.id, t]));
    const changes = run.store.planEvents(run.id).filter((e) => ['resolve', 'accept', 'defer', 'reopen'].includes(e.kind));
    expect(changes.length).toBeGreaterThan(10);
    for (const e of changes) expect(tensions.get(e.subject!)!.round, `${e.subject} in R${e.round}`).toBeLessThan(e.round);
  });

  it('reports what it lost: one unresolved id-less [RESOLVED …] in round 3, with line and column', () => {
    const report = rejudgeReport(run.store, run.id, 'open');
    expect(report.findings).toEqual([expect.objectContaining({ round: 3, expert: 'cannoli', rule: 'unresolved-ref', line: 7, column: 1 })]);
    expect(report.rounds.map((r) => r.findings)).toEqual([{}, {}, {}, { 'unresolved-ref': 1 }]);
    expect(report.rounds[3]!.unresolvedRefs).toEqual([expect.objectContaining({ expert: 'cannoli', line: 7, column: 1 })]);
    expect(report.rounds[0]!.merges).toEqual([{ id: 'P0015', into: 'P0011', similarity: 0.66, threshold: 0.6, rule: 'lexical-v1' }]);
  });

  it('explain shows the rule behind every merge and every status change of every round', () => {
    for (const round of [0, 1, 2, 3]) {
      const text = explainDialogue(run.store, run.id, round);
      for (const e of run.store.planEvents(run.id, round)) {
        if (e.kind === 'merge' && e.subject?.startsWith('P')) expect(text).toContain(`${e.subject} → ${e.target ?? '—'}  ${e.rule}`);
        if (['resolve', 'accept', 'defer', 'supersede'].includes(e.kind)) expect(text).toMatch(new RegExp(`${e.subject} \\w+.*rule ${e.rule}`));
      }
    }
  });

  it('blue dialogue explain <dir> --round 3 prints the plan; a bad --round is one line, exit 2', async () => {
    const ctx = testContext(tempDir());
    expect(await main(['dialogue', 'explain', FIXTURE, '--round', '3'], ctx)).toBe(0);
    expect(ctx.out()).toMatch(/^Round 3: panel 6, new P 0, open T 3, velocity 3/);
    expect(ctx.out()).toContain('P0308 → P0303  same-label');
    expect(ctx.out()).toContain('T0201 resolved  rule resolved-marker');
    const bad = testContext(tempDir());
    expect(await main(['dialogue', 'explain', FIXTURE, '--round', 'x'], bad)).toBe(2);
    expect(bad.err().trimEnd().split('\n')).toHaveLength(1);
  }, 60_000);

  it('blue dialogue lint reports the unresolved reference with file:line:column', async () => {
    const ctx = testContext(tempDir());
    expect(await main(['dialogue', 'lint', FIXTURE], ctx)).toBe(0);
    expect(ctx.out()).toMatch(/round-3\/cannoli\.md:7:1 warning unresolved-ref: /);
    expect(ctx.out()).toMatch(/^1 finding$/m);
  }, 60_000);
});

describe('deterministic camps (no judge) name who conceded to whom', () => {
  it('round 1 of rfc-0058: the concessions read from the stored references', async () => {
    const run = await rejudgeInMemory(FIXTURE);
    try {
      const syn = JSON.parse(run.store.getRound(run.id, 1)!.synthesisJson!) as { camps: { name: string; stance: string }[] };
      const stance = syn.camps.map((c) => c.stance).join(' ');
      expect(stance).toContain('Muffin concedes to Brioche (T0001)');
      expect(stance).toContain('Tartlet concedes to Donut (T0005)');
    } finally {
      run.store.close();
    }
  }, 60_000);
});

describe('blue dialogue rejudge (text)', () => {
  it('names each round\'s findings by rule', async () => {
    const ctx = testContext(tempDir());
    expect(await main(['dialogue', 'rejudge', FIXTURE], ctx)).toBe(0);
    expect(ctx.out()).toMatch(/^round 3: panel 6, P 10 \(new 0\), T 0, open 3, converge 6\/6 \(100%\), velocity 3; findings: unresolved-ref 1$/m);
    expect(ctx.out()).toMatch(/^round 0: .*velocity 29$/m);
  }, 60_000);
});

describe('blue dialogue lint FILE (a recorded inline dialogue)', () => {
  it('reports the planner\'s unresolved references at lines of the record file', async () => {
    const file = path.join(BLUE_RECORDS, '2026-01-26T2128Z-spike-resolved-lifecycle.dialogue.recorded.md');
    const ctx = testContext(tempDir());
    expect(await main(['dialogue', 'lint', file], ctx)).toBe(0);
    const unresolved = ctx.out().split('\n').filter((l) => l.includes(' unresolved-ref: '));
    expect(unresolved.map((l) => l.replace(/^.*\.md:/, '').split(' ')[0])).toEqual(['143:1', '165:1']);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines[142]).toMatch(/^\[RESOLVED T2/);
  }, 60_000);
});
