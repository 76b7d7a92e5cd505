/**
 * `blue realm worktree|pr|ci` take `--realm NAME` like the other realm commands: in a repo that
 * joined two realms they refuse to guess, act on the chosen realm, and name an unknown one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import { runCli } from '../support.ts';
import { git, tempDir } from './helpers.ts';
import { readyRealm } from './setup.ts';

const clock = fixedClock('2026-01-24T12:00:00Z');

describe('--realm on worktree, pr and ci', () => {
  let aperture = '';
  let fungal = '';
  const env = { BLUE_HOME: tempDir(), PATH: tempDir() }; // no gh on PATH
  const run = (cwd: string, ...argv: string[]) => runCli(['realm', ...argv], cwd, { clock, env });

  beforeAll(async () => {
    const ready = await readyRealm();
    ({ aperture, fungal } = ready);
    expect((await run(ready.top, 'init', '--name', 'second', '--path', 'realm-second')).code).toBe(0);
    expect((await run(aperture, 'join', '../realm-second')).code).toBe(0);
    // Worktrees and pull requests need commits, and a branch in each repo.
    for (const repo of [aperture, fungal]) {
      git(repo, 'add', '-A');
      git(repo, 'commit', '-qm', 'start');
      git(repo, 'branch', 'feat-pr');
    }
  });

  /** Without --realm the command refuses (two realms); with an unknown one it names it. */
  async function needsChoice(...argv: string[]): Promise<void> {
    const ambiguous = await run(aperture, ...argv);
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr).toContain('--realm NAME');
    const unknown = await run(aperture, ...argv, '--realm', 'nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('this repo has not joined realm "nope"');
  }

  it('worktree create, list and remove', async () => {
    await needsChoice('worktree', 'list');
    const made = await run(aperture, 'worktree', 'create', 'feat-x', '--realm', 'letemcook');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('Created worktree feat-x (branch feat-x) in 2 repo(s)');
    expect(fs.existsSync(path.join(fungal, '.blue', 'worktrees', 'feat-x'))).toBe(true);
    const list = await run(aperture, 'worktree', 'list', '--realm', 'letemcook');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('feat-x  fungal  feat-x');
    await needsChoice('worktree', 'remove', 'feat-x');
    const removed = await run(aperture, 'worktree', 'remove', 'feat-x', '--realm', 'letemcook');
    expect(removed.stdout).toContain('Removed worktree feat-x from');
  });

  it('pr create and pr status', async () => {
    await needsChoice('pr', 'create', 'feat-pr', '--dry-run');
    const create = await run(aperture, 'pr', 'create', 'feat-pr', '--dry-run', '--realm', 'letemcook');
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toContain('Merge order: aperture → fungal');
    await needsChoice('pr', 'status', 'feat-pr');
    const status = await run(aperture, 'pr', 'status', 'feat-pr', '--realm', 'letemcook');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('gh is not on PATH');
  });

  it('ci init', async () => {
    await needsChoice('ci', 'init');
    const ci = await run(aperture, 'ci', 'init', '--realm', 'letemcook');
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stdout).toContain('exporter and importer checks');
  });
});
