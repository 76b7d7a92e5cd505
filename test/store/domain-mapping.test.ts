/**
 * The store's boundary: what it returns is core's domain (camelCase, booleans), what it is given
 * round-trips through the rows, and a tension's state comes from its events, never from the
 * stored status columns.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Expert, Perspective, JudgedRound, TensionRecord } from '../../src/core/index.ts';
import { createFakeProvider } from '../../src/llm/fake.ts';
import { ENGINE_LOAD, loadDialogue, startDialogue } from '../../src/orchestrator/index.ts';
import { migrate } from '../../src/store/db.ts';
import { DialogueStore } from '../../src/store/index.ts';
// @ts-expect-error the row types of the domain's tables are private to src/store
import type { TensionDbRow } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { benchResponder } from '../../bench/responder.ts';
import { engine, makePool, settings } from '../orchestrator/helpers.ts';

/** A store on an in-memory database, and that database's handle for tampering behind the store's back. */
function opened(): { s: DialogueStore; db: Database.Database } {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS);
  db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES ('d','t','q','open','x','{}','{}','a','a')`).run();
  return { s: new DialogueStore(db), db };
}

const EXPERT: Expert = { dialogueId: 'd', name: 'muffin', display: 'Muffin', role: 'Queues', tier: 'Core', relevance: 0.9, focus: null, firstRound: 0 };
const PERSPECTIVE: Perspective = {
  dialogueId: 'd',
  id: 'P0002',
  round: 0,
  seq: 2,
  expert: 'muffin',
  localId: 'P01',
  label: 'Per-tenant queues',
  normLabel: 'per tenant queues',
  content: 'Isolate noisy tenants.',
  refines: null,
  duplicateOf: 'P0001',
  mergeReason: 'same-label',
  isNew: false,
};
const TENSION: TensionRecord = { dialogueId: 'd', id: 'T0001', round: 0, seq: 1, raisedBy: 'muffin', localId: 'T01', label: 'Ordering', content: 'Ordering across tenants.' };

describe('store boundary: domain in, domain out', () => {
  it('an expert, a perspective and a round round-trip through their rows unchanged', () => {
    const { s } = opened();
    s.upsertExpert(EXPERT);
    s.insertRound('d', 0, '2026-01-01T00:00:00.000Z');
    s.insertPerspective({ ...PERSPECTIVE, id: 'P0001', seq: 1, localId: null, duplicateOf: null, mergeReason: null, isNew: true });
    s.insertPerspective(PERSPECTIVE);
    const metrics: JudgedRound = {
      dialogueId: 'd',
      round: 0,
      panelSize: 3,
      openTensions: 1,
      newPerspectives: 1,
      convergeSignals: 2,
      convergePercent: 66,
      velocity: 2,
      wisdom: 1,
      consistency: 2,
      truth: 3,
      relationships: 4,
      score: 10,
      synthesisJson: '{"decision":"continue"}',
      judgedAt: '2026-01-01T00:01:00.000Z',
    };
    s.saveRoundMetrics(metrics);
    expect(s.experts('d')).toEqual([EXPERT]);
    expect(s.perspectives('d')[1]).toEqual(PERSPECTIVE);
    expect(s.perspectives('d').map((p) => p.isNew)).toEqual([true, false]);
    expect(s.getRound('d', 0)).toEqual({ ...metrics, status: 'judged', startedAt: '2026-01-01T00:00:00.000Z', cacheNote: null });
    expect(s.rounds('d')).toEqual([s.getRound('d', 0)]);
  });

  it("a tension's state is its events': the stored status columns are not read", () => {
    const { s, db } = opened();
    s.insertTension(TENSION);
    expect(s.tensions('d')).toEqual([{ ...TENSION, status: 'open', closedRound: null, resolution: null }]);
    // A stale column (another writer, an old version) does not change what is read.
    db.prepare("UPDATE tensions SET status = 'resolved', closed_round = 0, resolution = 'stale' WHERE id = 'T0001'").run();
    expect(s.tensions('d')[0]).toMatchObject({ status: 'open', closedRound: null, resolution: null });
    s.addTensionEvent('d', 'T0001', 1, 'cupcake', 'deferred', 'later');
    expect(s.tensions('d')[0]).toMatchObject({ status: 'deferred', closedRound: 1, resolution: 'later' });
    s.addTensionEvent('d', 'T0001', 2, 'scone', 'reopened', 'not yet');
    expect(s.tensions('d')[0]).toMatchObject({ status: 'reopened', closedRound: null, resolution: null });
    expect(s.tensionEvents('d').map((e) => [e.tensionId, e.round, e.event])).toEqual([
      ['T0001', 1, 'deferred'],
      ['T0001', 2, 'reopened'],
    ]);
  });

  it('a whole dialogue reads back with no snake_case field, from the store and from the engine load', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(5) }));
    const result = await startDialogue(deps, { question: 'Per-tenant queues?', pool: makePool(4), constraints: [], sources: [] }, settings({ panelSize: 4, maxRounds: 3, minRounds: 2 }));
    const data = loadDialogue(deps.store, result.id, ENGINE_LOAD);
    const read = {
      rounds: deps.store.rounds(result.id),
      experts: deps.store.experts(result.id),
      perspectives: deps.store.perspectives(result.id),
      tensions: deps.store.tensions(result.id),
      events: deps.store.tensionEvents(result.id),
    };
    for (const [table, rows] of Object.entries(read)) {
      expect(rows.length, table).toBeGreaterThan(0);
      expect(rows.flatMap((r) => Object.keys(r)).filter((k) => k.includes('_')), table).toEqual([]);
    }
    expect(data.rounds).toEqual(read.rounds);
    expect([...data.experts.values()]).toEqual(read.experts);
    expect(data.perspectives).toEqual(read.perspectives);
    expect(data.tensions).toEqual(read.tensions);
    expect(data.events).toEqual(read.events);
  });
});

/** Keeps the import above used: it exists only to be refused. */
export type Refused = TensionDbRow;
