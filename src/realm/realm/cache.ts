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
import { CACHE_RELATIVE_PATH, type CacheCounts, RealmCacheRepo } from '../../store/index.ts';

export { CACHE_RELATIVE_PATH };

/** The kinds of cached entries. */
export const CACHE_KINDS = ['contract', 'validation', 'export'] as const;
/** One kind of cached entry. */
export type CacheKind = (typeof CACHE_KINDS)[number];

/** Bump when a cached result's meaning changes: older rows are then never read (2: findings with rule and line). */
const LOGIC_VERSION = '2';

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
    return bufferedCache(RealmCacheRepo.open(repoRoot));
  } catch {
    return undefined;
  }
}

/** Reads go to the file; writes and counters are buffered and written in one transaction at close. */
function bufferedCache(repo: RealmCacheRepo): RealmCache {
  const pending = new Map<string, [CacheKind, string, string]>();
  const counts = new Map<CacheKind, CacheCounts>();
  const count = (kind: CacheKind, hit: boolean): void => {
    const c = counts.get(kind) ?? { hits: 0, misses: 0 };
    if (hit) c.hits++;
    else c.misses++;
    counts.set(kind, c);
  };
  const flush = (): void => {
    repo.write(pending.values(), counts);
    pending.clear();
    counts.clear();
  };
  return {
    get(kind, key) {
      const value = pending.get(`${kind}\0${key}`)?.[2] ?? repo.get(kind, key);
      count(kind, value !== undefined);
      return value;
    },
    put(kind, key, value) {
      pending.set(`${kind}\0${key}`, [kind, key, value]);
    },
    stats() {
      flush();
      const entries = repo.entryCounts();
      const counters = repo.counters();
      return Object.fromEntries(CACHE_KINDS.map((k) => [k, { entries: entries.get(k) ?? 0, hits: counters.get(k)?.hits ?? 0, misses: counters.get(k)?.misses ?? 0 }])) as CacheStats;
    },
    clear() {
      pending.clear();
      counts.clear();
      repo.clear();
    },
    close() {
      try {
        flush();
      } finally {
        repo.close();
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
