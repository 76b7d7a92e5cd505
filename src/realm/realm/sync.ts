/**
 * `blue realm sync` (RFC 0001 designed flow): publish this repo's realm changes on its sync
 * branch `sync/<repo>/<timestamp>` (commits carry the trailer `Blue-Repo: <repo>`) and push
 * that branch for review. The checked-out branch (`main`) never moves: the realm's state is
 * what has been merged. Nothing is stranded: an unmerged sync branch of the repo is reused,
 * rebased onto the remote's main and re-pushed; a rejected push is retried by the next sync;
 * a conflict with the remote keeps the change committed on its branch and says so. The
 * commit is built in a private index, and a lock serializes syncs in a shared checkout, so
 * two syncs never race on git's `index.lock`. `main` is never pushed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { UserError, type Clock } from '../../core/index.ts';
import { currentBranch, dirtyPaths, firstLine, firstRemote, git, isGitRepo, tryGit } from './git.ts';
import { markImportStatuses } from './bindings.ts';
import { committedContract, loadRealm, type RealmModel } from './model.ts';
import { openSyncBranch } from './realm-view.ts';
import type { ContractChange } from './notify.ts';
import { recordSyncOverrides } from './sync-override.ts';
import { assertPublishable, contractChanges, overrideTrailers, ownedBy, TRAILER } from './sync-rules.ts';

export { TRAILER } from './sync-rules.ts';

/** What a sync did. */
export interface SyncResult {
  /** The repo's sync branch (new or reused), or undefined when there was nothing to publish. */
  branch?: string;
  /** Files committed by this sync (empty when only an existing branch was rebased or pushed). */
  files: string[];
  /** Changed realm files that belong to other repos, left uncommitted. */
  left: string[];
  remote?: string;
  /** True when the branch is on the remote as it is locally. */
  pushed: boolean;
  /** Set when the push was refused (the branch keeps the commit; the next sync retries). */
  pushError?: string;
  /** True when, with no remote to review it, the branch was merged into the local main. */
  merged: boolean;
  /** True when an existing branch was rebased onto the remote's main. */
  rebased: boolean;
  /** Files that conflict with the remote's main (the branch keeps its old base). */
  conflicts: string[];
  changes: ContractChange[];
  /** Repos importing each changed contract, in order of `changes`. */
  importers: string[][];
  /** Contract files given an `--allow-breaking` override by this sync. */
  overrides: string[];
}

/** Options of {@link syncRealm}. */
export interface SyncOptions {
  /** The repo's join is pending (admission.ts): publish only its `repos/<repo>.yaml`. */
  joinRequestOnly?: boolean;
  /** Record an override for hand-edited contracts whose bump is below their breaking change (sync-override.ts). */
  allowBreaking?: { reason: string };
}

/**
 * Syncs the realm at `model.root` for `repo`.
 * @throws UserError E_REALM when the realm is not a git repo, fetch fails, or a file may not
 *   be published (sync-rules.ts); E_STATE when another sync holds the lock too long.
 */
export async function syncRealm(model: RealmModel, repo: string, clock: Clock, opts: SyncOptions = {}): Promise<SyncResult> {
  const root = model.root;
  if (!isGitRepo(root)) throw new UserError('E_REALM', 'the realm path is not a git repository');
  const release = await lock(root);
  try {
    return await syncLocked(model, repo, clock, opts);
  } finally {
    await release();
  }
}

async function syncLocked(model: RealmModel, repo: string, clock: Clock, opts: SyncOptions): Promise<SyncResult> {
  const root = model.root;
  const base = currentBranch(root);
  const remote = firstRemote(root);
  if (remote) fetch(root, remote);
  const upstream = remote && verify(root, `${remote}/${base}`) ? `${remote}/${base}` : undefined;
  const target = upstream ?? base;
  if (upstream) fastForward(root, upstream);
  // Statuses follow the committed contracts, not another repo's uncommitted edit.
  markImportStatuses(loadRealm(root), repo, (rel) => committedContract(root, rel)?.version);
  const dirty = dirtyPaths(root);
  // A pending join publishes its request (its repo file) and nothing else.
  const owned = dirty.filter((p) => (opts.joinRequestOnly ? p === `repos/${repo}.yaml` : ownedBy(model, repo, p)));
  const existing = openSyncBranch(root, repo, target);
  const files = owned.filter((f) => !existing || !sameAsBranch(root, existing, f));
  const result: SyncResult = { files, left: dirty.filter((p) => !owned.includes(p)), remote, pushed: false, merged: false, rebased: false, conflicts: [], changes: [], importers: [], overrides: [] };
  if (files.length === 0 && !existing) return result;
  if (opts.allowBreaking && files.length > 0) result.overrides = await recordSyncOverrides(model, repo, files, target, opts.allowBreaking.reason, clock.now());
  if (files.length > 0) await assertPublishable(model, repo, files);
  const branch = existing ?? `sync/${repo}/${stamp(clock)}`;
  result.branch = branch;
  result.changes = contractChanges(root, files, repo, target);
  const trailers = [`${TRAILER}: ${repo}`, ...overrideTrailers(root, files, target)].join('\n');
  if (files.length > 0) commitFiles(root, existing ?? newBase(root, upstream, repo, files), branch, files, `${repo}: sync ${files.length} file${files.length === 1 ? '' : 's'}\n\n${trailers}`);
  if (upstream && !isAncestor(root, upstream, branch)) {
    const r = rebase(root, branch, upstream);
    result.rebased = r.ok;
    result.conflicts = r.conflicts;
  }
  if (remote) push(root, remote, branch, result);
  else mergeLocally(root, base, branch, result);
  const after = loadRealm(root);
  result.importers = result.changes.map((c) => importersOf(after, c));
  return result;
}

/** True when the working copy of `rel` already equals its version on `branch`. */
function sameAsBranch(root: string, branch: string, rel: string): boolean {
  const abs = path.join(root, rel);
  const shown = tryGit(root, ['show', `${branch}:${rel}`]);
  if (!fs.existsSync(abs)) return !shown.ok;
  return shown.ok && shown.stdout === fs.readFileSync(abs, 'utf8');
}

/**
 * The parent of a new sync commit: the remote's main when everything it changed in `files`
 * since HEAD came from this repo's own sync commits (the working copies build on them: a bump
 * after the repo's last change was merged), else HEAD, so that another repo's change to the
 * same file shows as a conflict instead of being overwritten.
 */
function newBase(root: string, upstream: string | undefined, repo: string, files: string[]): string {
  if (!upstream || isAncestor(root, upstream, 'HEAD')) return 'HEAD';
  for (const f of files) {
    const log = tryGit(root, ['log', `--format=%x1e%(trailers:key=${TRAILER},valueonly)`, `HEAD..${upstream}`, '--', f]);
    if (!log.ok || log.stdout.split('\x1e').slice(1).some((by) => by.trim() !== repo)) return 'HEAD';
  }
  return upstream;
}

/**
 * Commits the working copies of `files` on top of `parent` as `branch`, through a private
 * index: neither HEAD, the checked-out branch nor `.git/index` is touched.
 */
function commitFiles(root: string, parent: string, branch: string, files: string[], message: string): void {
  const index = path.join(os.tmpdir(), `blue-sync-${process.pid}-${Date.now()}.index`);
  const env = { ...process.env, GIT_INDEX_FILE: index };
  try {
    gitEnv(root, ['read-tree', parent], env);
    gitEnv(root, ['add', '-A', '--', ...files], env);
    const tree = gitEnv(root, ['write-tree'], env).trim();
    const identity = tryGit(root, ['config', 'user.email']).ok ? [] : ['-c', 'user.name=Blue', '-c', 'user.email=blue@local'];
    const sha = gitEnv(root, [...identity, 'commit-tree', tree, '-p', parent, '-m', message], env).trim();
    git(root, ['update-ref', `refs/heads/${branch}`, sha]);
  } finally {
    fs.rmSync(index, { force: true });
  }
}

/** Rebases `branch` onto `upstream` in a temporary worktree; on conflict the branch is left as it was. */
function rebase(root: string, branch: string, upstream: string): { ok: boolean; conflicts: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-rebase-'));
  try {
    git(root, ['worktree', 'add', '-q', '--detach', dir, branch]);
    const r = tryGit(dir, ['-c', 'user.name=Blue', '-c', 'user.email=blue@local', 'rebase', '-q', upstream]);
    if (r.ok) {
      git(root, ['update-ref', `refs/heads/${branch}`, git(dir, ['rev-parse', 'HEAD']).trim()]);
      return { ok: true, conflicts: [] };
    }
    const conflicts = git(dir, ['diff', '--name-only', '--diff-filter=U']).split('\n').filter(Boolean);
    tryGit(dir, ['rebase', '--abort']);
    return { ok: false, conflicts: conflicts.length > 0 ? conflicts : ['(unknown files)'] };
  } finally {
    tryGit(root, ['worktree', 'remove', '--force', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A realm without a remote has no review step: its main is fast-forwarded to the branch (the
 * index follows; the working copy already holds the files). With a remote, main never moves here.
 */
function mergeLocally(root: string, base: string, branch: string, result: SyncResult): void {
  if (!isAncestor(root, base, branch)) return;
  git(root, ['update-ref', `refs/heads/${base}`, git(root, ['rev-parse', branch]).trim()]);
  git(root, ['reset', '-q']);
  result.merged = true;
}

/** Pushes `branch` (never `main`); a refusal is recorded, not thrown: the commit stays on the branch. */
function push(root: string, remote: string, branch: string, result: SyncResult): void {
  const r = tryGit(root, ['push', '-q', '--force-with-lease', remote, `${branch}:${branch}`]);
  if (r.ok) result.pushed = true;
  else result.pushError = firstLine(r.stderr);
}

function importersOf(model: RealmModel, c: ContractChange): string[] {
  const d = model.domains.get(c.domain);
  return d ? [...d.bindings.values()].filter((b) => b.data.imports.some((i) => i.contract === c.contract)).map((b) => b.data.repo) : [];
}

/**
 * Moves the checked-out branch to the remote's main when that is a fast-forward touching no
 * locally changed file: merged work only, so `check`/`status` see the realm as merged.
 */
function fastForward(root: string, upstream: string): void {
  if (!isAncestor(root, 'HEAD', upstream) || !verify(root, 'HEAD')) return;
  const incoming = git(root, ['diff', '--name-only', 'HEAD', upstream]).split('\n').filter(Boolean);
  const local = new Set(dirtyPaths(root));
  // A locally changed file may come in only when the working copy already equals it (our merged sync).
  if (incoming.some((f) => local.has(f) && !sameAsBranch(root, upstream, f))) return;
  const branch = currentBranch(root);
  git(root, ['update-ref', `refs/heads/${branch}`, git(root, ['rev-parse', upstream]).trim()]);
  git(root, ['reset', '-q']);
  for (const f of incoming.filter((x) => !local.has(x))) tryGit(root, ['checkout', '-q', '--', f]);
}

function fetch(root: string, remote: string): void {
  const r = tryGit(root, ['fetch', '-q', remote]);
  if (!r.ok) throw new UserError('E_REALM', `could not fetch the realm from ${remote}: ${firstLine(r.stderr)}`);
}

function verify(root: string, ref: string): boolean {
  return tryGit(root, ['rev-parse', '--verify', '-q', ref]).ok;
}

function isAncestor(root: string, ancestor: string, ref: string): boolean {
  return tryGit(root, ['merge-base', '--is-ancestor', ancestor, ref]).ok;
}

function gitEnv(cwd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = tryGit(cwd, args, env);
  if (!r.ok) throw new UserError('E_REALM', `git ${args[0]} failed: ${firstLine(r.stderr || r.stdout)}`);
  return r.stdout;
}

/** Serializes syncs of one checkout (`.git/blue-sync.lock`); a crashed holder goes stale after 30 s. */
async function lock(root: string): Promise<() => Promise<void>> {
  const gitDir = path.resolve(root, git(root, ['rev-parse', '--git-dir']).trim());
  try {
    return await lockfile.lock(gitDir, { lockfilePath: path.join(gitDir, 'blue-sync.lock'), realpath: false, stale: 30_000, retries: { retries: 50, minTimeout: 50, maxTimeout: 500 } });
  } catch {
    throw new UserError('E_STATE', 'another `blue realm sync` is running in this realm checkout', { expected: 'to run it again when that one has finished' });
  }
}

function stamp(clock: Clock): string {
  return clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
