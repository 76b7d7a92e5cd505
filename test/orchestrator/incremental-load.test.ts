/** The engine's incremental loads: what a round re-reads, and that the result is a full read's. */
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/fake.ts';
import { ENGINE_LOAD, type DialogueData, loadDialogue, startDialogue } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { benchResponder } from '../../bench/responder.ts';
import { engine, makePool, settings } from './helpers.ts';

const input = { question: 'Should the queue be per tenant?', pool: makePool(4), constraints: [], sources: [] };

/** A load through a new connection: nothing cached, every row read. */
function fullRead(root: string, id: string): { data: DialogueData; stored: DialogueStore } {
  const stored = new DialogueStore(openDatabase(root));
  return { data: loadDialogue(stored, id, ENGINE_LOAD), stored };
}

describe('incremental engine loads', () => {
  it('after every round equal a full read, and tension statuses equal the stored columns', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(11) }));
    const checked: number[] = [];
    let tensionsSeen = 0;
    deps.onEvent = (e) => {
      if (e.type !== 'round-end') return;
      const id = deps.store.listDialogues()[0]!.id;
      const incremental = loadDialogue(deps.store, id, ENGINE_LOAD);
      const { data, stored } = fullRead(deps.root, id);
      expect(incremental).toEqual(data);
      expect(incremental.tensions).toEqual(stored.tensions(id));
      tensionsSeen = Math.max(tensionsSeen, incremental.tensions.filter((t) => t.status !== 'open').length);
      stored.close();
      checked.push(e.round);
    };
    const result = await startDialogue(deps, input, settings({ panelSize: 4, minRounds: 2, maxRounds: 6 }));
    expect(checked.length).toBe(result.rounds);
    expect(checked.length).toBeGreaterThanOrEqual(3);
    // The responder closes tensions: the derived statuses were exercised, not only `open`.
    expect(tensionsSeen).toBeGreaterThan(0);
  });

  it('re-reads only the rounds written since the last load, and everything after a write the store did not make', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(5) }));
    const result = await startDialogue(deps, input, settings({ panelSize: 4, minRounds: 2, maxRounds: 3 }));
    const reads: unknown[] = [];
    const original = deps.store.roundRowsFrom.bind(deps.store);
    deps.store.roundRowsFrom = (id, from, opts) => (reads.push(from), original(id, from, opts));
    loadDialogue(deps.store, result.id, ENGINE_LOAD);
    expect(reads).toEqual([{}]);
    deps.store.insertSignal(result.id, { round: 2, expert: 'muffin', kind: 'dissent', text: 'late' });
    const after = loadDialogue(deps.store, result.id, ENGINE_LOAD);
    // Only the table written, from the round written: the stored answers are not read again.
    expect(reads).toEqual([{}, { signals: 2 }]);
    expect(after.signals.filter((s) => s.text === 'late')).toHaveLength(1);
    // A write on this connection that the store's methods did not make (the document index's): nothing cached is trusted.
    deps.store.documentIndex().replaceAll([{ file: 'rfcs/0001-x.draft.md', type: 'rfc', number: 1, slug: 'x', title: 'X', status: 'draft', headerStatus: null, date: null }], [], '2026-11-21T10:00:00Z');
    const again = loadDialogue(deps.store, result.id, ENGINE_LOAD);
    expect(reads).toEqual([{}, { signals: 2 }, 0]);
    expect(again).toEqual(after);
  });

  it('sees a commit by another connection', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(5) }));
    const result = await startDialogue(deps, input, settings({ panelSize: 4, minRounds: 2, maxRounds: 2 }));
    loadDialogue(deps.store, result.id, ENGINE_LOAD);
    const other = new DialogueStore(openDatabase(deps.root));
    other.insertSignal(result.id, { round: 0, expert: 'muffin', kind: 'dissent', text: 'from elsewhere' });
    other.close();
    expect(loadDialogue(deps.store, result.id, ENGINE_LOAD).signals.some((s) => s.text === 'from elsewhere')).toBe(true);
  });
});

describe('lease heartbeats', () => {
  it('do not make the next load read everything again', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(5) }));
    const result = await startDialogue(deps, input, settings({ panelSize: 4, minRounds: 2, maxRounds: 2 }));
    loadDialogue(deps.store, result.id, ENGINE_LOAD);
    const holder = { token: 't', pid: 1, hostname: 'h' };
    deps.store.acquireLease(result.id, holder, new Date('2026-11-21T10:00:00Z'), { staleMs: 60_000, isAlive: () => true });
    expect(deps.store.refreshLease(result.id, 't', new Date('2026-11-21T10:00:10Z'))).toBe(true);
    deps.store.releaseLease(result.id, 't');
    expect(deps.store.changedFrom(result.id)).toEqual({});
  });
});
