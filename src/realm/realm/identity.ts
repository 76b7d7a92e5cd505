/**
 * A repo's verifiable identity: its root commit (the first commit of its history) and its
 * `origin` remote URL, recorded in `repos/<r>.yaml` at join. A name in `.blue/config.yaml`
 * is only a claim: every realm command checks the checkout against the recorded identity, so
 * one repo cannot act as another. A repo joined before its first commit and without a remote
 * is identified by its checkout path until it has one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { tryGit } from './git.ts';
import type { RealmModel } from './model.ts';
import type { RepoFile } from './schemas.ts';

/** What git says about a checkout. */
export interface RepoIdentity {
  /** The root commit (of several, the smallest hash); absent before the first commit. */
  root_commit?: string;
  /** `remote.origin.url`, when set. */
  url?: string;
}

/** Reads the identity of the git checkout at `repoRoot` (empty outside git). */
export function repoIdentity(repoRoot: string): RepoIdentity {
  const roots = tryGit(repoRoot, ['rev-list', '--max-parents=0', 'HEAD']);
  const root = roots.ok ? roots.stdout.split('\n').filter(Boolean).sort()[0] : undefined;
  const url = tryGit(repoRoot, ['config', '--get', 'remote.origin.url']);
  const id: RepoIdentity = {};
  if (root) id.root_commit = root;
  if (url.ok && url.stdout.trim()) id.url = url.stdout.trim();
  return id;
}

/**
 * Why the checkout at `repoRoot` (identity `id`) is not the repo registered as `file`, or
 * undefined when it is. The root commit decides when recorded, else the remote URL, else the
 * checkout path.
 */
export function identityMismatch(realmRoot: string, file: RepoFile, repoRoot: string, id: RepoIdentity): string | undefined {
  if (file.root_commit) {
    return id.root_commit === file.root_commit ? undefined : `its root commit is ${short(file.root_commit)}, this checkout's is ${id.root_commit ? short(id.root_commit) : 'none'}`;
  }
  if (file.url) return id.url === file.url ? undefined : `its remote is ${file.url}, this checkout's is ${id.url ?? 'none'}`;
  if (!file.path) return undefined;
  const registered = real(path.resolve(realmRoot, file.path));
  return registered === real(repoRoot) ? undefined : `it was joined from ${file.path}, this checkout is ${path.relative(realmRoot, repoRoot) || '.'}`;
}

/**
 * Throws unless the checkout at `repoRoot` is the repo `repo` registered in the realm.
 * @throws UserError E_REALM `this checkout is not repo "aperture" of realm "r": its root commit is …`.
 */
export function assertIdentity(model: RealmModel, repo: string, repoRoot: string): void {
  const file = model.repos.get(repo)?.data;
  if (!file) {
    throw new UserError('E_REALM', `repo "${repo}" is not registered in realm "${model.realm.data.name}"`, { expected: 'run `blue realm join <realm-path>`' });
  }
  const why = identityMismatch(model.root, file, repoRoot, repoIdentity(repoRoot));
  if (why) {
    throw new UserError('E_REALM', `this checkout is not repo "${repo}" of realm "${model.realm.data.name}": ${why}`, {
      where: { file: `repos/${repo}.yaml` },
      expected: 'the repo name this checkout joined as',
    });
  }
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function real(p: string): string {
  return fs.existsSync(p) ? fs.realpathSync(p) : p;
}
