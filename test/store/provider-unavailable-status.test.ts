/**
 * Migration 009 rebuilds `dialogues` for the `provider_unavailable` status: every row and every
 * child row survives (a DROP with foreign keys on would cascade), references still hold, and the
 * CHECK still refuses unknown statuses.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.ts';
import { DialogueStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { memoryDbAt, rowCount } from '../helpers/migrated-db.ts';

function dbAt(version: number): Database.Database {
  const db = memoryDbAt(version);
  db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES ('d','t','q','failed','x','{"a":1}','{}','a','b')`).run();
  db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES ('d',0,'running',1,'a')`).run();
  db.prepare(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,first_round) VALUES ('d','muffin','Muffin','Role','Core',0.9,0)`).run();
  db.prepare(`INSERT INTO constraints (dialogue_id,seq,round_added,text,created_at) VALUES ('d',1,0,'keep it small','a')`).run();
  return db;
}


describe('migration 009: provider_unavailable', () => {
  it('keeps every dialogue and child row, then accepts the new status', () => {
    const db = dbAt(7);
    expect(() => db.prepare(`UPDATE dialogues SET status = 'provider_unavailable'`).run()).toThrow(/CHECK constraint/);
    migrate(db, MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const store = new DialogueStore(db);
    expect(store.getDialogue('d')).toMatchObject({ status: 'failed', settings_json: '{"a":1}', updated_at: 'b' });
    expect([rowCount(db, 'rounds'), rowCount(db, 'experts'), rowCount(db, 'constraints')]).toEqual([1, 1, 1]);
    store.setStatus('d', 'provider_unavailable', 'c');
    expect(store.getDialogue('d')?.status).toBe('provider_unavailable');
    expect(() => db.prepare(`UPDATE dialogues SET status = 'nope'`).run()).toThrow(/CHECK constraint/);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('references still point at the rebuilt table: orphans are refused, deletes cascade', () => {
    const db = dbAt(7);
    migrate(db, MIGRATIONS);
    expect(() => db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES ('ghost',0,'running',1,'a')`).run()).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM dialogues WHERE id = 'd'`).run();
    expect([rowCount(db, 'rounds'), rowCount(db, 'experts'), rowCount(db, 'constraints')]).toEqual([0, 0, 0]);
  });
});
