/** Migration 004 keeps every tension and tension event of an existing database and allows the new statuses. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.ts';
import { DialogueStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

describe('migration 004 (plan)', () => {
  it('rebuilds tensions and tension_events with their rows, then accepts deferred/superseded', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, MIGRATIONS.filter((m) => m.version < 4))).toBe(3);
    db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES ('d','t','q','open','x','{}','{}','a','a')`).run();
    db.prepare(`INSERT INTO tensions (dialogue_id,id,round,seq,raised_by,label,status) VALUES ('d','T0001',0,1,'muffin','Sync','resolved')`).run();
    db.prepare(`INSERT INTO tension_events (dialogue_id,tension_id,round,expert,event,text) VALUES ('d','T0001',0,'muffin','raised','Sync'),('d','T0001',1,'cupcake','resolved','one way')`).run();
    expect(() => db.prepare(`INSERT INTO tension_events (dialogue_id,tension_id,round,expert,event) VALUES ('d','T0001',2,'x','deferred')`).run()).toThrow(/CHECK/);

    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 4))).toBe(4);
    // The store reads the latest layout: later migrations keep these rows too.
    migrate(db);
    const store = new DialogueStore(db);
    expect(store.tensions('d')).toEqual([expect.objectContaining({ id: 'T0001', status: 'resolved', label: 'Sync' })]);
    expect(store.tensionEvents('d').map((e) => `${e.seq}:${e.event}`)).toEqual(['1:raised', '2:resolved']);
    store.addTensionEvent('d', 'T0001', 2, 'scone', 'deferred', 'later');
    store.rebuildTensionStatuses('d');
    expect(store.tensions('d')[0]).toMatchObject({ status: 'deferred', closedRound: 2, resolution: 'later' });
    store.insertPlanEvent('d', { round: 2, kind: 'defer', rule: 'deferred-marker', expert: 'scone', subject: 'T0001', target: null, line: 3, col: 1, similarity: null, threshold: null, detail: 'later' });
    expect(store.planEvents('d', 2)).toEqual([expect.objectContaining({ kind: 'defer', rule: 'deferred-marker', line: 3, col: 1 })]);
    db.close();
  });
});
