/**
 * The realm side of `blue realm leave`: this repo's own realm files (`repos/<repo>.yaml` and its
 * bindings) go out through the normal sync path (a `sync/<repo>/…` branch pushed for review, or
 * merged locally without a remote), unless removing them would break the realm: a contract the
 * repo owns (its importers would lose it) or unsynced edits of the repo (sync would publish them too).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/index.ts';
import { dirtyPaths, isGitRepo, tryGit } from './git.ts';
import { realmPaths, type RealmModel } from './model.ts';
import { syncRealm, type SyncResult } from './sync.ts';
import { ownedBy } from './sync-rules.ts';

/** What leaving does to the realm's files. */
export interface LeavePlan {
  /** Realm-relative files naming the repo: its repo file and bindings. */
  files: string[];
  /** Why the files stay (empty: they are removed). */
  blockers: string[];
  /**
   * Domain files whose `members` still name the repo. They stay: by the default permissions only the
   * domain's members may change them, and the repo's own removal would then fail check as not a member's.
   */
  memberOf: string[];
}

/**
 * Which realm files name `repo`, and what keeps them. Pure.
 * @param dirty realm-relative paths with uncommitted changes in the checkout.
 */
export function planLeave(model: RealmModel, repo: string, dirty: readonly string[]): LeavePlan {
  const files = model.repos.has(repo) ? [realmPaths.repo(repo)] : [];
  const blockers: string[] = [];
  const memberOf: string[] = [];
  for (const d of model.domains.values()) {
    if (d.data.members.includes(repo)) memberOf.push(realmPaths.domain(d.name));
    if (d.bindings.has(repo)) files.push(realmPaths.binding(d.name, repo));
    for (const c of d.contracts.values()) {
      if (c.data.owner !== repo) continue;
      const importers = [...d.bindings.values()].filter((b) => b.data.repo !== repo && b.data.imports.some((i) => i.contract === c.data.name)).map((b) => b.data.repo);
      blockers.push(`${repo} owns contract ${d.name}/${c.data.name}${importers.length ? ` (imported by ${importers.join(', ')})` : ''}: hand it over or retire it first`);
    }
  }
  const unsynced = dirty.filter((p) => !files.includes(p) && ownedBy(model, repo, p));
  if (unsynced.length > 0) blockers.push(`${repo} has unsynced realm changes (${unsynced.join(', ')}): sync or discard them first`);
  return { files, blockers, memberOf };
}

/** The outcome of {@link leaveRealm}. */
export interface LeaveResult extends LeavePlan {
  /** The sync that removed the files, when they were removed. */
  sync?: SyncResult;
}

/**
 * Removes `repo`'s own files from the realm checkout at `model.root` and publishes the removal
 * with {@link syncRealm}; leaves them as they are when {@link planLeave} finds a blocker, or when
 * the realm is not a git repository (then a blocker says so). The files are restored when the sync fails.
 * @throws UserError as {@link syncRealm}.
 */
export async function leaveRealm(model: RealmModel, repo: string, clock: Clock): Promise<LeaveResult> {
  if (!isGitRepo(model.root)) return { ...planLeave(model, repo, []), blockers: ['the realm path is not a git repository'] };
  const plan = planLeave(model, repo, dirtyPaths(model.root));
  if (plan.files.length === 0 || plan.blockers.length > 0) return plan;
  for (const f of plan.files) fs.rmSync(path.join(model.root, f));
  try {
    return { ...plan, sync: await syncRealm(model, repo, clock) };
  } catch (err) {
    tryGit(model.root, ['checkout', 'HEAD', '--', ...plan.files]);
    throw err;
  }
}
