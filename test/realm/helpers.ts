/** Shared test helpers: temp git repos and a fake CLI context whose cwd can switch. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/core/index.ts';
import { runCli } from '../support.ts';

export { tempDir } from '../support.ts';

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

/** A CLI runner: `run(cwd, ...argv)` → { code, out, err } for `blue realm …`; the clock advances a minute per read. */
export function cli(start = '2026-01-24T10:00:00Z'): (cwd: string, ...argv: string[]) => Promise<{ code: number; out: string; err: string }> {
  const clock = fixedClock(start, 60_000);
  return async (cwd, ...argv) => {
    const { code, stdout, stderr } = await runCli(['realm', ...argv], cwd, { clock });
    return { code, out: stdout, err: stderr };
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
