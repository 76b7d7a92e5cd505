/**
 * Opening the SQLite database and applying migrations (better-sqlite3; WAL, busy_timeout,
 * foreign keys). One connection per process; all writes are synchronous.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BlueError } from '../core/index.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

/** The database handle type used across the store. */
export type Db = Database.Database;

/** Default database location inside a workspace. */
export const DB_RELATIVE_PATH = path.join('.blue', 'blue.db');

/** How {@link openSqlite} opens a file. */
export interface SqliteOptions {
  /** The file's own schema, applied by {@link migrate}. */
  migrations: readonly Migration[];
  /** Mode of a created parent folder (the user-wide sessions folder is private: 0o700). */
  dirMode?: number;
  /** `NORMAL` where losing the last writes to a power cut costs only a recomputation (a cache). */
  synchronous?: 'NORMAL';
}

/**
 * The one opener of blue's SQLite files (`file` or `':memory:'`): creates the parent folder, sets
 * WAL, a 5 s busy timeout and foreign keys, then migrates with `opts.migrations`.
 * @throws SqliteError when the file cannot be opened; BlueError E_INTERNAL when a migration fails.
 */
export function openSqlite(file: string, opts: SqliteOptions): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, ...(opts.dirMode === undefined ? {} : { mode: opts.dirMode }) });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (opts.synchronous) db.pragma(`synchronous = ${opts.synchronous}`);
    migrate(db, opts.migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Opens (creating if needed) the workspace database at `<root>/.blue/blue.db`, or an
 * in-memory database for `':memory:'`, and migrates it to the latest version.
 * @throws BlueError E_INTERNAL when a migration fails (the failing migration is rolled back).
 */
export function openDatabase(rootOrMemory: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  return openSqlite(rootOrMemory === ':memory:' ? ':memory:' : path.join(rootOrMemory, DB_RELATIVE_PATH), { migrations });
}

/** SHA-256 of `text` (UTF-8), lowercase hex: the key of a stored prompt part. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Applies every migration newer than `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  // Content addresses for migrations that move text into `prompt_parts` (007).
  db.function('blue_sha256', { deterministic: true }, (text: unknown) => sha256Hex(String(text)));
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    // SQLite ignores `foreign_keys` inside a transaction: a table rebuild turns it off around it.
    if (m.rebuildsTable) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        m.up?.(db);
        if (m.rebuildsTable && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error('foreign key check failed');
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (cause) {
      throw new BlueError('E_INTERNAL', `migration ${m.version} (${m.name}) failed: ${String(cause)}`, { cause });
    } finally {
      if (m.rebuildsTable) db.pragma('foreign_keys = ON');
    }
  }
  return db.pragma('user_version', { simple: true }) as number;
}
