/**
 * `.blue/cache.db`: what `realm check` can skip the second time. Three kinds of entries, each
 * keyed by what its result depends on:
 * - `contract`: one contract's check findings, keyed by the file's path, mtime and content
 *   hash, the realm commit and the few realm facts the checks read;
 * - `validation`: a value checked against a schema, keyed by the hash of both;
 * - `export`: a source file's content hash and detected values, keyed by path, mtime and size.
 * Hits and misses are counted per kind (`blue realm cache stats`). The cache is an
 * optimisation only: a database that cannot be opened means no cache, never a failure.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, type Db } from '../../store/index.ts';
import type { Migration } from '../../store/index.ts';

/** Cache file inside a repo. */
export const CACHE_RELATIVE_PATH = path.join('.blue', 'cache.db');

/** The kinds of cached entries. */
export const CACHE_KINDS = ['contract', 'validation', 'export'] as const;
/** One kind of cached entry. */
export type CacheKind = (typeof CACHE_KINDS)[number];

/** Bump when a cached result's meaning changes: older rows are then never read. */
const LOGIC_VERSION = '1';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'realm-cache',
    sql: `CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
          CREATE TABLE counters (kind TEXT PRIMARY KEY, hits INTEGER NOT NULL DEFAULT 0, misses INTEGER NOT NULL DEFAULT 0);`,
  },
];

/** Per kind: entries stored, hits and misses counted since the last clear. */
export type CacheStats = Record<CacheKind, { entries: number; hits: number; misses: number }>;

/** A cache of check results; see the module comment for the keys. */
export interface RealmCache {
  /** The stored value for `kind`/`key`, counting a hit or a miss. */
  get(kind: CacheKind, key: string): string | undefined;
  /** Stores a value (written to disk by `close`). */
  put(kind: CacheKind, key: string, value: string): void;
  stats(): CacheStats;
  /** Deletes every entry and resets the counters. */
  clear(): void;
  /** Writes buffered entries and counters, then closes the database. */
  close(): void;
}

/** sha256 hex of the parts, NUL-separated, with the logic version: a cache key. */
export function cacheKey(...parts: string[]): string {
  const h = createHash('sha256').update(LOGIC_VERSION);
  for (const p of parts) h.update('\0').update(p);
  return h.digest('hex');
}

/**
 * Opens (creating) `<repoRoot>/.blue/cache.db`.
 * @returns the cache, or undefined when the database cannot be opened or migrated.
 */
export function openCache(repoRoot: string): RealmCache | undefined {
  try {
    const file = path.join(repoRoot, CACHE_RELATIVE_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.pragma('synchronous = NORMAL'); // a cache: losing the last writes to a crash costs a recheck
    migrate(db, MIGRATIONS);
    return sqliteCache(db);
  } catch {
    return undefined;
  }
}

/** Reads go to the database; writes and counters are buffered and flushed in one transaction at close. */
function sqliteCache(db: Db): RealmCache {
  const select = db.prepare<[string, string], { value: string }>('SELECT value FROM entries WHERE kind = ? AND key = ?');
  const insert = db.prepare('INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)');
  const bump = db.prepare('INSERT INTO counters (kind, hits, misses) VALUES (?, ?, ?) ON CONFLICT(kind) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses');
  const pending = new Map<string, [CacheKind, string, string]>();
  const counts = new Map<CacheKind, { hits: number; misses: number }>();
  const count = (kind: CacheKind, hit: boolean): void => {
    const c = counts.get(kind) ?? { hits: 0, misses: 0 };
    if (hit) c.hits++;
    else c.misses++;
    counts.set(kind, c);
  };
  const flush = db.transaction(() => {
    for (const row of pending.values()) insert.run(...row);
    for (const [kind, c] of counts) bump.run(kind, c.hits, c.misses);
    pending.clear();
    counts.clear();
  });
  return {
    get(kind, key) {
      const value = pending.get(`${kind}\0${key}`)?.[2] ?? select.get(kind, key)?.value;
      count(kind, value !== undefined);
      return value;
    },
    put(kind, key, value) {
      pending.set(`${kind}\0${key}`, [kind, key, value]);
    },
    stats() {
      flush();
      const out = Object.fromEntries(CACHE_KINDS.map((k) => [k, { entries: 0, hits: 0, misses: 0 }])) as CacheStats;
      for (const r of db.prepare('SELECT kind, COUNT(*) AS n FROM entries GROUP BY kind').all() as { kind: CacheKind; n: number }[]) {
        if (out[r.kind]) out[r.kind].entries = r.n;
      }
      for (const r of db.prepare('SELECT kind, hits, misses FROM counters').all() as { kind: CacheKind; hits: number; misses: number }[]) {
        if (out[r.kind]) Object.assign(out[r.kind], { hits: r.hits, misses: r.misses });
      }
      return out;
    },
    clear() {
      pending.clear();
      counts.clear();
      db.exec('DELETE FROM entries; DELETE FROM counters;');
    },
    close() {
      try {
        flush();
      } finally {
        db.close();
      }
    },
  };
}

/**
 * sha256 (hex) of the file at `abs`, through the `export` cache keyed by path, mtime and size
 * (a file rewritten within the same mtime tick with the same size is the one blind spot,
 * as with make and git's index); undefined when the file is missing.
 */
export function fileHash(abs: string, cache?: RealmCache): string | undefined {
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile()) return undefined;
  const key = cacheKey('file', abs, String(st.mtimeMs), String(st.size));
  const hit = cache?.get('export', key);
  if (hit) return hit;
  const hash = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
  cache?.put('export', key, hash);
  return hash;
}

/** `f()` through the cache as JSON under `kind`/`key` (always computed without a cache). */
export async function cached<T>(cache: RealmCache | undefined, kind: CacheKind, key: string, f: () => T | Promise<T>): Promise<T> {
  const hit = cache?.get(kind, key);
  if (hit !== undefined) return JSON.parse(hit) as T;
  const value = await f();
  cache?.put(kind, key, JSON.stringify(value));
  return value;
}
