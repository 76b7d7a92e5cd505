/**
 * The few git operations the realm needs, run with `execFileSync('git', …)` in the realm
 * repository. Never touches the network except the realm's own configured remote.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/index.ts';

/** Result of a git call that may fail. */
export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; never throws (inspect `ok`). */
export function tryGit(cwd: string, args: string[], env?: NodeJS.ProcessEnv): GitResult {
  try {
    const stdout = execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, stdout, stderr: '' };
  } catch (err) {
    const e = err as { stdout?: string | Buffer; stderr?: string | Buffer };
    return { ok: false, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') };
  }
}

/**
 * Runs git in `cwd` and returns stdout.
 * @throws UserError E_REALM with git's first error line when git fails.
 */
export function git(cwd: string, args: string[]): string {
  const r = tryGit(cwd, args);
  if (!r.ok) throw new UserError('E_REALM', `git ${args[0]} failed: ${firstLine(r.stderr || r.stdout)}`);
  return r.stdout;
}

/** The first non-blank line of git's output, trimmed (git's own one-line reason). */
export function firstLine(output: string): string {
  return output.split('\n').find((l) => l.trim())?.trim() ?? 'unknown error';
}

/** True when `dir` is the top level of a git work tree. */
export function isGitRepo(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  const r = tryGit(dir, ['rev-parse', '--show-toplevel']);
  return r.ok && path.resolve(r.stdout.trim()) === fs.realpathSync(dir);
}

/** Commits with the repo's identity, falling back to `Blue <blue@local>` (blue's realm author). */
export function commit(cwd: string, message: string): void {
  const hasIdentity = tryGit(cwd, ['config', 'user.email']).ok;
  const identity = hasIdentity ? [] : ['-c', 'user.name=Blue', '-c', 'user.email=blue@local'];
  git(cwd, [...identity, 'commit', '-q', '-m', message]);
}

/** The current branch name. */
export function currentBranch(cwd: string): string {
  return git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
}

/** The first configured remote (usually `origin`), or undefined. */
export function firstRemote(cwd: string): string | undefined {
  return git(cwd, ['remote']).split('\n').map((s) => s.trim()).find(Boolean);
}

/** Paths with uncommitted changes (including untracked), relative to the repo root. */
export function dirtyPaths(cwd: string): string[] {
  return git(cwd, ['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter((l) => l.length > 3)
    .map((l) => l.slice(3).replace(/^"|"$/g, ''))
    .map((p) => (p.includes(' -> ') ? p.split(' -> ')[1]! : p));
}
