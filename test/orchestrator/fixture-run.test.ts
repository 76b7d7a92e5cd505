/**
 * The main job end to end: `blue dialogue start --provider replay` over the real recorded blue
 * dialogue, through the CLI, on a temp workspace with a fixed clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/store/index.ts';
import { FIXTURE, FIXTURE_QUESTION, readGolden, tempDir, testContext } from './helpers.ts';

const ID = '2026-11-21T1000Z-should-rfc-0058-be-superseded-by-a-hybrid-relational';

describe('replaying the RFC 0058 blue dialogue through the CLI', () => {
  let cwd = '';
  let dir = '';
  let code = -1;
  let stderr = '';
  let stdout = '';

  beforeAll(async () => {
    cwd = tempDir();
    const ctx = testContext(cwd);
    code = await main(['dialogue', 'start', FIXTURE_QUESTION, '--provider', 'replay', '--replay', FIXTURE, '--quiet'], ctx);
    stderr = ctx.err();
    stdout = ctx.out();
    dir = path.join(cwd, 'dialogues', ID);
  }, 60_000);

  const read = (rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');
  const rowIds = (md: string, prefix: 'P' | 'T') => new Set([...md.matchAll(new RegExp(`^\\| (${prefix}\\d{4}) `, 'gm'))].map((m) => m[1]));

  it('exits 3 (ended without converging) with nothing on stderr and names the outcome', () => {
    expect(stderr).toBe('');
    expect(code).toBe(3);
    expect(stdout).toContain(`RECORDING_EXHAUSTED: ${ID} after 4 rounds`);
  });

  it('writes every file of ARCHITECTURE §1', () => {
    for (const f of ['dialogue.yaml', 'expert-pool.yaml', 'scoreboard.md', 'tensions.md', 'verdict.md', `${ID}.dialogue.recorded.md`]) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    const panels: Record<number, string[]> = {
      0: ['brioche', 'cannoli', 'croissant', 'cupcake', 'donut', 'eclair', 'macaron', 'muffin', 'scone', 'strudel'],
      1: ['cannoli', 'croissant', 'eclair', 'galette', 'macaron', 'muffin', 'strudel', 'tartlet'],
      2: ['cannoli', 'croissant', 'galette', 'muffin', 'strudel', 'tartlet'],
      3: ['cannoli', 'croissant', 'galette', 'muffin', 'strudel', 'tartlet'],
    };
    for (const [round, names] of Object.entries(panels)) {
      const files = fs.readdirSync(path.join(dir, `round-${round}`)).sort();
      const expected = ['panel.yaml', 'summary.md', ...names.flatMap((n) => [`${n}.md`, `${n}.prompt.md`])].sort();
      expect(files, `round-${round}`).toEqual(expected);
    }
    expect(fs.existsSync(path.join(dir, 'round-4'))).toBe(false);
  });

  it('keeps expert responses verbatim', () => {
    expect(read('round-0/muffin.md')).toBe(fs.readFileSync(path.join(FIXTURE, 'round-0/muffin.md'), 'utf8'));
    expect(read('round-3/tartlet.md')).toBe(fs.readFileSync(path.join(FIXTURE, 'round-3/tartlet.md'), 'utf8'));
  });

  it('round 0 registers 20 perspectives and 10 tensions', () => {
    const md = read('round-0/summary.md');
    expect(rowIds(md, 'P').size).toBe(20);
    expect(rowIds(md, 'T').size).toBe(10);
    expect([...rowIds(md, 'P')]).toContain('P0020');
    expect([...rowIds(md, 'T')]).toContain('T0010');
  });

  it('the final round shows 6/6 convergence signals', () => {
    const md = read('round-3/summary.md');
    expect(md).toContain('Convergence Signals: 6/6 (100%)');
    expect(md.match(/`\[MOVE:CONVERGE\]` ✓/g)).toHaveLength(6);
  });

  it('fills the database', () => {
    const db = openDatabase(cwd);
    try {
      const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('dialogues')).toBe(1);
      expect(count('perspectives')).toBeGreaterThanOrEqual(20);
      expect(count('tensions')).toBeGreaterThanOrEqual(10);
      // 10 + 8 + 6 + 6 seats, every one answered from the recording
      expect(count('responses')).toBe(30);
      expect(count('llm_calls')).toBe(30);
    } finally {
      db.close();
    }
  });

  it('the verdict says the recording ran out, not that the panel converged', () => {
    const verdict = read('verdict.md');
    const first = verdict.split('\n')[0]!;
    expect(first).toMatch(/RECORDING EXHAUSTED/);
    expect(first).not.toMatch(/\bCONVERGED\b/);
    // velocity stays > 0: three round-0 tensions (T0004, T0006, T0009) were never addressed
    expect(read('scoreboard.md')).toMatch(/\| R3 +\|.*\| +3 \| +0 \| +3 \| +100% \|/);
    expect(read('dialogue.yaml')).toMatch(/^status: recording_exhausted$/m);
  });

  it('the next prompt carries a digest, the open tensions by global id, and no second copy of the summary tables', () => {
    const prompt = read('round-3/muffin.prompt.md');
    expect(prompt).toContain('## Round 2 in brief');
    expect(prompt).toContain('### What changed');
    expect(prompt).toContain('- T0201 raised by Strudel: Inline-refs-only design');
    expect(prompt).toContain('### Key question');
    expect(prompt).toContain('- T0004: Unbounded future query patterns vs. locked access patterns (raised by Cupcake)');
    expect(prompt).not.toMatch(/^\|/m);
  });

  it('each table appears once per summary: no id is a row of two tables', () => {
    for (const round of [0, 1, 2, 3]) {
      const rows = [...read(`round-${round}/summary.md`).matchAll(/^\| ([PT]\d{4}) /gm)].map((m) => m[1]);
      expect(rows.length, `round ${round}`).toBeGreaterThan(0);
      expect(new Set(rows).size, `round ${round}`).toBe(rows.length);
    }
  });

  it('titles carry the whole question', () => {
    expect(read('verdict.md').split('\n')[0]).toBe(`# Verdict: RECORDING EXHAUSTED — ${FIXTURE_QUESTION}`);
  });

  it.each(['round-0/summary.md', 'scoreboard.md', 'tensions.md', 'verdict.md'])('%s matches its golden file', (rel) => {
    const actual = read(rel);
    expect(actual).not.toMatch(/\/work\/|\/tmp\//);
    expect(actual).toBe(readGolden(`fixture-run/${rel.replace('/', '-')}`, actual));
  });
});
