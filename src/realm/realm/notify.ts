/**
 * Realm notifications (stored by src/store's NotificationsRepo in `.blue/blue.db`). They travel through
 * the realm: an importer's own `status` finds each of its imports resolved below the
 * contract's published version and records it in its own `.blue/blue.db`; no repo ever
 * writes into another repo's database. Shown once by `status` (its `--json` only reads).
 */
import semver from 'semver';
import type { Clock } from '../../core/index.ts';
import type { NotificationKey, NotificationKind, NotificationsRepo, RealmNotification } from '../../store/index.ts';
import type { RealmModel } from './model.ts';

export type { NotificationKind, NotificationsRepo, RealmNotification };

/** A contract change to announce. */
export interface ContractChange {
  domain: string;
  contract: string;
  kind: NotificationKind;
  from?: string;
  to: string;
  fromRepo?: string;
}

/**
 * The kind of a contract moving `from` → `to` (valid semver): `new` without `from`, `breaking`
 * when the major version went up (semver: a major bump is the breaking one), else `changed`.
 */
export function changeKind(from: string | undefined, to: string): NotificationKind {
  if (from === undefined) return 'new';
  return semver.major(to) > semver.major(from) ? 'breaking' : 'changed';
}

/** Inserts one notification unless the same one exists. @returns true when inserted. */
export function recordNotification(log: NotificationsRepo, realm: string, importer: string, change: ContractChange, clock: Clock): boolean {
  return log.recordOnce({
    ...keyOf(realm, importer, change),
    from_version: change.from ?? null,
    from_repo: change.fromRepo ?? null,
    created_at: clock.now().toISOString(),
  });
}

/** Unseen notifications for `importer`, oldest first; marks them seen at `clock.now()`. */
export function takeUnseen(log: NotificationsRepo, realm: string, importer: string, clock: Clock): RealmNotification[] {
  return log.takeUnseen(realm, importer, clock.now().toISOString());
}

/** One line: `breaking: s3-access/s3-permissions 1.1.0 → 2.0.0 (by aperture)`. */
export function formatNotification(n: Pick<RealmNotification, 'kind' | 'domain' | 'contract' | 'from_version' | 'to_version' | 'from_repo'>): string {
  const versions = n.from_version ? `${n.from_version} → ${n.to_version}` : n.to_version;
  return `${n.kind}: ${n.domain}/${n.contract} ${versions}${n.from_repo ? ` (by ${n.from_repo})` : ''}`;
}

/** Unseen notifications for `importer`, oldest first, without marking them (for `--json`). */
export function peekUnseen(log: NotificationsRepo, realm: string, importer: string): RealmNotification[] {
  return log.unseen(realm, importer);
}

/** True when `change` is already recorded for `importer` (seen or not). */
export function isRecorded(log: NotificationsRepo, realm: string, importer: string, change: ContractChange): boolean {
  return log.has(keyOf(realm, importer, change));
}

function keyOf(realm: string, importer: string, change: ContractChange): NotificationKey {
  return { realm, repo: importer, domain: change.domain, contract: change.contract, kind: change.kind, to_version: change.to };
}

/**
 * The changes `repo` has not resolved yet: each import resolved below the contract's current
 * version in `model`, attributed to the contract's owner. Pure.
 */
export function staleImportChanges(model: RealmModel, repo: string): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const d of model.domains.values()) {
    for (const i of d.bindings.get(repo)?.data.imports ?? []) {
      const c = d.contracts.get(i.contract)?.data;
      const from = i.resolved_version;
      if (!c || !from || !semver.valid(from) || !semver.valid(c.version) || !semver.lt(from, c.version)) continue;
      changes.push({ domain: d.name, contract: c.name, kind: changeKind(from, c.version), from, to: c.version, fromRepo: c.owner });
    }
  }
  return changes;
}

/**
 * Records, in this repo's own notifications `log`, each of {@link staleImportChanges} not yet recorded.
 * @returns how many were new.
 */
export function recordStaleImports(log: NotificationsRepo, model: RealmModel, repo: string, clock: Clock): number {
  return staleImportChanges(model, repo).filter((ch) => recordNotification(log, model.realm.data.name, repo, ch, clock)).length;
}
