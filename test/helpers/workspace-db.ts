/**
 * For tests and bench that inspect or tamper with a workspace's database behind the store's back:
 * a connection of their own, opened by file path, never a store's (whose connection is private).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { DB_RELATIVE_PATH, type Db } from '../../src/store/index.ts';

/**
 * Runs `fn` on a new connection to `<root>/.blue/blue.db`, closing it after.
 * @throws SqliteError when the database does not exist (nothing is created).
 */
export function withWorkspaceDb<T>(root: string, fn: (db: Db) => T): T {
  return withDbFile(path.join(root, DB_RELATIVE_PATH), fn);
}

/**
 * Runs `fn` on a new connection to the SQLite file `file` (blue.db, cache.db, sessions.db), closing it after.
 * @throws SqliteError when the file does not exist (nothing is created).
 */
export function withDbFile<T>(file: string, fn: (db: Db) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}
