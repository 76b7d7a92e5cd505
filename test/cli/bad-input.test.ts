/** Bad input gives exit 2 and exactly one stderr line (no stack trace); read commands print JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { FIXTURE, FIXTURE_QUESTION, hashTree, tempDir, testContext } from '../orchestrator/helpers.ts';

const REPLAY = ['--provider', 'replay', '--replay', FIXTURE, '--quiet'];

async function fails(argv: string[], cwd = tempDir(), env: Record<string, string | undefined> = {}, exitCode = 2): Promise<string> {
  const ctx = testContext(cwd, env);
  const code = await main(argv, ctx);
  const lines = ctx.err().split('\n').filter((l) => l !== '');
  expect(code, ctx.err()).toBe(exitCode);
  expect(lines, ctx.err()).toHaveLength(1);
  expect(ctx.err()).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('dialogue start refuses bad input with one line and exit 2', () => {
  it('an unknown pool name', async () => {
    const line = await fails(['dialogue', 'start', 'Is this a question?', '--pool', 'nope', ...REPLAY]);
    expect(line).toMatch(/^error\[E_POOL\] pool "nope" not found/);
  });

  it('a pool file with a bad tier, naming file:line', async () => {
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'pools'));
    fs.writeFileSync(
      path.join(cwd, 'pools', 'broken.yaml'),
      ['domain: Broken', 'experts:', '  - role: Architect', '    tier: Core', '    relevance: 0.9', '  - role: Oracle', '    tier: Legendary', '    relevance: 0.5', ''].join('\n'),
    );
    const line = await fails(['dialogue', 'start', 'Is this a question?', '--pool', 'broken', ...REPLAY], cwd);
    expect(line).toMatch(/^error\[E_POOL\] pools\/broken\.yaml:7:\d+ experts\[1\]\.tier/);
    expect(line).toMatch(/Legendary/);
    expect(fs.existsSync(path.join(cwd, 'dialogues'))).toBe(false);
  });

  it('an empty question', async () => {
    const cwd = tempDir();
    const line = await fails(['dialogue', 'start', '   ', ...REPLAY], cwd);
    expect(line).toMatch(/^error\[E_USAGE\] the question is empty/);
    expect(fs.existsSync(path.join(cwd, 'dialogues')) ? fs.readdirSync(path.join(cwd, 'dialogues')) : []).toEqual([]);
  });

  it('a missing replay folder', async () => {
    const line = await fails(['dialogue', 'start', 'Is this a question?', '--provider', 'replay', '--replay', 'no/such/folder', '--quiet']);
    expect(line).toMatch(/E_REPLAY/);
    expect(line).toMatch(/no\/such\/folder/);
  });

  it('--provider anthropic without ANTHROPIC_API_KEY says how to set one or replay (exit 4: provider unavailable)', async () => {
    const line = await fails(['dialogue', 'start', 'Is this a question?', '--provider', 'anthropic', '--quiet'], tempDir(), { ANTHROPIC_API_KEY: undefined }, 4);
    expect(line).toMatch(/^error\[E_LLM_AUTH\] .*ANTHROPIC_API_KEY/);
    expect(line).toMatch(/--provider replay/);
  });

  it('starting the same dialogue twice at the same clock: E_EXISTS, first dialogue untouched', async () => {
    const cwd = tempDir();
    const first = testContext(cwd);
    expect(await main(['dialogue', 'start', FIXTURE_QUESTION, ...REPLAY], first)).toBe(0);
    const dialogues = path.join(cwd, 'dialogues');
    const before = hashTree(dialogues);
    const line = await fails(['dialogue', 'start', FIXTURE_QUESTION, ...REPLAY], cwd);
    expect(line).toMatch(/E_EXISTS/);
    expect(hashTree(dialogues)).toEqual(before);
    expect(fs.readdirSync(dialogues)).toHaveLength(1);
  }, 60_000);
});

describe('read commands print JSON', () => {
  it('status --json and list --json parse, and agree with the run', async () => {
    const cwd = tempDir();
    expect(await main(['dialogue', 'start', FIXTURE_QUESTION, ...REPLAY], testContext(cwd))).toBe(0);

    const list = testContext(cwd);
    expect(await main(['dialogue', 'list', '--json'], list)).toBe(0);
    const rows = JSON.parse(list.out()) as { id: string; status: string; rounds: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'recording_exhausted', rounds: 4 });

    const status = testContext(cwd);
    expect(await main(['dialogue', 'status', '--json'], status)).toBe(0);
    const report = JSON.parse(status.out()) as Record<string, unknown>;
    expect(JSON.stringify(report)).toContain(rows[0]!.id);
    expect(status.err()).toBe('');
  }, 60_000);

  it('list --json on an empty workspace is an empty array', async () => {
    const ctx = testContext(tempDir());
    expect(await main(['dialogue', 'list', '--json'], ctx)).toBe(0);
    expect(JSON.parse(ctx.out())).toEqual([]);
  });

  it('status on an empty workspace is a one-line E_NOT_FOUND', async () => {
    const line = await fails(['dialogue', 'status', '--json']);
    expect(line).toMatch(/E_NOT_FOUND/);
  });
});
