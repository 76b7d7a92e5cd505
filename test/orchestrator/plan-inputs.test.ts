/** planInputs: each response's prompt table rows, from the stored prompt (shared part spliced back) or a replay's prompt. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { planInputs } from '../../src/orchestrator/apply-plan.ts';
import { migrate } from '../../src/store/db.ts';
import { DialogueStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

const SHARED = '# Head\n\n| ID | Tension |\n|---|---|\n| T01 | Sync direction |\n| T02 | Conflict resolution |';

function store(): DialogueStore {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS);
  db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES ('d','t','q','open','x','{}','{}','a','a')`).run();
  db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES ('d',0,'running',2,'a')`).run();
  ['muffin', 'scone'].forEach((name, seat) => {
    db.prepare(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,first_round) VALUES ('d',?,?,'Role','Core',0.9,0)`).run(name, name);
    db.prepare(`INSERT INTO panel (dialogue_id,round,expert,seat,source) VALUES ('d',0,?,?,'pool')`).run(name, seat);
  });
  const s = new DialogueStore(db);
  for (const expert of ['muffin', 'scone']) {
    s.insertResponse({ dialogue_id: 'd', round: 0, expert, status: 'ok', text: '[PERSPECTIVE P01: x]\ny', prompt: `# Prompt: ${expert}\n\n${SHARED}\n\n| P01 | own row of ${expert} |\n`, absent_reason: null, created_at: 'a' }, SHARED);
  }
  return s;
}

describe('planInputs', () => {
  it('gives every response the table rows of its whole stored prompt, with their line numbers', () => {
    const inputs = planInputs(store(), 'd', 0);
    expect(inputs.map((i) => i.expert)).toEqual(['muffin', 'scone']);
    expect(inputs[0]!.promptRows.map((r) => `${r.id}:${r.label}:${r.line}`)).toEqual(['T01:Sync direction:7', 'T02:Conflict resolution:8', 'P01:own row of muffin:10']);
    expect(inputs[1]!.promptRows.at(-1)).toMatchObject({ id: 'P01', label: 'own row of scone' });
    expect(inputs[0]!.parsed.markers.length).toBeGreaterThan(0);
  });

  it('takes a replayed prompt over the stored one', () => {
    const inputs = planInputs(store(), 'd', 0, new Map([['scone', '| T09 | replayed only |']]));
    expect(inputs[1]!.promptRows.map((r) => r.id)).toEqual(['T09']);
    expect(inputs[0]!.promptRows).toHaveLength(3);
  });
});
