/**
 * `blue realm worktree` (seed 003 Round 12): one branch name, a linked git worktree in every
 * repo a change touches. Worktrees live at `<repo>/.blue/worktrees/<name>`, a folder holding
 * a `.gitignore` of `*` so the repo stays clean. All or nothing: problems found up front
 * (missing checkout, uncommitted tracked changes, path taken) create nothing, and a failure
 * while creating (the branch checked out elsewhere) removes the worktrees already made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { assertName } from './realm.ts';
import { firstLine, tryGit } from './git.ts';
import { repoCheckout, type RealmModel } from './model.ts';

/** The folder of all blue worktrees of a repo, relative to its root. */
export const WORKTREES_DIR = path.join('.blue', 'worktrees');

/** One linked worktree. `path` is absolute. */
export interface RealmWorktree {
  repo: string;
  path: string;
  branch: string;
}

/** Where the worktree `name` of the repo at `repoRoot` lives. */
export function worktreePath(repoRoot: string, name: string): string {
  return path.join(repoRoot, WORKTREES_DIR, name);
}

/**
 * Creates branch `name` (or reuses it when it exists and is free) and its worktree in each of
 * `repos`, in the given order.
 * @returns the worktrees created.
 * @throws UserError E_STATE `worktree "x" not created: fungal: …` naming every problem; worktrees
 *   and branches made before a failure are removed again first.
 */
export function createWorktrees(model: RealmModel, repos: readonly string[], name: string): RealmWorktree[] {
  assertName('worktree', name);
  const roots = new Map<string, string>();
  const problems: string[] = [];
  for (const repo of repos) {
    const root = repoCheckout(model, repo);
    if (!root) {
      problems.push(`${repo}: no checkout at ${model.repos.get(repo)?.data.path ?? '(no path in repos/' + repo + '.yaml)'}`);
      continue;
    }
    const dirty = tryGit(root, ['status', '--porcelain', '--untracked-files=no']);
    if (!dirty.ok) problems.push(`${repo}: not a git repository`);
    else if (dirty.stdout.trim()) problems.push(`${repo}: uncommitted changes (${dirty.stdout.trim().split('\n').length} file(s)); commit or stash them`);
    if (fs.existsSync(worktreePath(root, name))) problems.push(`${repo}: ${path.join(WORKTREES_DIR, name)} already exists`);
    roots.set(repo, root);
  }
  if (problems.length > 0) throw notCreated(name, problems, []);
  const made: (RealmWorktree & { newBranch: boolean; root: string })[] = [];
  for (const repo of repos) {
    const root = roots.get(repo)!;
    const dir = worktreePath(root, name);
    ignoreFolder(root);
    const exists = tryGit(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]).ok;
    const r = tryGit(root, exists ? ['worktree', 'add', '--quiet', dir, name] : ['worktree', 'add', '--quiet', '-b', name, dir]);
    if (!r.ok) {
      const undone = rollback(made);
      throw notCreated(name, [`${repo}: ${firstLine(r.stderr || r.stdout).replace(/^fatal: /, '')}`], undone);
    }
    made.push({ repo, path: dir, branch: name, newBranch: !exists, root });
  }
  return made.map(({ repo, path: p, branch }) => ({ repo, path: p, branch }));
}

/**
 * The blue worktrees of every realm repo with a checkout (those under `.blue/worktrees/`),
 * optionally only the one named `name`.
 */
export function listWorktrees(model: RealmModel, name?: string): RealmWorktree[] {
  const out: RealmWorktree[] = [];
  for (const repo of model.repos.keys()) {
    const root = repoCheckout(model, repo);
    if (!root) continue;
    const r = tryGit(root, ['worktree', 'list', '--porcelain']);
    if (!r.ok) continue;
    const base = fs.realpathSync(root);
    for (const block of r.stdout.split('\n\n')) {
      const dir = /^worktree (.+)$/m.exec(block)?.[1];
      const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1] ?? '(detached)';
      if (!dir) continue;
      const rel = path.relative(path.join(base, WORKTREES_DIR), dir);
      if (rel.startsWith('..') || rel === '' || path.isAbsolute(rel)) continue;
      if (name === undefined || rel === name) out.push({ repo, path: dir, branch });
    }
  }
  return out;
}

/**
 * Removes the worktree `name` from every repo that has it (the branch is kept: it may hold
 * work). A worktree with uncommitted changes is kept unless `force`.
 * @returns the worktrees removed and, per repo, why one was kept.
 */
export function removeWorktrees(model: RealmModel, name: string, force = false): { removed: RealmWorktree[]; kept: string[] } {
  const removed: RealmWorktree[] = [];
  const kept: string[] = [];
  for (const w of listWorktrees(model, name)) {
    const root = repoCheckout(model, w.repo)!;
    const r = tryGit(root, ['worktree', 'remove', ...(force ? ['--force'] : []), w.path]);
    if (r.ok) removed.push(w);
    else kept.push(`${w.repo}: ${firstLine(r.stderr || r.stdout).replace(/^fatal: /, '')}`);
  }
  return { removed, kept };
}

/** `.blue/worktrees/.gitignore` of `*`: the worktrees never show as untracked files. */
function ignoreFolder(root: string): void {
  const dir = path.join(root, WORKTREES_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
}

function rollback(made: { repo: string; path: string; branch: string; newBranch: boolean; root: string }[]): string[] {
  for (const w of [...made].reverse()) {
    tryGit(w.root, ['worktree', 'remove', '--force', w.path]);
    if (w.newBranch) tryGit(w.root, ['branch', '-D', w.branch]);
  }
  return made.map((w) => w.repo);
}

function notCreated(name: string, problems: string[], undone: string[]): UserError {
  const back = undone.length > 0 ? `; removed again from ${undone.join(', ')}` : '';
  return new UserError('E_STATE', `worktree "${name}" not created: ${problems.join('; ')}${back}`, {
    expected: 'clean checkouts of every repo the change touches, none with the branch checked out',
  });
}
