/**
 * Realm notifications in SQLite (`realm_notifications`, migration 003). Written for the
 * importer repos of a changed contract, into each importer's own `.blue/blue.db` when its
 * checkout is reachable from the realm (`repos/<r>.yaml` path); shown once by `status`.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { Clock } from '../../core/index.ts';
import { openDatabase, type Db } from '../../store/db.ts';
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

/**
 * Records `change` for every repo importing the contract whose checkout exists.
 * @returns the repos notified.
 */
export function notifyImporters(model: RealmModel, change: ContractChange, clock: Clock): string[] {
  const domain = model.domains.get(change.domain);
  if (!domain) return [];
  const notified: string[] = [];
  for (const b of domain.bindings.values()) {
    if (!b.data.imports.some((i) => i.contract === change.contract)) continue;
    const root = repoRoot(model, b.data.repo);
    if (!root) continue;
    const db = openDatabase(root);
    try {
      recordNotification(db, model.realm.data.name, b.data.repo, change, clock);
      notified.push(b.data.repo);
    } finally {
      db.close();
    }
  }
  return notified;
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
export function formatNotification(n: RealmNotification): string {
  const versions = n.from_version ? `${n.from_version} → ${n.to_version}` : n.to_version;
  return `${n.kind}: ${n.domain}/${n.contract} ${versions}${n.from_repo ? ` (by ${n.from_repo})` : ''}`;
}

/** The checkout of `repo` per `repos/<repo>.yaml` (path relative to the realm), if it exists. */
function repoRoot(model: RealmModel, repo: string): string | undefined {
  const rel = model.repos.get(repo)?.data.path;
  if (!rel) return undefined;
  const abs = path.resolve(model.root, rel);
  return fs.existsSync(abs) ? abs : undefined;
}

/**
 * Records, in this repo's own database, a notification for each of its imports resolved
 * below the contract's current version (changes that arrived from the realm remote).
 * @returns how many were new.
 */
export function notifySelfOfStaleImports(model: RealmModel, repo: string, clock: Clock): number {
  const root = repoRoot(model, repo);
  if (!root) return 0;
  const changes: ContractChange[] = [];
  for (const d of model.domains.values()) {
    for (const i of d.bindings.get(repo)?.data.imports ?? []) {
      const c = d.contracts.get(i.contract)?.data;
      const from = i.resolved_version;
      if (!c || !from || !semver.valid(from) || !semver.valid(c.version) || !semver.lt(from, c.version)) continue;
      changes.push({ domain: d.name, contract: c.name, kind: changeKind(from, c.version), from, to: c.version, fromRepo: c.owner });
    }
  }
  if (changes.length === 0) return 0;
  const db = openDatabase(root);
  try {
    return changes.filter((ch) => recordNotification(db, model.realm.data.name, repo, ch, clock)).length;
  } finally {
    db.close();
  }
}
