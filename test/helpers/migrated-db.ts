/** In-memory databases at a given schema version, for migration tests that seed an old layout. */
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

/** A new in-memory database with foreign keys on, migrated up to and including `version`. */
export function memoryDbAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.filter((m) => m.version <= version));
  return db;
}

/** The number of rows in `table`. */
export function rowCount(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}
