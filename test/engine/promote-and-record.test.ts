/**
 * Promotion of a dialogue run by the engine (replay of the shared blue fixture), and the
 * record → replay round trip: a recorded run replays to the same documents and usage.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { fixedClock, seededRng } from '../../src/core/index.ts';
import { createFakeProvider, createReplayProvider, loadRecording } from '../../src/llm/index.ts';
import { DEFAULT_SETTINGS, startDialogue } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { FIXTURE, FIXTURE_QUESTION, tempDir, testContext } from '../orchestrator/helpers.ts';

const ID = '2026-11-21T1000Z-should-rfc-0058-be-superseded-by-a-hybrid-relational';

describe('blue dialogue promote on the replayed fixture', () => {
  it('refuses without --allow-forced, writes the RFC draft with it, back-links the record, and refuses twice', async () => {
    const cwd = tempDir();
    execFileSync('git', ['init', '-q'], { cwd });
    const run = async (...argv: string[]) => {
      const ctx = testContext(cwd);
      const code = await main(argv, ctx);
      return { code, out: ctx.out(), err: ctx.err() };
    };
    expect((await run('dialogue', 'start', FIXTURE_QUESTION, '--provider', 'replay', '--replay', FIXTURE, '--quiet')).code).toBe(3); // recording_exhausted

    const refused = await run('dialogue', 'promote', ID);
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toContain('recording_exhausted, not converged');
    expect(fs.existsSync(path.join(cwd, 'rfcs'))).toBe(false);

    const ok = await run('dialogue', 'promote', ID, '--allow-forced');
    expect(ok.code).toBe(0);
    const file = path.join(cwd, 'rfcs', '0001-should-rfc-0058-be-superseded-by-a-hybrid-relational.draft.md');
    const rfc = fs.readFileSync(file, 'utf8');
    expect(rfc).toMatch(/^# RFC 0001: Should RFC 0058 be superseded/);
    expect(rfc).toContain(`| **Dialogue**  | [${ID}](../dialogues/${ID}/${ID}.dialogue.recorded.md)`);
    expect(rfc).toMatch(/\| \*\*Alignment\*\* \| \d+ \(W:\d+ C:\d+ T:\d+ R:\d+; 4 rounds, 12 experts, 10\/18 tensions resolved\)/);
    expect(rfc).toContain('> **Warning:** this dialogue did not converge.');
    expect(rfc).toContain('## Resolved Design Decisions');
    expect(rfc).toContain('- T0007 — No rollback plan exists if the hybrid migration stalls mid-flight (raised by Macaron, round 0); resolved by Macaron in round 1\n');
    expect(rfc).toContain('- T0004 — Unbounded future query patterns vs. locked access patterns (open)');
    const record = fs.readFileSync(path.join(cwd, 'dialogues', ID, `${ID}.dialogue.recorded.md`), 'utf8');
    expect(record).toContain('**Promoted To**');
    expect(record).toContain('rfcs/0001-should-rfc-0058-be-superseded-by-a-hybrid-relational.draft.md');

    const twice = await run('dialogue', 'promote', ID, '--allow-forced');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('already promoted to rfcs/0001-');

    const list = await run('rfc', 'list', '--json');
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ number: 1, status: 'draft' })]);
  }, 60_000);
});

describe('--record then --provider replay', () => {
  it('replays a recorded run to the same summaries, verdict and usage', async () => {
    const question = 'Should we shard the events table?';
    const pool = {
      name: 'mini',
      domain: 'Data',
      experts: [
        { role: 'Database Architect', tier: 'Core' as const, relevance: 0.9 },
        { role: 'SRE', tier: 'Adjacent' as const, relevance: 0.7 },
        { role: 'Contrarian', tier: 'Wildcard' as const, relevance: 0.4 },
      ],
    };
    const respond = (req: { meta: { round?: number; expert?: string } }) =>
      req.meta.round === 0
        ? `[PERSPECTIVE P01: ${req.meta.expert} on sharding]\nShard by tenant.\n\n[TENSION T01: ${req.meta.expert} worry]\nHot tenants.\n---`
        : `[RESOLVED T00${['muffin', 'cupcake', 'scone'].indexOf(req.meta.expert ?? '') + 1 < 10 ? '0' : ''}${['muffin', 'cupcake', 'scone'].indexOf(req.meta.expert ?? '') + 1}: split hot tenants]\n[MOVE:CONVERGE]\n---`;
    const settings = { ...DEFAULT_SETTINGS, provider: 'anthropic' as const, seed: 3, panelSize: 3, rotation: 'none' as const, judge: false, record: true };
    const input = { question, pool, constraints: [], sources: [] };

    const rootA = tempDir();
    const storeA = new DialogueStore(openDatabase(rootA));
    const a = await startDialogue(
      { root: rootA, store: storeA, provider: createFakeProvider({ respond }), clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(3), record: true },
      input,
      settings,
    );
    expect(a.outcome).toBe('converged');
    const dirA = path.join(rootA, a.dir);
    expect(fs.readdirSync(path.join(dirA, 'recording', 'round-0')).sort()).toEqual(['cupcake.json', 'muffin.json', 'scone.json']);

    const rootB = tempDir();
    const storeB = new DialogueStore(openDatabase(rootB));
    const recording = loadRecording(dirA);
    const b = await startDialogue(
      { root: rootB, store: storeB, provider: createReplayProvider(recording), clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(3), recording },
      input,
      { ...settings, provider: 'replay', replayDir: dirA, record: false },
    );
    expect(b.outcome).toBe('converged');
    const dirB = path.join(rootB, b.dir);
    for (const f of ['round-0/summary.md', 'round-1/summary.md', 'tensions.md', 'verdict.md', 'round-1/muffin.md']) {
      expect(fs.readFileSync(path.join(dirB, f), 'utf8'), f).toBe(fs.readFileSync(path.join(dirA, f), 'utf8'));
    }
    const tokens = (s: DialogueStore, id: string) => s.llmCalls(id).map((c) => [c.round, c.expert, c.input_tokens, c.output_tokens, c.cache_read_tokens]);
    expect(tokens(storeB, b.id)).toEqual(tokens(storeA, a.id));
  });
});
