/** `blue dialogue show|export|lint|list` on a replayed dialogue, and lint's exit code on bad markers. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support.ts';

const EXAMPLE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/api-versioning');
const QUESTION = 'How should we version our public HTTP API?';

describe('read commands', () => {
  let cwd = '';
  let id = '';
  beforeAll(async () => {
    cwd = tempDir();
    expect((await runCli(['dialogue', 'start', QUESTION, '--provider', 'replay', '--replay', EXAMPLE, '--quiet'], cwd)).code).toBe(0);
    id = fs.readdirSync(path.join(cwd, 'dialogues'))[0]!;
  }, 60_000);

  it('show prints the verdict by default, a round summary or the record on request', async () => {
    const verdict = await runCli(['dialogue', 'show', id], cwd);
    expect(verdict.stdout).toMatch(/^# Verdict: CONVERGED/);
    const summary = await runCli(['dialogue', 'show', id.slice(0, 20), '--doc', 'summary', '--round', '1'], cwd);
    expect(summary.stdout).toMatch(/^# Round 1 Summary/);
    const json = JSON.parse((await runCli(['dialogue', 'show', id, '--json'], cwd)).stdout) as { outcome: string; tensionsResolved: number };
    expect(json).toMatchObject({ outcome: 'converged', tensionsResolved: 4 });
    const missing = await runCli(['dialogue', 'show', id, '--doc', 'summary', '--round', '7'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error\[E_NOT_FOUND\].*round-7\/summary\.md does not exist/);
  });

  it('export dumps every stored entity as JSON', async () => {
    const dump = JSON.parse((await runCli(['dialogue', 'export', id], cwd)).stdout) as { tensions: unknown[]; perspectives: unknown[]; experts: unknown[] };
    expect(dump.tensions).toHaveLength(5);
    expect(dump.perspectives.length).toBeGreaterThan(10);
    expect(dump.experts).toHaveLength(6);
  });

  it('an unknown or ambiguous id is one line, exit 2', async () => {
    const unknown = await runCli(['dialogue', 'status', 'nope'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lint: clean recording exits 0; malformed markers exit 1 with file:line:col', async () => {
    const clean = await runCli(['dialogue', 'lint', id], cwd);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('0 findings');
    const bad = tempDir();
    fs.mkdirSync(path.join(bad, 'round-0'));
    fs.writeFileSync(path.join(bad, 'round-0', 'muffin.md'), 'Intro\n\n[PERSPECTIVE: no id here]\ntext\n---\n');
    const out = await runCli(['dialogue', 'lint', bad], cwd);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/round-0\/muffin\.md:3:1 error malformed-marker/);
  });
});
