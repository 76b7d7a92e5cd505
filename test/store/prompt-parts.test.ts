/** Prompts stored once: a round's shared prefix is one `prompt_parts` row, every prompt reads back exactly. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildExpertPrompt, type RoundContext } from '../../src/experts/prompt.ts';
import { migrate, sha256Hex } from '../../src/store/db.ts';
import { DialogueStore, type ResponseRow } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { memoryDbAt } from '../helpers/migrated-db.ts';

const CTX: RoundContext = {
  question: 'Should the queue be per tenant? 🧁 ünïcode before the prefix ends',
  constraints: ['keep ordering per tenant'],
  sources: [],
  round: 0,
  maxRounds: 5,
  previousSummary: null,
  openTensions: [],
  perspectives: [],
  peerResponses: [],
};
// An astral character before the shared part: SQLite counts code points, JS UTF-16 units.
const EXPERTS = ['Muffin', 'Cupcake', 'Éclair🧁'];

function dbAt(version: number): Database.Database {
  const db = memoryDbAt(version);
  db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES ('d','t','q','open','x','{}','{}','a','a')`).run();
  db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES ('d',0,'running',3,'a')`).run();
  EXPERTS.forEach((name, seat) => {
    db.prepare(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,first_round) VALUES ('d',?,?,'Role','Core',0.9,0)`).run(name.toLowerCase(), name);
    db.prepare(`INSERT INTO panel (dialogue_id,round,expert,seat,source) VALUES ('d',0,?,?,'pool')`).run(name.toLowerCase(), seat);
  });
  return db;
}

const prompts = () => EXPERTS.map((name) => buildExpertPrompt(CTX, { member: { name, role: 'Role', tier: 'Core', relevance: 0.9, source: 'pool' }, isNewcomer: false, ownOpenTensions: [] }));
/** A prompt as rendered before the two-breakpoint layout: what rows stored before migration 007 hold. */
const oldLayout = (p: ReturnType<typeof prompts>[number], name: string): string =>
  [`# Prompt: ${name}, round 0`, '', '<!-- system[0]: shared prefix, identical for every expert this round (cached) -->', '', p.shared, '', '<!-- system[1]: persona -->', '', p.system[2]!.text.trimEnd(), '', '<!-- messages[0]: user -->', '', p.messages[0]!.content.trimEnd(), ''].join('\n');
const row = (expert: string, prompt: string): ResponseRow => ({ dialogue_id: 'd', round: 0, expert, status: 'ok', text: 'answer', prompt, absent_reason: null, created_at: 'a' });

describe('prompt parts (migration 007)', () => {
  it('stores the shared prefix once and reads every prompt back exactly', () => {
    const db = dbAt(99);
    const store = new DialogueStore(db);
    const built = prompts();
    built.forEach((p, i) => store.insertResponse(row(EXPERTS[i]!.toLowerCase(), p.rendered), p.shared));
    expect(db.prepare('SELECT COUNT(*) AS n FROM prompt_parts').get()).toEqual({ n: 1 });
    expect(store.responses('d', 0).map((r) => r.prompt)).toEqual(built.map((p) => p.rendered));
    expect(store.responsePrompt('d', 0, 'éclair🧁')).toBe(built[2]!.rendered);
    expect(store.responses('d', 0, { prompt: false }).map((r) => r.prompt)).toEqual(['', '', '']);
    const own = db.prepare('SELECT SUM(LENGTH(prompt)) AS n FROM responses').get() as { n: number };
    expect(own.n).toBeLessThan(built.reduce((a, p) => a + p.rendered.length - p.shared.length, 0) + 1);
  });

  it('moves rows stored whole before it into one part, prompts unchanged', () => {
    const db = dbAt(5);
    const built = prompts().map((p, i) => ({ ...p, rendered: oldLayout(p, EXPERTS[i]!) }));
    built.forEach((p, i) => db.prepare(`INSERT INTO responses (dialogue_id,round,expert,status,text,prompt,created_at) VALUES ('d',0,?,'ok','answer',?,'a')`).run(EXPERTS[i]!.toLowerCase(), p.rendered));
    db.prepare(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,first_round) VALUES ('d','scone','Scone','Role','Core',0.9,0)`).run();
    db.prepare(`INSERT INTO panel (dialogue_id,round,expert,seat,source) VALUES ('d',0,'scone',3,'pool')`).run();
    db.prepare(`INSERT INTO responses (dialogue_id,round,expert,status,text,prompt,created_at) VALUES ('d',0,'scone','ok','answer','a prompt without the markers','a')`).run();
    expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.at(-1)!.version);
    const store = new DialogueStore(db);
    // One shared part (migration 012 keeps its stable head as a part of its own, which it references).
    expect(db.prepare('SELECT COUNT(*) AS n FROM prompt_parts WHERE hash NOT IN (SELECT head FROM prompt_parts WHERE head IS NOT NULL)').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM prompt_parts WHERE head IS NOT NULL').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM responses WHERE prompt_part IS NOT NULL').get()).toEqual({ n: 3 });
    expect(store.responses('d', 0).map((r) => r.prompt)).toEqual([...built.map((p) => p.rendered), 'a prompt without the markers']);
  });
});

// Round 1 embeds round 0's answers: long enough to be stored as references, astral characters
// before and inside them (SQLite slices by code point), leading space the prompt trims away.
const ANSWERS = EXPERTS.map((name, i) => `  🧁 ${name} answers: ${'the queue keeps per-tenant order; '.repeat(8 + i)}ünï🧁 end.\n`);
const CTX1: RoundContext = { ...CTX, round: 1, peerResponses: EXPERTS.map((expert, i) => ({ expert, text: ANSWERS[i]! })) };
const prompts1 = () => EXPERTS.map((name) => buildExpertPrompt(CTX1, { member: { name, role: 'Role', tier: 'Core', relevance: 0.9, source: 'pool' }, isNewcomer: false, ownOpenTensions: [] }));

function withRound1(db: Database.Database): void {
  db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES ('d',1,'running',3,'a')`).run();
  EXPERTS.forEach((name, seat) => db.prepare(`INSERT INTO panel (dialogue_id,round,expert,seat,source) VALUES ('d',1,?,?,'retained')`).run(name.toLowerCase(), seat));
}

describe('prompt part pieces (migration 008)', () => {
  it('stores the answers a prefix embeds as references, and reads every prompt back exactly', () => {
    const db = dbAt(99);
    withRound1(db);
    const store = new DialogueStore(db);
    const built0 = prompts();
    built0.forEach((p, i) => store.insertResponse({ ...row(EXPERTS[i]!.toLowerCase(), p.rendered), text: ANSWERS[i]! }, p.shared));
    const built1 = prompts1();
    built1.forEach((p, i) => store.insertResponse({ ...row(EXPERTS[i]!.toLowerCase(), p.rendered), round: 1 }, p.shared));
    expect(db.prepare('SELECT COUNT(*) AS n FROM prompt_part_pieces').get()).toEqual({ n: 3 });
    expect(store.responses('d', 1).map((r) => r.prompt)).toEqual(built1.map((p) => p.rendered));
    expect(store.responses('d', 0).map((r) => r.prompt)).toEqual(built0.map((p) => p.rendered));
    const parts = db.prepare('SELECT SUM(LENGTH(text)) + (SELECT SUM(LENGTH(literal)) FROM prompt_part_pieces) AS n FROM prompt_parts').get() as { n: number };
    const answers = ANSWERS.reduce((a, t) => a + t.trim().length, 0);
    expect(parts.n).toBeLessThan(built0[0]!.shared.length + built1[0]!.shared.length - answers + 1);
  });

  it('moves an old-layout database: parts cut into pieces, every prompt byte-identical', () => {
    const db = dbAt(7);
    withRound1(db);
    // Written as 007 stored them: the shared part whole (the pieces table does not exist yet).
    const built0 = prompts();
    const built1 = prompts1();
    const whole = (round: number, p: (typeof built0)[number], i: number, text: string) => {
      const at = p.rendered.indexOf(p.shared);
      const hash = sha256Hex(p.shared);
      db.prepare('INSERT OR IGNORE INTO prompt_parts (hash, text) VALUES (?, ?)').run(hash, p.shared);
      db.prepare(`INSERT INTO responses (dialogue_id,round,expert,status,text,prompt,prompt_part,prompt_at,created_at) VALUES ('d',?,?,'ok',?,?,?,?,'a')`)
        .run(round, EXPERTS[i]!.toLowerCase(), text, p.rendered.slice(0, at) + p.rendered.slice(at + p.shared.length), hash, [...p.rendered.slice(0, at)].length);
    };
    built0.forEach((p, i) => whole(0, p, i, ANSWERS[i]!));
    built1.forEach((p, i) => whole(1, p, i, 'answer'));
    // 007's read: the whole part spliced back at prompt_at.
    const before = (db.prepare('SELECT substr(r.prompt, 1, r.prompt_at) || pp.text || substr(r.prompt, r.prompt_at + 1) AS p FROM responses r JOIN prompt_parts pp ON pp.hash = r.prompt_part ORDER BY r.round, r.rowid').all() as { p: string }[]).map((r) => r.p);
    expect(before).toEqual([...built0, ...built1].map((p) => p.rendered));
    expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.at(-1)!.version);
    const store = new DialogueStore(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM prompt_part_pieces').get()).toEqual({ n: 3 });
    expect([...store.responses('d', 0), ...store.responses('d', 1)].map((r) => r.prompt)).toEqual(before);
    expect(store.responsePrompt('d', 1, 'éclair🧁')).toBe(built1[2]!.rendered);
    // Migration 012: both rounds' parts reference one stored copy of the stable head.
    expect(db.prepare('SELECT COUNT(*) AS parts, COUNT(DISTINCT head) AS heads FROM prompt_parts WHERE head IS NOT NULL').get()).toEqual({ parts: 2, heads: 1 });
  });

  it('stores the stable head once for every round when the caller names it (migration 012)', () => {
    const db = dbAt(99);
    withRound1(db);
    const store = new DialogueStore(db);
    const built0 = prompts();
    const built1 = prompts1();
    built0.forEach((p, i) => store.insertResponse({ ...row(EXPERTS[i]!.toLowerCase(), p.rendered), text: ANSWERS[i]! }, p.shared, p.head));
    built1.forEach((p, i) => store.insertResponse({ ...row(EXPERTS[i]!.toLowerCase(), p.rendered), round: 1 }, p.shared, p.head));
    expect([...store.responses('d', 0), ...store.responses('d', 1)].map((r) => r.prompt)).toEqual([...built0, ...built1].map((p) => p.rendered));
    expect(db.prepare('SELECT COUNT(*) AS parts, COUNT(DISTINCT head) AS heads FROM prompt_parts WHERE head IS NOT NULL').get()).toEqual({ parts: 2, heads: 1 });
    const head = db.prepare('SELECT text FROM prompt_parts WHERE hash = (SELECT head FROM prompt_parts WHERE head IS NOT NULL LIMIT 1)').pluck().get() as string;
    expect(head).toBe(built0[0]!.head);
    expect(built0[0]!.shared.startsWith(head)).toBe(true);
    // Neither round's part repeats it.
    const copies = db.prepare('SELECT COUNT(*) FROM prompt_parts WHERE head IS NOT NULL AND instr(text, ?) > 0').pluck().get(head.slice(0, 200));
    expect(copies).toBe(0);
  });
});
