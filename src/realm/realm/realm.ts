/**
 * Realm membership and structure operations: init, join, domain create. Each validates
 * everything before writing, so refused input leaves the files untouched. Only `init`
 * commits; other changes are committed by `sync`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, type Clock } from '../../core/index.ts';
import { commit, git, isGitRepo } from './git.ts';
import { resolveRef } from './pin.ts';
import { assertAcyclic, realmEdges, type Edge } from './graph.ts';
import { assertAdmitted } from './admission.ts';
import { assertIdentity, identityMismatch, repoIdentity } from './identity.ts';
import { readMembership, writeMembership } from './membership.ts';
import { DEFAULT_PERMISSIONS } from './permissions.ts';
import { loadRealm, realmPaths, type RealmModel } from './model.ts';
import type { DomainFile, RealmFile, RepoFile } from './schemas.ts';
import { writeYamlFile } from './yaml-io.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Checks a realm/repo/domain/contract name: letters, digits, `.`, `_`, `-`.
 * @throws UserError E_USAGE otherwise.
 */
export function assertName(kind: string, name: string): string {
  if (!NAME.test(name)) {
    throw new UserError('E_USAGE', `invalid ${kind} name "${name}"`, { expected: 'letters, digits, ".", "_" or "-"' });
  }
  return name;
}

/**
 * Creates a realm repository at `dir`: `git init` (if needed), realm.yaml, repos/, domains/,
 * and one commit "Initialize realm: <name>".
 * @throws UserError E_EXISTS when `dir` already holds a realm.yaml.
 */
export function initRealm(dir: string, name: string, clock: Clock): RealmFile {
  assertName('realm', name);
  if (fs.existsSync(path.join(dir, realmPaths.realm))) {
    throw new UserError('E_EXISTS', `a realm already exists in ${path.basename(dir)}`);
  }
  fs.mkdirSync(dir, { recursive: true });
  if (!isGitRepo(dir)) git(dir, ['init', '-q', '-b', 'main']);
  const realm: RealmFile = {
    name,
    version: '1.0.0',
    created_at: clock.now().toISOString(),
    governance: { admission: 'approval', approvers: [], breaking_changes: { require_approval: true, grace_period_days: 14 } },
    trust: { mode: 'collaborative', require_signed_commits: false, permissions: DEFAULT_PERMISSIONS },
  };
  writeYamlFile(path.join(dir, realmPaths.realm), realm);
  for (const sub of ['repos', 'domains']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    fs.writeFileSync(path.join(dir, sub, '.gitkeep'), '');
  }
  git(dir, ['add', '-A']);
  commit(dir, `Initialize realm: ${name}`);
  return realm;
}

/**
 * Joins the repo at `repoRoot` (named `repo`) to the realm at `realmPath` (resolved against
 * `repoRoot`): writes `repos/<repo>.yaml` in the realm, with the repo's identity (root commit,
 * `origin` URL), and the `realm:` membership in the repo's `.blue/config.yaml` (other settings
 * kept). Re-joining from the same repo updates the path and fills in identity it lacked. A repo
 * may join several realms; `opts.ref` (tag or commit) pins what `check` reads of this one.
 * @throws UserError E_REALM when `realmPath` is not a git repository or has no realm.yaml, or
 *   `repo` is registered with another identity (a spoofed name); E_CONFIG when the repo's
 *   `.blue/config.yaml` is malformed (nothing is written then).
 */
export function joinRealm(repoRoot: string, realmPath: string, repo: string, clock: Clock, opts: { ref?: string } = {}): RepoFile {
  assertName('repo', repo);
  const realmRoot = path.resolve(repoRoot, realmPath);
  if (!isGitRepo(realmRoot)) {
    throw new UserError('E_REALM', `realm path ${realmPath} is not a git repository`, { expected: 'a realm created with `blue realm init`' });
  }
  const model = loadRealm(realmRoot);
  const previous = model.repos.get(repo);
  const id = repoIdentity(repoRoot);
  const why = previous ? identityMismatch(realmRoot, previous.data, repoRoot, id) : undefined;
  if (why) {
    throw new UserError('E_REALM', `repo "${repo}" is already registered in realm "${model.realm.data.name}" by another repo: ${why}`, {
      where: { file: realmPaths.repo(repo) },
      expected: 'a name of its own (--repo NAME)',
    });
  }
  const file: RepoFile = {
    name: repo,
    path: path.relative(realmRoot, repoRoot) || '.',
    maintainers: previous?.data.maintainers ?? [],
    joined_at: previous?.data.joined_at ?? clock.now().toISOString(),
  };
  if (previous?.data.org) file.org = previous.data.org;
  const url = previous?.data.url ?? id.url;
  if (url) file.url = url;
  const root = previous?.data.root_commit ?? id.root_commit;
  if (root) file.root_commit = root;
  if (previous?.data.admitted) file.admitted = previous.data.admitted;
  // Membership first: it refuses a malformed config.yaml before the realm is touched.
  if (opts.ref) resolveRef(realmRoot, opts.ref);
  writeMembership(repoRoot, { name: model.realm.data.name, path: path.relative(repoRoot, realmRoot) || '.', repo, ...(opts.ref ? { ref: opts.ref } : {}) });
  writeYamlFile(path.join(realmRoot, realmPaths.repo(repo)), file, previous?.doc);
  return file;
}

/**
 * The realm the repo at `repoRoot` belongs to (`opts.realm` names one when it joined several),
 * loaded, with the repo's name in it, after checking that this checkout really is that repo
 * and, unless `allowPending` (sync publishing a join request), that its join is not still
 * waiting for an approver.
 * @throws UserError E_REALM when the repo has not joined, its identity does not match, or
 *   its join is pending (naming who can accept it); E_USAGE when it joined several realms
 *   and `opts.realm` is not given.
 */
export function openRealm(repoRoot: string, opts: { allowPending?: boolean; realm?: string } = {}): { model: RealmModel; repo: string } {
  const { membership, realmRoot } = readMembership(repoRoot, opts.realm);
  const model = loadRealm(realmRoot);
  assertIdentity(model, membership.repo, repoRoot);
  if (!opts.allowPending) assertAdmitted(model, membership.repo);
  return { model, repo: membership.repo };
}

/**
 * Creates `domains/<name>/domain.yaml` with `members` (registered repos). `members[0]` is the
 * declared provider: the edges `members[0] → others` must not close a cycle.
 * @throws UserError E_EXISTS (domain exists), E_REALM (unknown member, cycle).
 */
export function createDomain(model: RealmModel, name: string, members: string[], clock: Clock, description = ''): DomainFile {
  assertName('domain', name);
  if (model.domains.has(name)) throw new UserError('E_EXISTS', `domain "${name}" already exists`);
  const unique = [...new Set(members)];
  if (unique.length === 0) throw new UserError('E_USAGE', 'a domain needs at least one member', { expected: '--repos a,b' });
  for (const m of unique) assertRepo(model, m);
  const [first, ...rest] = unique;
  const added: Edge[] = rest.map((to) => ({ from: first!, to, domain: name }));
  assertAcyclic(realmEdges(model), added, `adding domain "${name}"`);
  const file: DomainFile = { name, description, created_at: clock.now().toISOString(), members: unique };
  writeYamlFile(path.join(model.root, realmPaths.domain(name)), file);
  return file;
}

/**
 * Throws unless `repo` is registered in the realm and admitted.
 * @throws UserError E_REALM `repo "x" is not a member of realm "r"`, or its join is pending.
 */
export function assertRepo(model: RealmModel, repo: string): void {
  if (!model.repos.has(repo)) {
    throw new UserError('E_REALM', `repo "${repo}" is not a member of realm "${model.realm.data.name}"`, {
      expected: `one of ${[...model.repos.keys()].join(', ') || '(none: run `blue realm join`)'}`,
    });
  }
  assertAdmitted(model, repo);
}
