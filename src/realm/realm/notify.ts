/**
 * Realm notifications in SQLite (`realm_notifications`, migration 003). They travel through
 * the realm: an importer's own `status` finds each of its imports resolved below the
 * contract's published version and records it in its own `.blue/blue.db`; no repo ever
 * writes into another repo's database. Shown once by `status` (its `--json` only reads).
 */
import semver from 'semver';
import type { Clock } from '../../core/index.ts';
import type { Db } from '../../store/index.ts';
import type { RealmModel } from './model.ts';

/** Notification kinds: a changed contract, a breaking change, a new contract. */
export type NotificationKind = 'changed' | 'breaking' | 'new';

/** A notification row. */
export interface RealmNotification {
  id: number;
  realm: string;
  repo: string;
  domain: string;
  contract: string;
  kind: NotificationKind;
  from_version: string | null;
  to_version: string;
  from_repo: string | null;
  created_at: string;
  seen_at: string | null;
}

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
export function recordNotification(db: Db, realm: string, repo: string, change: ContractChange, clock: Clock): boolean {
  const info = db
    .prepare(
      `INSERT OR IGNORE INTO realm_notifications
       (realm, repo, domain, contract, kind, from_version, to_version, from_repo, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(realm, repo, change.domain, change.contract, change.kind, change.from ?? null, change.to, change.fromRepo ?? null, clock.now().toISOString());
  return info.changes > 0;
}

/** Unseen notifications for `repo`, oldest first; marks them seen at `clock.now()`. */
export function takeUnseen(db: Db, realm: string, repo: string, clock: Clock): RealmNotification[] {
  const rows = db
    .prepare(`SELECT * FROM realm_notifications WHERE realm = ? AND repo = ? AND seen_at IS NULL ORDER BY id`)
    .all(realm, repo) as RealmNotification[];
  const mark = db.prepare(`UPDATE realm_notifications SET seen_at = ? WHERE id = ?`);
  const now = clock.now().toISOString();
  db.transaction(() => rows.forEach((r) => mark.run(now, r.id)))();
  return rows;
}

/** One line: `breaking: s3-access/s3-permissions 1.1.0 → 2.0.0 (by aperture)`. */
export function formatNotification(n: Pick<RealmNotification, 'kind' | 'domain' | 'contract' | 'from_version' | 'to_version' | 'from_repo'>): string {
  const versions = n.from_version ? `${n.from_version} → ${n.to_version}` : n.to_version;
  return `${n.kind}: ${n.domain}/${n.contract} ${versions}${n.from_repo ? ` (by ${n.from_repo})` : ''}`;
}

/** Unseen notifications for `repo`, oldest first, without marking them (for `--json`). */
export function peekUnseen(db: Db, realm: string, repo: string): RealmNotification[] {
  return db.prepare(`SELECT * FROM realm_notifications WHERE realm = ? AND repo = ? AND seen_at IS NULL ORDER BY id`).all(realm, repo) as RealmNotification[];
}

/** True when `change` is already recorded for `repo` (seen or not). */
export function isRecorded(db: Db, realm: string, repo: string, change: ContractChange): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM realm_notifications WHERE realm = ? AND repo = ? AND domain = ? AND contract = ? AND kind = ? AND to_version = ?`)
      .get(realm, repo, change.domain, change.contract, change.kind, change.to) !== undefined
  );
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
 * Records, in this repo's own database `db`, each of {@link staleImportChanges} not yet recorded.
 * @returns how many were new.
 */
export function recordStaleImports(db: Db, model: RealmModel, repo: string, clock: Clock): number {
  return staleImportChanges(model, repo).filter((ch) => recordNotification(db, model.realm.data.name, repo, ch, clock)).length;
}
