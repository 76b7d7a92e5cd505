/**
 * `sessions.db` in the user's runtime folder: the sessions running on this machine and the log
 * of realm change events (`realm status --watch` polls it). src/realm/realm/sessions.ts decides
 * ids, staleness and what to log; this is the file's rows.
 */
import path from 'node:path';
import { BlueError } from '../core/index.ts';
import { type Db, openSqlite } from './db.ts';
import type { Migration } from './migrations/index.ts';

/** File name inside the runtime folder. */
export const SESSIONS_FILE = 'sessions.db';

/** The sessions file's own schema (its `user_version` counts these, not blue.db's). */
export const SESSIONS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions',
    sql: `CREATE TABLE sessions (id TEXT PRIMARY KEY, realm TEXT NOT NULL, repo TEXT NOT NULL, kind TEXT NOT NULL,
            pid INTEGER NOT NULL, host TEXT NOT NULL, touches TEXT NOT NULL DEFAULT '[]',
            started_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL);
          CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, realm TEXT NOT NULL, repo TEXT NOT NULL,
            kind TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL);
          CREATE INDEX events_realm ON events (realm, id);`,
  },
];

/** What runs: a dialogue, a realm worktree, a sync, a status watch. */
export type SessionKind = 'dialogue' | 'worktree' | 'sync' | 'watch';

/** One running session. Times are ISO strings. */
export interface Session {
  id: string;
  realm: string;
  repo: string;
  kind: SessionKind;
  pid: number;
  host: string;
  /** What it touches: contracts (`domain/contract`), files or branches. */
  touches: string[];
  started_at: string;
  heartbeat_at: string;
}

/** A realm change hint: `detail` is one human line ("bumped s3-access/s3-permissions 1.0.0 → 1.1.0"). */
export interface SessionEvent {
  id: number;
  realm: string;
  repo: string;
  kind: string;
  detail: string;
  at: string;
}

/**
 * The `touches` column: a JSON list of strings. Checked by hand, not with zod: every command that
 * opens the store loads this module, and zod would triple `blue rfc list`'s module count.
 * @throws BlueError E_INTERNAL naming the session for anything else.
 */
function parseTouches(id: string, json: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value as string[];
  throw new BlueError('E_INTERNAL', `${SESSIONS_FILE}: session ${id} has touches ${json}, expected a JSON list of strings`);
}

interface Row extends Omit<Session, 'touches'> {
  touches: string;
}

/** Typed access to a sessions file. */
export class SessionsRepo {
  private constructor(private readonly db: Db) {}

  /**
   * Opens (creating the folder with mode 0o700, and the file) `<dir>/sessions.db`.
   * @throws SqliteError or BlueError when it cannot be opened or migrated.
   */
  static open(dir: string): SessionsRepo {
    return new SessionsRepo(openSqlite(path.join(dir, SESSIONS_FILE), { migrations: SESSIONS_MIGRATIONS, dirMode: 0o700 }));
  }

  /** Inserts a session. @throws SqliteError on a duplicate id. */
  insert(s: Session): void {
    this.db.prepare('INSERT INTO sessions VALUES (@id, @realm, @repo, @kind, @pid, @host, @touches, @started_at, @heartbeat_at)').run({ ...s, touches: JSON.stringify(s.touches) });
  }

  /** Sets the heartbeat of session `id` to `at` (ISO). */
  beat(id: string, at: string): void {
    this.db.prepare('UPDATE sessions SET heartbeat_at = ? WHERE id = ?').run(at, id);
  }

  /** Removes the sessions `ids`, in one transaction. */
  remove(ids: readonly string[]): void {
    const del = this.db.prepare('DELETE FROM sessions WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => del.run(id)))();
  }

  /** Every session, or those of `realm`, oldest first. @throws BlueError E_INTERNAL for a `touches` column that is not a list of strings. */
  sessions(realm?: string): Session[] {
    const rows = (realm === undefined
      ? this.db.prepare('SELECT * FROM sessions ORDER BY started_at, id').all()
      : this.db.prepare('SELECT * FROM sessions WHERE realm = ? ORDER BY started_at, id').all(realm)) as Row[];
    return rows.map((r) => ({ ...r, touches: parseTouches(r.id, r.touches) }));
  }

  /** Appends an event stamped `at` and drops the realm's events older than its newest `keep`. @returns the event's id. */
  append(e: Omit<SessionEvent, 'id' | 'at'>, at: string, keep: number): number {
    return this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO events (realm, repo, kind, detail, at) VALUES (?, ?, ?, ?, ?)').run(e.realm, e.repo, e.kind, e.detail, at).lastInsertRowid);
      this.db.prepare('DELETE FROM events WHERE realm = ? AND id <= ?').run(e.realm, id - keep);
      return id;
    })();
  }

  /** Events of `realm` with an id above `after`, in order. */
  eventsAfter(realm: string, after: number): SessionEvent[] {
    return this.db.prepare('SELECT * FROM events WHERE realm = ? AND id > ? ORDER BY id').all(realm, after) as SessionEvent[];
  }

  /** The newest event id (0 when none). */
  lastEventId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM events').get() as { n: number }).n;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
