/**
 * `.blue/cache.db`, the realm check cache's file: entries by kind and key, and hit/miss counters
 * per kind. src/realm/realm/cache.ts owns the keys, the buffering and what a value means.
 */
import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import { type Db, openSqlite } from './db.ts';
import type { Migration } from './migrations/index.ts';

/** The cache file inside a repo. */
export const CACHE_RELATIVE_PATH = path.join('.blue', 'cache.db');

/** The cache file's own schema (its `user_version` counts these, not blue.db's). */
export const REALM_CACHE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'realm-cache',
    sql: `CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
          CREATE TABLE counters (kind TEXT PRIMARY KEY, hits INTEGER NOT NULL DEFAULT 0, misses INTEGER NOT NULL DEFAULT 0);`,
  },
];

/** Hits and misses of one kind. */
export interface CacheCounts {
  hits: number;
  misses: number;
}

/** Typed access to a cache file. */
export class RealmCacheRepo {
  private readonly select: Statement<[string, string], { value: string }>;

  private constructor(private readonly db: Db) {
    this.select = db.prepare<[string, string], { value: string }>('SELECT value FROM entries WHERE kind = ? AND key = ?');
  }

  /**
   * Opens (creating and migrating) `<repoRoot>/.blue/cache.db`, with `synchronous = NORMAL`:
   * losing the last writes to a power cut costs a recheck, not a wrong answer.
   * @throws SqliteError or BlueError when the file cannot be opened or migrated.
   */
  static open(repoRoot: string): RealmCacheRepo {
    return new RealmCacheRepo(openSqlite(path.join(repoRoot, CACHE_RELATIVE_PATH), { migrations: REALM_CACHE_MIGRATIONS, synchronous: 'NORMAL' }));
  }

  /** The stored value of `kind`/`key`, if any. */
  get(kind: string, key: string): string | undefined {
    return this.select.get(kind, key)?.value;
  }

  /** In one transaction: stores `entries` (kind, key, value; replacing) and adds `counts` to the counters. */
  write(entries: Iterable<readonly [string, string, string]>, counts: Iterable<readonly [string, CacheCounts]>): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)');
    const bump = this.db.prepare(
      'INSERT INTO counters (kind, hits, misses) VALUES (?, ?, ?) ON CONFLICT(kind) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses',
    );
    this.db.transaction(() => {
      for (const [kind, key, value] of entries) insert.run(kind, key, value);
      for (const [kind, c] of counts) bump.run(kind, c.hits, c.misses);
    })();
  }

  /** Entries stored, per kind (kinds without entries absent). */
  entryCounts(): Map<string, number> {
    const rows = this.db.prepare('SELECT kind, COUNT(*) AS n FROM entries GROUP BY kind').all() as { kind: string; n: number }[];
    return new Map(rows.map((r) => [r.kind, r.n]));
  }

  /** Hits and misses counted, per kind (kinds never counted absent). */
  counters(): Map<string, CacheCounts> {
    const rows = this.db.prepare('SELECT kind, hits, misses FROM counters').all() as ({ kind: string } & CacheCounts)[];
    return new Map(rows.map((r) => [r.kind, { hits: r.hits, misses: r.misses }]));
  }

  /** Deletes every entry and every counter. */
  clear(): void {
    this.db.exec('DELETE FROM entries; DELETE FROM counters;');
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
