/** Shared test helpers: temp git repos and a fake CLI context whose cwd can switch. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { counterIds, fixedClock, seededRng } from '../../src/core/index.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';

/** A fresh temp folder. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blue-'));
}

/** Runs git in `cwd` and returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `git init` with a local identity. */
export function initRepo(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'Test');
  return dir;
}

/** Writes `text` to `root/rel`, creating folders. */
export function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** A CLI runner: `run(cwd, ...argv)` → { code, out, err }. */
export function cli(): (cwd: string, ...argv: string[]) => Promise<{ code: number; out: string; err: string }> {
  const clock = fixedClock('2026-01-24T10:00:00Z', 60_000);
  return async (cwd, ...argv) => {
    let out = '';
    let err = '';
    const ctx: CliContext = {
      cwd,
      env: {},
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      clock,
      ids: counterIds(),
      rng: seededRng(1),
      isTTY: false,
      setExitCode: () => undefined,
    };
    const code = await main(['realm', ...argv], ctx);
    return { code, out, err };
  };
}

/** The s3-permissions schema of seed 004 Round 4 (read required, write optional with default). */
export const S3_SCHEMA = {
  type: 'object',
  required: ['read'],
  properties: {
    read: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-/*.]+$' } },
    write: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-/*.]+$' }, default: [] },
  },
};
