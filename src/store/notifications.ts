/**
 * Realm notifications in a repo's own `.blue/blue.db` (table `realm_notifications`, migration
 * 003): one row per (realm, importer repo, domain, contract, version reached, kind), unseen
 * until `realm status` or `realm ack` marks it seen. src/realm/realm decides what to record.
 */
import { type Db, openDatabase } from './db.ts';

/** Notification kinds: a changed contract, a breaking change, a new contract. */
export type NotificationKind = 'changed' | 'breaking' | 'new';

/** A notification row (times are ISO 8601). */
export interface RealmNotification {
  id: number;
  realm: string;
  /** The importer repo notified. */
  repo: string;
  domain: string;
  contract: string;
  kind: NotificationKind;
  /** Null for a new contract. */
  from_version: string | null;
  to_version: string;
  /** The repo whose change caused it. */
  from_repo: string | null;
  created_at: string;
  seen_at: string | null;
}

/** What makes a notification the same one: realm, repo, domain, contract, kind, version reached. */
export type NotificationKey = Pick<RealmNotification, 'realm' | 'repo' | 'domain' | 'contract' | 'kind' | 'to_version'>;

/** A notification to record: its key, where it came from and when. */
export type NewNotification = NotificationKey & Pick<RealmNotification, 'from_version' | 'from_repo' | 'created_at'>;

const UNSEEN = `SELECT * FROM realm_notifications WHERE realm = ? AND repo = ? AND seen_at IS NULL ORDER BY id`;

/** Typed access to `realm_notifications`. */
export class NotificationsRepo {
  private constructor(private readonly db: Db) {}

  /** Opens (creating and migrating) `<root>/.blue/blue.db`. @throws BlueError E_INTERNAL when a migration fails. */
  static open(root: string): NotificationsRepo {
    return new NotificationsRepo(openDatabase(root));
  }

  /** Inserts `n` unless the same one (its {@link NotificationKey}) exists. @returns true when inserted. */
  recordOnce(n: NewNotification): boolean {
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO realm_notifications (realm, repo, domain, contract, kind, from_version, to_version, from_repo, created_at)
         VALUES (@realm, @repo, @domain, @contract, @kind, @from_version, @to_version, @from_repo, @created_at)`,
      )
      .run(n);
    return info.changes > 0;
  }

  /** True when a notification with this key is recorded, seen or not. */
  has(key: NotificationKey): boolean {
    const sql = `SELECT 1 FROM realm_notifications WHERE realm = @realm AND repo = @repo AND domain = @domain AND contract = @contract AND kind = @kind AND to_version = @to_version`;
    return this.db.prepare(sql).get(key) !== undefined;
  }

  /** Unseen notifications of `repo` in `realm`, oldest first, left unseen. */
  unseen(realm: string, repo: string): RealmNotification[] {
    return this.db.prepare(UNSEEN).all(realm, repo) as RealmNotification[];
  }

  /** Unseen notifications of `repo` in `realm`, oldest first, marked seen at `at` (ISO) in one transaction. */
  takeUnseen(realm: string, repo: string, at: string): RealmNotification[] {
    const mark = this.db.prepare(`UPDATE realm_notifications SET seen_at = ? WHERE id = ?`);
    return this.db.transaction(() => {
      const rows = this.unseen(realm, repo);
      for (const r of rows) mark.run(at, r.id);
      return rows;
    })();
  }

  /** Closes the connection (idempotent). */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
