/**
 * The Dialogue domain type: a `dialogues` row read back with its JSON columns parsed by zod;
 * a corrupted row fails once, as one E_STORED line naming the dialogue and the field.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { main } from '../../src/cli/main.ts';
import { StoredDataError } from '../../src/core/index.ts';
import { createFakeProvider } from '../../src/llm/index.ts';
import { type DialogueSettings, dialogueSettingsSchema, dialogueStatus, findDialogue, loadDialogue, resumeDialogue, startDialogue } from '../../src/orchestrator/index.ts';
import { withWorkspaceDb } from '../helpers/workspace-db.ts';
import { captureContext, thrownAs } from '../support.ts';
import { engine, makePool, settings } from './helpers.ts';

const provider = createFakeProvider({ respond: (req) => `[PERSPECTIVE P01: ${req.meta.expert} view]\nA view.\n---` });
const sources = [{ path: 'notes/design.md', content: 'Keep the API small.' }];

/** A finished two-round dialogue in a fresh workspace, and its row edited and read on a connection of the test's own. */
async function stored(over: Parameters<typeof settings>[0] = {}) {
  const deps = engine(provider);
  const result = await startDialogue(deps, { question: 'Shall we?', pool: makePool(3), constraints: [], sources }, settings({ maxRounds: 2, ...over }));
  const edit = (column: 'settings_json' | 'pool_json', text: string) => withWorkspaceDb(deps.root, (db) => db.prepare(`UPDATE dialogues SET ${column} = ? WHERE id = ?`).run(text, result.id));
  const raw = (column: 'settings_json' | 'pool_json') => withWorkspaceDb(deps.root, (db) => (db.prepare(`SELECT ${column} AS v FROM dialogues WHERE id = ?`).get(result.id) as { v: string }).v);
  return { deps, id: result.id, edit, raw };
}

const thrown = (fn: () => unknown): StoredDataError => thrownAs(StoredDataError, fn);

describe('Dialogue', () => {
  it('the stored-settings schema names every settings key (a key it missed would be dropped on read)', () => {
    expectTypeOf<keyof z.output<typeof dialogueSettingsSchema>>().toEqualTypeOf<keyof DialogueSettings>();
    expect(Object.keys(dialogueSettingsSchema.shape)).toHaveLength(21);
  });

  it('reads back the settings, sources and pool it was started with, camelCase', async () => {
    const { deps, id } = await stored({ tierModels: { Wildcard: 'openai:llama3.1:8b' }, maxCostUsd: 2.5 });
    const d = findDialogue(deps.store, id);
    expect(d).toMatchObject({ id, question: 'Shall we?', status: 'forced', dir: `dialogues/${id}`, createdAt: '2026-11-21T10:00:00.000Z' });
    expect(d.settings).toEqual(settings({ maxRounds: 2, tierModels: { Wildcard: 'openai:llama3.1:8b' }, maxCostUsd: 2.5 }));
    expect(d.settings).not.toHaveProperty('sources');
    expect(d.sources).toEqual(sources);
    expect(d.pool).toEqual(makePool(3));
    expect(loadDialogue(deps.store, id).dialogue).toEqual(d);
  });

  it('carries the chart state the run stopped in, which status shows', async () => {
    const { deps, id } = await stored();
    expect(findDialogue(deps.store, id).chartState).toBe('forced');
    expect(dialogueStatus(deps.store, id).state).toBe('forced');
  });

  it('keeps the sources when resume stores new settings', async () => {
    const { deps, id, raw } = await stored();
    deps.store.setStatus(id, 'budget_exhausted', '2026-11-21T10:00:00Z');
    await resumeDialogue(deps, id, { maxCostUsd: 9 });
    expect(JSON.parse(raw('settings_json'))).toMatchObject({ maxCostUsd: 9, sources });
    expect(findDialogue(deps.store, id)).toMatchObject({ settings: { maxCostUsd: 9 }, sources });
  });

  it('a stored setting of the wrong type is one E_STORED error naming the dialogue id and field path', async () => {
    const { deps, id, edit, raw } = await stored();
    edit('settings_json', raw('settings_json').replace('"maxRounds":2', '"maxRounds":"two"'));
    const err = thrown(() => findDialogue(deps.store, id));
    expect(err.code).toBe('E_STORED');
    expect(err.where?.field).toBe(`dialogues["${id}"].settings_json.maxRounds`);
    expect(err.oneLine()).toMatch(new RegExp(`^error\\[E_STORED\\] dialogues\\["${id}"\\]\\.settings_json\\.maxRounds: stored value is malformed: .*expected number`));
    expect(err.oneLine()).not.toContain('\n');
  });

  it('a pool row that is not JSON, or has a bad tier, names pool_json and the path', async () => {
    const { deps, id, edit, raw } = await stored();
    const pool = raw('pool_json');
    edit('pool_json', pool.replace('"tier":"Core"', '"tier":"Middle"'));
    expect(thrown(() => findDialogue(deps.store, id)).where?.field).toBe(`dialogues["${id}"].pool_json.experts[0].tier`);
    edit('pool_json', pool.slice(0, 20));
    const err = thrown(() => loadDialogue(deps.store, id));
    expect(err.where?.field).toBe(`dialogues["${id}"].pool_json`);
    expect(err.message).toMatch(/^stored value is malformed: not JSON/);
  });

  it('the CLI prints the corrupted row as one line and exits 2, no stack trace', async () => {
    const { deps, id, edit } = await stored();
    edit('settings_json', '{"pool":"general"}');
    const ctx = captureContext(deps.root);
    const code = await main(['dialogue', 'status', id], ctx);
    expect(code).toBe(2);
    expect(ctx.err()).toMatch(new RegExp(`^error\\[E_STORED\\] dialogues\\["${id}"\\]\\.settings_json\\.\\w+: [^\\n]*\\n$`));
  });
});
