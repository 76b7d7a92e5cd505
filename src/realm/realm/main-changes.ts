/**
 * Notifications are born when a change reaches the realm's main branch, not when it is bumped
 * or synced: each read of `status` compares the contracts at the main commit this repo last
 * saw (`refs/blue/seen/<repo>` in the realm checkout) with those at the realm's main now, and
 * the changes to contracts this repo imports become its notifications. Before the first look,
 * an import resolved below the merged version counts (notify.ts staleImportChanges).
 */
import semver from 'semver';
import type { Clock } from '../../core/index.ts';
import type { NotificationsRepo } from '../../store/index.ts';
import { tryGit } from './git.ts';
import { committedContract } from './model.ts';
import { commitOf } from './pin.ts';
import { changeKind, isRecorded, recordNotification, staleImportChanges, type ContractChange } from './notify.ts';
import { modelAt, type RealmView } from './realm-view.ts';
import { realmFile } from './realm-file.ts';

/** The ref keeping the main commit `repo` last saw. */
export function seenRef(repo: string): string {
  return `refs/blue/seen/${repo}`;
}

/** Contract changes on the realm's main that `repo` has not seen, and the main commit they end at. */
export interface MainChanges {
  head: string | undefined;
  changes: ContractChange[];
}

/**
 * The changes `repo` imports that reached `view.mainRef` since the commit it last saw, plus
 * imports resolved below the merged version. Reads only (git only, into a temporary directory).
 */
export function mainChanges(view: RealmView, repo: string): MainChanges {
  const root = view.model.root;
  const head = commitOf(root, view.mainRef);
  const seen = commitOf(root, seenRef(repo));
  if (!head) return { head, changes: [] };
  // Without a remote the view is the checkout; notifications still wait for the commit.
  const merged = view.model.ref ? view.model : modelAt(root, head);
  const changes = staleImportChanges(merged, repo);
  if (seen && head !== seen) {
    const diff = tryGit(root, ['diff', '--name-only', seen, head, '--', 'domains']);
    for (const rel of diff.ok ? diff.stdout.split('\n') : []) {
      const file = realmFile(rel);
      if (file?.kind !== 'contract') continue;
      const { domain, contract } = file;
      const imports = merged.domains.get(domain)?.bindings.get(repo)?.data.imports.some((i) => i.contract === contract);
      const to = committedContract(root, rel, head);
      if (!imports || !to || !semver.valid(to.version)) continue;
      const from = committedContract(root, rel, seen)?.version;
      const before = from && semver.valid(from) ? from : undefined;
      if (before === to.version) continue;
      changes.push({ domain, contract, kind: changeKind(before, to.version), from: before, to: to.version, fromRepo: to.owner });
    }
  }
  return { head, changes: dedupe(changes) };
}

/** The changes of {@link mainChanges} not yet recorded in this repo's notifications `log` (none open: all). */
export function unrecorded(log: NotificationsRepo | undefined, realm: string, repo: string, found: MainChanges): ContractChange[] {
  return found.changes.filter((c) => !log || !isRecorded(log, realm, repo, c));
}

/**
 * Records the changes in this repo's own notifications `log` and moves `refs/blue/seen/<repo>` to the
 * main commit they end at. @returns how many notifications were new.
 */
export function recordMainChanges(log: NotificationsRepo, view: RealmView, repo: string, clock: Clock): number {
  const found = mainChanges(view, repo);
  const realm = view.model.realm.data.name;
  const added = found.changes.filter((c) => recordNotification(log, realm, repo, c, clock)).length;
  if (found.head) tryGit(view.model.root, ['update-ref', seenRef(repo), found.head]);
  return added;
}

function dedupe(changes: ContractChange[]): ContractChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = `${c.domain}/${c.contract}/${c.kind}/${c.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
