/** `blue dialogue rejudge <dir> --json`: the report contract, exact counts, and no writes to the folder. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { FIXTURE, hashTree, tempDir, testContext } from './helpers.ts';

const KEYS = ['round', 'panel', 'panelSize', 'perspectives', 'newPerspectives', 'tensionsRaised', 'openTensions', 'convergeSignals', 'convergePercent', 'velocity', 'findings', 'unresolvedRefs', 'merges'];

describe('dialogue rejudge on the recorded blue dialogue', () => {
  it('prints the contract with the computed counts and leaves the folder untouched', async () => {
    const before = hashTree(FIXTURE);
    const ctx = testContext(tempDir());
    const code = await main(['dialogue', 'rejudge', FIXTURE, '--json'], ctx);
    expect(ctx.err()).toBe('');
    expect(code).toBe(0);
    expect(ctx.out().trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(ctx.out()) as { status: string; rounds: Record<string, unknown>[] };
    expect(Object.keys(report).sort()).toEqual(['findings', 'rounds', 'status']);
    expect(report.status).toBe('open');
    expect(report.rounds.map((r) => r.round)).toEqual([0, 1, 2, 3]);
    for (const r of report.rounds) expect(Object.keys(r).sort()).toEqual([...KEYS].sort());

    const r0 = report.rounds[0]!;
    expect(r0).toMatchObject({ panelSize: 10, perspectives: 20, tensionsRaised: 10, convergeSignals: 0, convergePercent: 0, openTensions: 10 });
    expect(r0.panel).toHaveLength(10);
    expect(r0.velocity).toBe((r0.openTensions as number) + (r0.newPerspectives as number));

    const r3 = report.rounds[3]!;
    expect(r3).toMatchObject({ panelSize: 6, convergeSignals: 6, convergePercent: 100 });
    expect([...(r3.panel as string[])].sort()).toEqual(['cannoli', 'croissant', 'galette', 'muffin', 'strudel', 'tartlet']);
    // not converged: work remains even though every expert signalled
    expect(r3.velocity).toBeGreaterThan(0);
    for (const r of report.rounds) expect(r.velocity).toBe((r.openTensions as number) + (r.newPerspectives as number));

    expect(hashTree(FIXTURE)).toEqual(before);
  }, 60_000);

  it('agrees with a replayed run (same engine, same counts)', async () => {
    const ctx = testContext(tempDir());
    await main(['dialogue', 'rejudge', FIXTURE, '--json'], ctx);
    const report = JSON.parse(ctx.out()) as { rounds: { velocity: number; openTensions: number; newPerspectives: number }[] };
    // the scoreboard of the replay run (fixture-run golden) says R0..R3 velocity 29, 27, 19, 3
    expect(report.rounds.map((r) => r.velocity)).toEqual([29, 27, 19, 3]);
    expect(report.rounds.map((r) => r.openTensions)).toEqual([10, 11, 7, 3]);
    expect(report.rounds.map((r) => r.newPerspectives)).toEqual([19, 16, 12, 0]);
  }, 60_000);

  it('a missing folder is a one-line user error (exit 2)', async () => {
    const cwd = tempDir();
    const ctx = testContext(cwd);
    const code = await main(['dialogue', 'rejudge', 'no-such-folder', '--json'], ctx);
    expect(code).toBe(2);
    expect(ctx.out()).toBe('');
    expect(ctx.err().trimEnd().split('\n')).toHaveLength(1);
    expect(ctx.err()).toMatch(/E_REPLAY/);
  });
});
