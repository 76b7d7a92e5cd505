/**
 * What `check`, `status` and `graph` read (RFC 0001: the realm's state is what has been
 * merged). With a remote: the fetched `<remote>/<branch>`, plus this repo's own unmerged sync
 * branch shown as pending; never the local main or the checkout's working tree, which may
 * hold unreviewed work. Without a remote there is no review step: sync merges locally and
 * the checkout is the realm's state. Reading writes nothing but git's remote-tracking refs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { currentBranch, firstLine, firstRemote, git, tryGit } from './git.ts';
import { loadRealm, type RealmModel } from './model.ts';

/** This repo's sync branch not merged into the realm's main yet. */
export interface PendingSync {
  branch: string;
  /** Realm files the branch changes compared with the main it is read against. */
  files: string[];
  /** The realm as it would be with the branch merged. */
  model: RealmModel;
}

/** The realm as read for a repo. */
export interface RealmView {
  /** The merged state. `model.ref` names the ref read (undefined: the working tree). */
  model: RealmModel;
  /** The ref that holds the realm's merged main: `origin/main`, or `HEAD` without a remote. */
  mainRef: string;
  /** Set when `git fetch` failed: the view is the last fetched state. */
  fetchError?: string;
  pending?: PendingSync;
}

/**
 * The realm view for `repo`, given the realm loaded from its checkout (`checkout`, whose
 * identity and admission the caller has checked).
 * @throws UserError E_REALM when a ref's files are malformed.
 */
export function realmView(checkout: RealmModel, repo: string): RealmView {
  const root = checkout.root;
  const remote = firstRemote(root);
  if (!remote) return { model: checkout, mainRef: 'HEAD' };
  const fetched = tryGit(root, ['fetch', '-q', remote]);
  const fetchError = fetched.ok ? undefined : firstLine(fetched.stderr);
  const mainRef = `${remote}/${currentBranch(root)}`;
  if (!tryGit(root, ['rev-parse', '--verify', '-q', mainRef]).ok) return { model: checkout, mainRef: 'HEAD', fetchError };
  const view: RealmView = { model: modelAt(root, mainRef), mainRef, fetchError };
  const branch = openSyncBranch(root, repo, mainRef);
  if (branch) {
    const files = git(root, ['diff', '--name-only', `${mainRef}...${branch}`]).split('\n').filter(Boolean);
    view.pending = { branch, files, model: modelAt(root, branch) };
  }
  return view;
}

/** The repo's newest sync branch (`sync/<repo>/*`) not merged into `target`, if any. */
export function openSyncBranch(root: string, repo: string, target: string): string | undefined {
  return unmergedSyncBranches(root, repo, target).sort().pop();
}

/** The repo's sync branches (`sync/<repo>/*`) not merged into `target`, in git's order ([] when git fails). */
export function unmergedSyncBranches(root: string, repo: string, target: string): string[] {
  const out = tryGit(root, ['branch', '--list', `sync/${repo}/*`, '--no-merged', target, '--format=%(refname:short)']);
  return out.ok ? out.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : [];
}

/**
 * The realm as committed at `ref`, read through a private index into a temporary directory
 * (the checkout, its index and HEAD are untouched); `root` stays the checkout for git reads.
 */
export function modelAt(root: string, ref: string): RealmModel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-realm-view-'));
  const env = { ...process.env, GIT_INDEX_FILE: path.join(dir, '.index') };
  try {
    const read = tryGit(root, ['read-tree', ref], env);
    const out = read.ok ? tryGit(root, ['checkout-index', '-a', `--prefix=${dir}${path.sep}`], env) : read;
    if (!out.ok) throw new UserError('E_REALM', `could not read the realm at ${ref}: ${firstLine(out.stderr)}`);
    return { ...loadRealm(dir), root, ref };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
