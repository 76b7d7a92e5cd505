/**
 * Migration 011 drops the write-only `snapshots` table: the chart state's name, the one thing read
 * from it, moves onto the dialogue row; every dialogue and child row survives.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.ts';
import { DialogueStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { memoryDbAt, rowCount } from '../helpers/migrated-db.ts';

/** A database as version 10 left it: two dialogues, one with a persisted snapshot, and child rows. */
function oldDb(): Database.Database {
  const db = memoryDbAt(10);
  const dialogue = db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES (?,'t','q',?,?,'{"a":1}','{"b":2}','a','b')`);
  dialogue.run('d1', 'converged', 'dialogues/d1');
  dialogue.run('d2', 'open', 'dialogues/d2');
  db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES ('d1',0,'judged',1,'a')`).run();
  db.prepare(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,first_round) VALUES ('d1','muffin','Muffin','Role','Core',0.9,0)`).run();
  db.prepare(`INSERT INTO constraints (dialogue_id,seq,round_added,text,created_at) VALUES ('d1',1,0,'keep it small','a')`).run();
  db.prepare(`INSERT INTO snapshots (dialogue_id,state,snapshot,updated_at) VALUES ('d1','converged','"converged"','c')`).run();
  return db;
}

const tables = (db: Database.Database) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);

describe('migration 011: drop the snapshot', () => {
  it('moves the chart state onto the dialogue, keeps every row, drops the table', () => {
    const db = oldDb();
    migrate(db, MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const store = new DialogueStore(db);
    expect(store.getDialogue('d1')).toEqual({ id: 'd1', title: 't', question: 'q', status: 'converged', dir: 'dialogues/d1', settings_json: '{"a":1}', pool_json: '{"b":2}', created_at: 'a', updated_at: 'b', chart_state: 'converged' });
    expect(store.getDialogue('d2')).toMatchObject({ status: 'open', settings_json: '{"a":1}', chart_state: null });
    expect([rowCount(db, 'rounds'), rowCount(db, 'experts'), rowCount(db, 'constraints')]).toEqual([1, 1, 1]);
    expect(tables(db)).not.toContain('snapshots');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('a new database has no snapshots table, and the chart state is written on the dialogue only', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    expect(tables(db)).not.toContain('snapshots');
    const store = new DialogueStore(db);
    store.insertDialogue({ id: 'd', title: 't', question: 'q', status: 'open', dir: 'x', settings_json: '{}', pool_json: '{}', created_at: 'a', updated_at: 'a' });
    store.setChartState('d', 'running.round.asking');
    expect(store.getDialogue('d')).toMatchObject({ chart_state: 'running.round.asking', updated_at: 'a' });
  });
});
