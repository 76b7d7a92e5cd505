/**
 * The store's repositories for the document index, realm notifications, the realm check cache
 * and sessions.db, and the one opener every SQLite file goes through (issue 11 item 2).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CACHE_RELATIVE_PATH,
  DocumentIndex,
  type IndexedDocument,
  NotificationsRepo,
  REALM_CACHE_MIGRATIONS,
  RealmCacheRepo,
  SESSIONS_FILE,
  type Session,
  SessionsRepo,
  openDatabase,
  openSqlite,
} from '../../src/store/index.ts';
import { withDbFile } from '../helpers/workspace-db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-repos-'));
  dirs.push(dir);
  return dir;
}

/** `PRAGMA journal_mode` of a file, read on a connection of the test's own (WAL is kept in the file). */
function journalMode(file: string): unknown {
  return withDbFile(file, (db) => db.pragma('journal_mode', { simple: true }));
}

const doc = (file: string, number: number | null, status: string | null, type = 'rfc'): IndexedDocument => ({
  file,
  type,
  number,
  slug: path.basename(file, '.md'),
  title: `T ${file}`,
  status,
  headerStatus: status,
  date: '2026-03-01',
});

describe('openSqlite', () => {
  it('sets WAL, a 5 s busy timeout and foreign keys, applies the file own migrations, and makes the folder', () => {
    const file = path.join(tempDir(), 'nested', 'x.db');
    const db = openSqlite(file, { migrations: REALM_CACHE_MIGRATIONS, synchronous: 'NORMAL' });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('user_version', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
    const full = openSqlite(':memory:', { migrations: [] });
    expect(full.pragma('synchronous', { simple: true })).toBe(2); // FULL unless asked
    full.close();
  });
});

describe('DocumentIndex', () => {
  it('replaces both tables, lists by type and status, finds duplicates, counts links once', () => {
    const index = DocumentIndex.open(tempDir());
    index.replaceAll([doc('rfcs/0001-a.md', 1, 'draft')], [], 'old');
    const written = index.replaceAll(
      [doc('rfcs/0003-c.md', 3, 'accepted'), doc('rfcs/0002-b.md', 2, 'draft'), doc('rfcs/0002-dup.md', 2, 'draft'), doc('dialogues/x.md', null, 'recorded', 'dialogue')],
      [
        { source: 'rfcs/0003-c.md', kind: 'supersedes', target: 'rfc:2', line: 4 },
        { source: 'rfcs/0003-c.md', kind: 'supersedes', target: 'rfc:2', line: 4 },
        { source: 'dialogue:x', kind: 'dialogue_to_rfc', target: 'rfc:3', line: 7 },
      ],
      '2026-03-01T00:00:00Z',
    );
    expect(written).toBe(2);
    expect(index.list('rfc').map((d) => d.file)).toEqual(['rfcs/0002-b.md', 'rfcs/0002-dup.md', 'rfcs/0003-c.md']);
    expect(index.list('rfc', 'accepted')).toEqual([doc('rfcs/0003-c.md', 3, 'accepted')]);
    expect(index.find('rfc', 2).map((d) => d.file)).toEqual(['rfcs/0002-b.md', 'rfcs/0002-dup.md']);
    expect(index.find('rfc', 1)).toEqual([]);
    expect(index.maxNumber('rfc')).toBe(3);
    expect(index.maxNumber('adr')).toBe(0);
    expect(index.linksTouching('rfc:3')).toEqual([{ source: 'dialogue:x', kind: 'dialogue_to_rfc', target: 'rfc:3', line: 7 }]);
    expect(index.links('supersedes').map((l) => l.source)).toEqual(['rfcs/0003-c.md']);
    expect(index.links()).toHaveLength(2);
    index.close();
    index.close();
  });

  it('on a borrowed connection, close leaves the connection open', () => {
    const db = openDatabase(':memory:');
    const index = DocumentIndex.on(db);
    index.replaceAll([doc('rfcs/0001-a.md', 1, 'draft')], [], 'now');
    index.close();
    expect(db.open).toBe(true);
    expect(DocumentIndex.on(db).maxNumber('rfc')).toBe(1);
    db.close();
  });
});

describe('NotificationsRepo', () => {
  it('records a notification once, peeks without marking, takes and marks seen', () => {
    const log = NotificationsRepo.open(tempDir());
    const key = { realm: 'r', repo: 'fungal', domain: 's3', contract: 'perms', kind: 'changed' as const, to_version: '1.1.0' };
    const n = { ...key, from_version: '1.0.0', from_repo: 'aperture', created_at: '2026-01-01T00:00:00Z' };
    expect(log.has(key)).toBe(false);
    expect(log.recordOnce(n)).toBe(true);
    expect(log.recordOnce({ ...n, created_at: 'later' })).toBe(false);
    expect(log.has(key)).toBe(true);
    expect(log.has({ ...key, to_version: '2.0.0' })).toBe(false);
    expect(log.recordOnce({ ...n, contract: 'other' })).toBe(true);
    expect(log.unseen('r', 'fungal').map((r) => r.contract)).toEqual(['perms', 'other']);
    expect(log.unseen('r', 'elsewhere')).toEqual([]);
    const taken = log.takeUnseen('r', 'fungal', '2026-01-02T00:00:00Z');
    expect(taken.map((r) => [r.contract, r.from_repo, r.seen_at])).toEqual([['perms', 'aperture', null], ['other', 'aperture', null]]);
    expect(log.unseen('r', 'fungal')).toEqual([]);
    expect(log.has(key)).toBe(true); // seen rows still count as recorded
    log.close();
  });
});

describe('RealmCacheRepo', () => {
  it('stores entries and adds counters in one write, counts per kind, clears, and keeps a WAL file of its own', () => {
    const root = tempDir();
    const cache = RealmCacheRepo.open(root);
    expect(cache.get('contract', 'k')).toBeUndefined();
    cache.write([['contract', 'k', 'v1'], ['export', 'f', 'h']], [['contract', { hits: 1, misses: 2 }]]);
    cache.write([['contract', 'k', 'v2']], [['contract', { hits: 3, misses: 0 }], ['export', { hits: 0, misses: 1 }]]);
    expect(cache.get('contract', 'k')).toBe('v2');
    expect([...cache.entryCounts()]).toEqual(expect.arrayContaining([['contract', 1], ['export', 1]]));
    expect(cache.counters().get('contract')).toEqual({ hits: 4, misses: 2 });
    expect(cache.counters().get('export')).toEqual({ hits: 0, misses: 1 });
    cache.clear();
    expect(cache.entryCounts().size).toBe(0);
    expect(cache.counters().size).toBe(0);
    cache.close();
    expect(journalMode(path.join(root, CACHE_RELATIVE_PATH))).toBe('wal');
  });
});

/** Runs `sql` on a connection of the test's own to `<dir>/sessions.db`. */
function rawSessions(dir: string, sql: string): void {
  withDbFile(path.join(dir, SESSIONS_FILE), (db) => db.prepare(sql).run());
}

describe('SessionsRepo', () => {
  const session = (id: string, realm: string, started: string): Session => ({ id, realm, repo: 'x', kind: 'sync', pid: 1, host: 'h', touches: ['d/c'], started_at: started, heartbeat_at: started });

  it('inserts, lists a realm oldest first, beats, removes', () => {
    const dir = path.join(tempDir(), 'runtime');
    const repo = SessionsRepo.open(dir);
    repo.insert(session('b', 'r', '2026-01-02T00:00:00Z'));
    repo.insert(session('a', 'r', '2026-01-01T00:00:00Z'));
    repo.insert(session('c', 'other', '2026-01-01T00:00:00Z'));
    expect(() => repo.insert(session('a', 'r', 'x'))).toThrow(/UNIQUE/);
    expect(repo.sessions('r').map((s) => s.id)).toEqual(['a', 'b']);
    expect(repo.sessions().map((s) => s.id)).toEqual(['a', 'c', 'b']);
    expect(repo.sessions('r')[0]!.touches).toEqual(['d/c']);
    repo.beat('a', '2026-01-03T00:00:00Z');
    expect(repo.sessions('r')[0]!.heartbeat_at).toBe('2026-01-03T00:00:00Z');
    repo.remove(['a', 'c']);
    expect(repo.sessions().map((s) => s.id)).toEqual(['b']);
    repo.close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(journalMode(path.join(dir, SESSIONS_FILE))).toBe('wal');
  });

  it('appends events keeping the newest per realm, reads them after an id', () => {
    const repo = SessionsRepo.open(tempDir());
    const ids = [1, 2, 3, 4].map((i) => repo.append({ realm: 'r', repo: 'x', kind: 'bump', detail: `e${i}` }, `t${i}`, 2));
    repo.append({ realm: 'other', repo: 'y', kind: 'bump', detail: 'o' }, 't5', 2);
    expect(repo.eventsAfter('r', 0).map((e) => e.detail)).toEqual(['e3', 'e4']);
    expect(repo.eventsAfter('r', ids[2]!).map((e) => [e.detail, e.at])).toEqual([['e4', 't4']]);
    expect(repo.lastEventId()).toBe(ids[3]! + 1);
    repo.close();
  });

  it('refuses a touches column that is not a list of strings', () => {
    const dir = tempDir();
    const repo = SessionsRepo.open(dir);
    repo.insert(session('a', 'r', 't'));
    rawSessions(dir, `UPDATE sessions SET touches = '[1]'`);
    expect(() => repo.sessions('r')).toThrow('sessions.db: session a has touches [1], expected a JSON list of strings');
    rawSessions(dir, `UPDATE sessions SET touches = 'not json'`);
    expect(() => repo.sessions('r')).toThrow(/has touches not json/);
    repo.close();
  });
});
