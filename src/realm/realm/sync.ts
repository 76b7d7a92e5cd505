/**
 * `blue realm sync` (RFC 0001 designed flow, unbuilt in blue): commit this repo's pending
 * realm changes on `sync/<repo>/<timestamp>` (trailer `Blue-Repo: <repo>`); with a remote,
 * fetch and rebase onto it first and push the branch; conflicts are reported in plain words
 * and leave nothing committed. Importers learn of changes from the realm itself (notify.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { UserError, type Clock } from '../../core/index.ts';
import { commit, currentBranch, dirtyPaths, firstLine, firstRemote, git, isGitRepo, tryGit } from './git.ts';
import { loadRealm, type RealmModel } from './model.ts';
import { changeKind, type ContractChange } from './notify.ts';
import { contractEditProblems } from './contracts.ts';
import { BindingFileSchema, ContractFileSchema, type ContractFile } from './schemas.ts';
import { parseYaml } from './yaml-io.ts';

/** What a sync did. */
export interface SyncResult {
  /** The sync branch, or undefined when there was nothing to commit. */
  branch?: string;
  files: string[];
  /** Changed realm files that belong to other repos, left uncommitted. */
  left: string[];
  remote?: string;
  pushed: boolean;
  changes: ContractChange[];
  /** Repos importing each changed contract, in order of `changes`. */
  importers: string[][];
}

/**
 * Syncs the realm at `model.root` for `repo`.
 * @throws UserError E_REALM when the realm is not a git repo, fetch/push fails, or the rebase
 *   conflicts (message names the files; the working tree is restored, nothing committed).
 */
export async function syncRealm(model: RealmModel, repo: string, clock: Clock): Promise<SyncResult> {
  const root = model.root;
  if (!isGitRepo(root)) throw new UserError('E_REALM', 'the realm path is not a git repository');
  const base = currentBranch(root);
  const remote = firstRemote(root);
  if (remote) fetch(root, remote);
  const upstream = remote && tryGit(root, ['rev-parse', '--verify', '-q', `${remote}/${base}`]).ok ? `${remote}/${base}` : undefined;
  const dirty = dirtyPaths(root);
  const files = dirty.filter((p) => ownedBy(model, repo, p));
  if (files.length === 0) {
    if (upstream) rebaseOrExplain(root, upstream, []);
    return finish(root, { files, left: dirty, remote, pushed: false, changes: [], importers: [] });
  }
  await assertPublishable(model, repo, files);
  const changes = contractChanges(root, files, repo);
  const branch = `sync/${repo}/${stamp(clock)}`;
  git(root, ['checkout', '-q', '-b', branch]);
  git(root, ['add', '-A', '--', ...files]);
  commit(root, `${repo}: sync ${files.length} file${files.length === 1 ? '' : 's'}\n\n${TRAILER}: ${repo}`);
  if (upstream) rebaseOrExplain(root, upstream, files, { base, branch });
  git(root, ['checkout', '-q', '-B', base, branch]);
  let pushed = false;
  if (remote) {
    const refs = upstream ? [branch] : [base, branch];
    const r = tryGit(root, ['push', '-q', remote, ...refs]);
    if (!r.ok) throw new UserError('E_REALM', `could not push ${branch} to ${remote}: ${firstLine(r.stderr)}`);
    pushed = true;
  }
  return finish(root, { branch, files, left: dirty.filter((p) => !files.includes(p)), remote, pushed, changes, importers: [] });
}

function finish(root: string, result: SyncResult): SyncResult {
  const model = loadRealm(root);
  result.importers = result.changes.map((c) => importersOf(model, c));
  return result;
}

function importersOf(model: RealmModel, c: ContractChange): string[] {
  const d = model.domains.get(c.domain);
  return d ? [...d.bindings.values()].filter((b) => b.data.imports.some((i) => i.contract === c.contract)).map((b) => b.data.repo) : [];
}

function fetch(root: string, remote: string): void {
  const r = tryGit(root, ['fetch', '-q', remote]);
  if (!r.ok) throw new UserError('E_REALM', `could not fetch the realm from ${remote}: ${firstLine(r.stderr)}`);
}

/** Rebases onto `upstream`; on conflict aborts, undoes the sync commit and explains. */
function rebaseOrExplain(root: string, upstream: string, files: string[], undo?: { base: string; branch: string }): void {
  const r = tryGit(root, ['rebase', '-q', '--autostash', upstream]);
  if (r.ok) return;
  const conflicted = git(root, ['diff', '--name-only', '--diff-filter=U']).split('\n').filter(Boolean);
  tryGit(root, ['rebase', '--abort']);
  if (undo) {
    git(root, ['reset', '-q', '--soft', 'HEAD~1']);
    git(root, ['checkout', '-q', undo.base]);
    git(root, ['branch', '-q', '-D', undo.branch]);
    if (files.length > 0) git(root, ['reset', '-q', '--', ...files]);
  }
  const what = conflicted.length > 0 ? conflicted.join(', ') : 'some files';
  throw new UserError(
    'E_REALM',
    `sync conflict: ${what} changed both here and on ${upstream}; nothing was committed`,
    { expected: `to merge ${upstream} into your copy of ${what} by hand, then run \`blue realm sync\` again` },
  );
}

/** The commit trailer naming the repo a sync commit comes from (checked by `check --mode contract`). */
export const TRAILER = 'Blue-Repo';

/**
 * True for realm files this repo may publish: its repo file, its bindings, domains it is in,
 * and contracts it owns as last committed (a working-copy `owner:` edit claims nothing).
 */
function ownedBy(model: RealmModel, repo: string, rel: string): boolean {
  if (rel === `repos/${repo}.yaml`) return true;
  const m = /^domains\/([^/]+)\/(?:(domain\.yaml)|bindings\/([^/]+)\.yaml|contracts\/([^/]+)\.yaml)$/.exec(rel);
  if (!m) return false;
  const domain = model.domains.get(m[1]!);
  if (m[2]) return domain?.data.members.includes(repo) ?? false;
  if (m[3]) return m[3] === repo;
  const committed = committedContract(model.root, rel);
  if (committed) return committed.owner === repo;
  const contract = domain?.contracts.get(m[4]!);
  return contract ? contract.data.owner === repo : false;
}

function committedContract(root: string, rel: string): ContractFile | undefined {
  const shown = tryGit(root, ['show', `HEAD:${rel}`]);
  if (!shown.ok) return undefined;
  try {
    return parseYaml(shown.stdout, ContractFileSchema, rel).data;
  } catch {
    return undefined;
  }
}

/**
 * Refuses contract edits that must not be published: no bump, a bump level below the verdict,
 * a removed value entry an importer still uses ("breaking change detected").
 * @throws UserError E_REALM naming the file and the problem.
 */
async function assertPublishable(model: RealmModel, repo: string, files: string[]): Promise<void> {
  for (const rel of files) {
    const problems = await fileProblems(model, repo, rel);
    if (problems.length > 0) {
      throw new UserError('E_REALM', `sync refused, nothing was committed: ${problems.join('; ')}`, {
        where: { file: rel },
        expected: '`blue realm contract bump` with the version the change needs',
      });
    }
  }
}

/** Why `rel` (a file this repo publishes) must not be committed as it stands. */
async function fileProblems(model: RealmModel, repo: string, rel: string): Promise<string[]> {
  const abs = path.join(model.root, rel);
  if (!fs.existsSync(abs)) return [];
  const binding = /^domains\/[^/]+\/bindings\/([^/]+)\.yaml$/.exec(rel);
  if (binding) {
    const data = parseYaml(fs.readFileSync(abs, 'utf8'), BindingFileSchema, rel).data;
    return data.repo === repo ? [] : [`binding names repo "${data.repo}", not "${repo}"`];
  }
  const m = /^domains\/([^/]+)\/contracts\/([^/]+)\.yaml$/.exec(rel);
  if (!m) return [];
  const after = parseYaml(fs.readFileSync(abs, 'utf8'), ContractFileSchema, rel).data;
  const before = committedContract(model.root, rel);
  if (before && before.owner !== after.owner) return [`owner changed from "${before.owner}" to "${after.owner}"; sync does not transfer ownership`];
  if (after.owner !== repo) return [`contract owner is "${after.owner}", not "${repo}"`];
  return contractEditProblems(model, m[1]!, before, after, rel);
}

/** Contract files among `files`, compared with HEAD: new, breaking (major up) or changed. */
function contractChanges(root: string, files: string[], repo: string): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const rel of files) {
    const m = /^domains\/([^/]+)\/contracts\/([^/]+)\.yaml$/.exec(rel);
    if (!m) continue;
    const now = loadVersion(root, rel);
    if (!now) continue;
    const shown = tryGit(root, ['show', `HEAD:${rel}`]);
    const before = shown.ok ? versionOf(shown.stdout, rel) : undefined;
    if (before === now) continue;
    changes.push({ domain: m[1]!, contract: m[2]!, kind: changeKind(before, now), from: before, to: now, fromRepo: repo });
  }
  return changes;
}

function loadVersion(root: string, rel: string): string | undefined {
  const abs = path.join(root, rel);
  return fs.existsSync(abs) ? versionOf(fs.readFileSync(abs, 'utf8'), rel) : undefined;
}

function versionOf(text: string, rel: string): string | undefined {
  try {
    const v = parseYaml(text, ContractFileSchema, rel).data.version;
    return semver.valid(v) ?? undefined;
  } catch {
    return undefined;
  }
}

function stamp(clock: Clock): string {
  return clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
