/**
 * Live sessions and change hints (seed 003 Round 12, first layer): `sessions.db` in the user's
 * runtime directory holds the dialogues, worktrees, syncs and watches running on this machine
 * (realm, repo, pid, host, what they touch, heartbeat) and a log of realm change events that
 * `realm status --watch` polls. Best effort: git stays the truth, so callers treat a missing
 * store as "no sessions" and never fail a command over it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock, IdSource } from '../../core/index.ts';
import { migrate, type Db } from '../../store/index.ts';
import type { Migration } from '../../store/index.ts';

/** File name inside the runtime directory. */
export const SESSIONS_FILE = 'sessions.db';

/** A session older than this (ms since its last heartbeat) is stale, wherever it runs. */
export const STALE_AFTER_MS = 15_000;

/** Events kept per realm; older ones are dropped as new ones arrive. */
const KEEP_EVENTS = 1000;

const MIGRATIONS: readonly Migration[] = [
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

/** The process facts a store needs, injected from src/cli. */
export interface SessionDeps {
  clock: Clock;
  ids: IdSource;
  /** This process. */
  pid: number;
  host: string;
  /** True when process `pid` on this host still runs. */
  isAlive: (pid: number) => boolean;
}

/** Sessions and events in one `sessions.db`. */
export interface SessionStore {
  /** Registers this process's session; the id is unique (`<id>@<host>:<pid>`). */
  register(s: { realm: string; repo: string; kind: SessionKind; touches?: string[] }): Session;
  heartbeat(id: string): void;
  end(id: string): void;
  /** Removes stale sessions (a dead pid on this host, or no heartbeat for {@link STALE_AFTER_MS}). @returns their ids. */
  prune(): string[];
  /** Live sessions of `realm` (pruned first), oldest first. */
  active(realm: string): Session[];
  emit(e: { realm: string; repo: string; kind: string; detail: string }): void;
  /** Events of `realm` with an id above `after`, in order. */
  eventsAfter(realm: string, after: number): SessionEvent[];
  /** The newest event id (0 when none). */
  lastEventId(): number;
  close(): void;
}

/**
 * Opens (creating) `<dir>/sessions.db`.
 * @returns the store, or undefined when it cannot be opened (best effort: no sessions then).
 */
export function openSessions(dir: string, deps: SessionDeps): SessionStore | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const db = new Database(path.join(dir, SESSIONS_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    migrate(db, MIGRATIONS);
    return store(db, deps);
  } catch {
    return undefined;
  }
}

interface Row extends Omit<Session, 'touches'> {
  touches: string;
}

function store(db: Db, deps: SessionDeps): SessionStore {
  const now = () => deps.clock.now().toISOString();
  const toSession = (r: Row): Session => ({ ...r, touches: JSON.parse(r.touches) as string[] });
  const self: SessionStore = {
    register(s) {
      const at = now();
      const session: Session = { id: `${deps.ids.next('s')}@${deps.host}:${deps.pid}`, realm: s.realm, repo: s.repo, kind: s.kind, pid: deps.pid, host: deps.host, touches: s.touches ?? [], started_at: at, heartbeat_at: at };
      db.prepare('INSERT INTO sessions VALUES (@id, @realm, @repo, @kind, @pid, @host, @touches, @started_at, @heartbeat_at)').run({ ...session, touches: JSON.stringify(session.touches) });
      return session;
    },
    heartbeat(id) {
      db.prepare('UPDATE sessions SET heartbeat_at = ? WHERE id = ?').run(now(), id);
    },
    end(id) {
      db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    },
    prune() {
      const limit = deps.clock.now().getTime() - STALE_AFTER_MS;
      const rows = db.prepare('SELECT * FROM sessions').all() as Row[];
      const stale = rows.filter((r) => Date.parse(r.heartbeat_at) < limit || (r.host === deps.host && r.pid !== deps.pid && !deps.isAlive(r.pid)));
      const del = db.prepare('DELETE FROM sessions WHERE id = ?');
      db.transaction(() => stale.forEach((r) => del.run(r.id)))();
      return stale.map((r) => r.id);
    },
    active(realm) {
      self.prune();
      return (db.prepare('SELECT * FROM sessions WHERE realm = ? ORDER BY started_at, id').all(realm) as Row[]).map(toSession);
    },
    emit(e) {
      const id = Number(db.prepare('INSERT INTO events (realm, repo, kind, detail, at) VALUES (?, ?, ?, ?, ?)').run(e.realm, e.repo, e.kind, e.detail, now()).lastInsertRowid);
      db.prepare('DELETE FROM events WHERE realm = ? AND id <= ?').run(e.realm, id - KEEP_EVENTS);
    },
    eventsAfter(realm, after) {
      return db.prepare('SELECT * FROM events WHERE realm = ? AND id > ? ORDER BY id').all(realm, after) as SessionEvent[];
    },
    lastEventId() {
      return (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM events').get() as { n: number }).n;
    },
    close() {
      db.close();
    },
  };
  return self;
}

/** One line about a session: `fungal watch (pid 123 on host, since …) touching a, b`. */
export function formatSession(s: Session): string {
  return `${s.repo} ${s.kind} (pid ${s.pid} on ${s.host}, since ${s.started_at})${s.touches.length ? ` touching ${s.touches.join(', ')}` : ''}`;
}
