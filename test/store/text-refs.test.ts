/**
 * Derived text stored once (migration 012): an integer dialogue key in the registration tables,
 * and texts that quote their answer stored as (prefix, span); everything reads back byte for byte.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.ts';
import { DialogueStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { toRound } from '../../src/store/mappers.ts';
import { splitSpan } from '../../src/store/spans.ts';
import { cutSynthesis } from '../../src/store/synthesis-parts.ts';
import { cutJsonHead } from '../../src/store/text-parts.ts';
import { memoryDbAt } from '../helpers/migrated-db.ts';

const PANEL = { panelEvolution: { retain: [{ expert: 'Éclair🧁', reason: 'rotation none: fixed panel' }], rotateOut: [], add: [] }, nextPanel: [{ name: 'Éclair🧁', role: 'Staff Engineer', tier: 'Core' }] };
const synthesis = (round: number) => JSON.stringify({ decision: 'continue', keyQuestion: `which tension first in round ${round}? 🍩`, ...PANEL, notes: [`note ${round}`] });

const ID = '2026-02-06T1839Z-should-the-job-scheduler-move-from-a-single-postgres-backed';
// Astral characters before and inside the spans: SQLite's substr counts code points, JS UTF-16 units.
const ANSWERS: Record<string, string> = {
  '0 muffin': '[PERSPECTIVE P01: queues per tenant 🧁]\nA queue per tenant keeps one noisy tenant from starving the rest 🥐 of the fleet.\n\n[TENSION T01: ordering across tenants]\nGlobal ordering is lost once queues split; some reports rely on it.\n---\n',
  '0 cupcake': '[PERSPECTIVE P01: one queue, fair scheduling]\nWeighted fair queueing on one table gives the same isolation without a migration.\n---\n',
  '1 cupcake': '[RESOLVED T0001: reports sort by event time]\nThe reports already sort by the event timestamp, so nothing depends on queue order. 🍩 Checked in the code.\n---\n',
};
const PERSPECTIVE = 'A queue per tenant keeps one noisy tenant from starving the rest 🥐 of the fleet.';
const TENSION = 'Global ordering is lost once queues split; some reports rely on it.';
const BODY = 'The reports already sort by the event timestamp, so nothing depends on queue order. 🍩 Checked in the code.';
const RESOLUTION = `reports sort by event time — ${BODY}`;
const tally = (expert: string) => JSON.stringify({ expert, answered: true, newPerspectives: 2, duplicatePerspectives: 0, tensionsRaised: 1, refinements: 0, concessions: 0, resolutions: 1, converged: false, note: 'ünï🧁' });
const RUBRIC = tally('cupcake');

/** A database at `version` with one dialogue, rounds 0–1, two experts and their answers. */
function dbAt(version: number): Database.Database {
  const db = memoryDbAt(version);
  db.prepare(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at) VALUES (?,'t','q','open','x','{}','{}','a','a')`).run(ID);
  for (const name of ['muffin', 'cupcake']) db.prepare(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,first_round) VALUES (?,?,?,'Role','Core',0.9,0)`).run(ID, name, name);
  for (const round of [0, 1]) {
    db.prepare(`INSERT INTO rounds (dialogue_id,round,status,panel_size,started_at) VALUES (?,?,'running',2,'a')`).run(ID, round);
    ['muffin', 'cupcake'].forEach((name, seat) => {
      db.prepare(`INSERT INTO panel (dialogue_id,round,expert,seat,source) VALUES (?,?,?,?,'pool')`).run(ID, round, name, seat);
      const text = ANSWERS[`${round} ${name}`];
      db.prepare(`INSERT INTO responses (dialogue_id,round,expert,status,text,prompt,created_at) VALUES (?,?,?,?,?,'',?)`).run(ID, round, name, text ? 'ok' : 'absent', text ?? '', 'a');
    });
  }
  return db;
}

/** The rows of migration 011's layout (text columns copied in full), as the store wrote them. */
function oldRows(db: Database.Database): void {
  const ins = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
  ins(`INSERT INTO perspectives (dialogue_id,id,round,seq,expert,local_id,label,norm_label,content,is_new) VALUES (?,'P0001',0,1,'muffin','P01','queues per tenant 🧁','queues per tenant',?,1)`, ID, PERSPECTIVE);
  ins(`INSERT INTO perspectives (dialogue_id,id,round,seq,expert,local_id,label,norm_label,content,duplicate_of,merge_reason,is_new) VALUES (?,'P0002',0,2,'cupcake','P01','one queue','one queue','not quoted from any answer','P0001','same-label',0)`, ID);
  ins(`INSERT INTO perspective_contributors (dialogue_id,perspective_id,expert,round) VALUES (?,'P0001','muffin',0),(?,'P0001','cupcake',0)`, ID, ID);
  ins(`INSERT INTO tensions (dialogue_id,id,round,seq,raised_by,local_id,label,content,status,closed_round,resolution) VALUES (?,'T0001',0,1,'muffin','T01','ordering across tenants',?,'resolved',1,?)`, ID, TENSION, RESOLUTION);
  ins(`INSERT INTO tension_events (dialogue_id,tension_id,round,expert,event,text) VALUES (?,'T0001',0,'muffin','raised','ordering across tenants'),(?,'T0001',1,'cupcake','resolved',?)`, ID, ID, RESOLUTION);
  ins(`INSERT INTO plan_events (dialogue_id,round,kind,rule,expert,subject,line,col,detail) VALUES (?,0,'register','marker','muffin','P0001',1,1,?),(?,1,'resolve','resolved-marker','cupcake','T0001',1,1,?),(?,1,'score','rubric','cupcake',NULL,NULL,NULL,?)`, ID, PERSPECTIVE, ID, RESOLUTION, ID, RUBRIC);
  ins(`INSERT INTO scores (dialogue_id,round,expert,wisdom,consistency,truth,relationships,total,rubric_json,judge_json) VALUES (?,1,'cupcake',1,2,3,4,10,?,'{"j":1}'),(?,1,'muffin',0,0,0,0,0,'{"own":true}',NULL)`, ID, RUBRIC, ID);
  ins(`INSERT INTO judge_proposals (dialogue_id,round,kind,payload,rationale,applied) VALUES (?,1,'adjustment','{"j":1}','why',1)`, ID);
  ins(`INSERT INTO llm_calls (dialogue_id,round,expert,purpose,provider,model,outcome,created_at,cost_usd) VALUES (?,1,'cupcake','expert','fake','m','ok','a',0.25),(NULL,NULL,NULL,'judge','fake','m','ok','a',1)`, ID);
}

/** Every text the store reads, in order. */
function readAll(store: DialogueStore): unknown {
  return { perspectives: store.perspectives(ID), contributors: store.contributors(ID), tensions: store.tensions(ID), events: store.tensionEvents(ID), plan: store.planEvents(ID), scores: store.scores(ID), rows: store.roundRowsFrom(ID, 0) };
}

describe('splitSpan', () => {
  it('finds the longest quoted tail after a literal prefix, in code points', () => {
    const answer = ANSWERS['1 cupcake']!;
    const s = splitSpan(answer, RESOLUTION);
    expect(s.prefix).toBe('reports sort by event time — ');
    expect([...answer].slice(s.span!.at, s.span!.at + s.span!.len).join('')).toBe(BODY);
    expect(splitSpan(answer, 'nowhere in the answer at all')).toEqual({ prefix: 'nowhere in the answer at all', span: null });
    expect(splitSpan(answer, 'short')).toEqual({ prefix: 'short', span: null });
    expect(splitSpan(undefined, BODY)).toEqual({ prefix: BODY, span: null });
  });

  it('never splits a surrogate pair between prefix and span', () => {
    const s = splitSpan('x 🍩 tail of the text', '🍩 tail of the text'.replace('🍩', '🥐'));
    expect(s.prefix.endsWith('\ud83e')).toBe(false);
    expect(s.prefix + [...'x 🍩 tail of the text'].slice(s.span!.at, s.span!.at + s.span!.len).join('')).toBe('🥐 tail of the text');
  });
});

describe('cutJsonHead', () => {
  it('keeps the first member of a JSON object and cuts the rest, which repeats across experts', () => {
    expect(cutJsonHead(tally('muffin'))).toEqual({ head: '{"expert":"muffin",', tail: tally('cupcake').slice('{"expert":"cupcake",'.length) });
    expect(cutJsonHead(tally('muffin'))!.tail).toBe(cutJsonHead(tally('cupcake'))!.tail);
    expect(cutJsonHead('{"a":1}')).toBeNull();
    expect(cutJsonHead(`not json ${'x'.repeat(200)}`)).toBeNull();
    expect(cutJsonHead(JSON.stringify(JSON.parse(tally('muffin')), null, 1))).toBeNull();
  });
});

describe('cutSynthesis', () => {
  it('cuts the panel members as JSON.stringify wrote them, and rebuilds the text exactly', () => {
    const json = synthesis(3);
    const cut = cutSynthesis(json)!;
    expect(cut.text).toBe(`"panelEvolution":${JSON.stringify(PANEL.panelEvolution)},"nextPanel":${JSON.stringify(PANEL.nextPanel)}`);
    expect(cutSynthesis(synthesis(4))!.hash).toBe(cut.hash);
    const points = [...cut.rest];
    expect([...points.slice(0, cut.at), cut.text, ...points.slice(cut.at)].join('')).toBe(json);
    expect(cutSynthesis('{"decision":"continue"}')).toBeNull();
    expect(cutSynthesis('not json')).toBeNull();
    // Spaced JSON (not written by JSON.stringify) is left whole rather than cut wrong.
    expect(cutSynthesis(JSON.stringify(JSON.parse(json), null, 1))).toBeNull();
  });
});

describe('text references (migration 012)', () => {
  it('moves an old-layout database: every text reads back byte-identical, stored as spans under the integer key', () => {
    const db = dbAt(11);
    oldRows(db);
    db.prepare('UPDATE rounds SET synthesis_json = ? WHERE round = 0').run(synthesis(0));
    db.prepare('UPDATE rounds SET synthesis_json = ? WHERE round = 1').run('{"decision":"converge"}');
    // What the store read before, straight from the old columns.
    const before = {
      perspectives: db.prepare('SELECT content FROM perspectives ORDER BY round, seq').pluck().all(),
      tensions: db.prepare('SELECT content, resolution FROM tensions').all(),
      events: db.prepare('SELECT seq, text FROM tension_events ORDER BY seq').all(),
      plan: db.prepare('SELECT detail FROM plan_events ORDER BY seq').pluck().all(),
      contributors: db.prepare('SELECT perspective_id, expert FROM perspective_contributors ORDER BY rowid').all(),
      scores: db.prepare('SELECT dialogue_id, round, expert, wisdom, consistency, truth, relationships, total, rubric_json, judge_json FROM scores ORDER BY round, rowid').all(),
      calls: db.prepare('SELECT * FROM llm_calls WHERE dialogue_id = ? ORDER BY seq').all(ID),
      rounds: (db.prepare('SELECT * FROM rounds ORDER BY round').all() as Parameters<typeof toRound>[0][]).map(toRound),
      panel: db.prepare('SELECT * FROM panel ORDER BY round, seat').all(),
    };
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    const store = new DialogueStore(db);
    expect(store.perspectives(ID).map((p) => p.content)).toEqual(before.perspectives);
    expect(store.tensions(ID).map((t) => ({ content: t.content, resolution: t.resolution }))).toEqual(before.tensions);
    expect(store.tensionEvents(ID).map((e) => ({ seq: e.seq, text: e.text }))).toEqual(before.events);
    expect(store.planEvents(ID).map((e) => e.detail)).toEqual(before.plan);
    expect(store.contributors(ID).map(({ perspective_id, expert }) => ({ perspective_id, expert }))).toEqual(before.contributors);
    expect(store.perspectives(ID)[0]).toMatchObject({ dialogueId: ID, id: 'P0001', isNew: true });
    expect(store.scores(ID)).toEqual(before.scores);
    expect(store.llmCalls(ID)).toEqual(before.calls);
    expect(store.spentUsd(ID)).toBe(0.25);
    expect(store.rounds(ID)).toEqual(before.rounds);
    expect([...store.panel(ID, 0), ...store.panel(ID, 1)]).toEqual(before.panel);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'panel'").pluck().get()).toMatch(/WITHOUT ROWID/);
    expect(db.prepare('SELECT synthesis_json IS NULL AS cut, synthesis_part IS NOT NULL AS part FROM rounds ORDER BY round').all()).toEqual([{ cut: 1, part: 1 }, { cut: 0, part: 0 }]);
    expect(db.prepare('SELECT rubric_json, judge_json, judge_ref FROM scores ORDER BY rowid').all()).toEqual([{ rubric_json: null, judge_json: null, judge_ref: 1 }, { rubric_json: '{"own":true}', judge_json: null, judge_ref: null }]);
    expect(db.prepare('SELECT norm_label FROM perspectives ORDER BY seq').pluck().all()).toEqual(['queues per tenant', null]);
    expect(db.prepare('SELECT COUNT(*) FROM llm_calls WHERE d IS NULL').pluck().get()).toBe(1);
    // Stored as references (39: code points after the marker line, 40 UTF-16 units); the long id is not repeated.
    expect(db.prepare('SELECT content, content_at FROM perspectives ORDER BY seq').all()).toEqual([{ content: null, content_at: 39 }, { content: 'not quoted from any answer', content_at: null }]);
    expect(db.prepare('SELECT resolution, resolution_by FROM tensions').get()).toEqual({ resolution: 'reports sort by event time — ', resolution_by: 'cupcake' });
    expect(db.prepare("SELECT COUNT(*) FROM plan_events WHERE detail_at IS NOT NULL").pluck().get()).toBe(2);
    expect(db.prepare("SELECT detail, detail_at, detail_part IS NOT NULL AS part FROM plan_events WHERE kind = 'score'").get()).toEqual({ detail: '{"expert":"cupcake",', detail_at: null, part: 1 });
    expect(db.prepare('SELECT DISTINCT typeof(d) FROM plan_events').pluck().all()).toEqual(['integer']);
    // Deleting the dialogue still takes every row with it.
    db.prepare('DELETE FROM dialogues WHERE id = ?').run(ID);
    for (const t of ['perspectives', 'perspective_contributors', 'tensions', 'tension_events', 'plan_events', 'scores', 'judge_proposals', 'dialogue_keys']) expect(db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()).toBe(0);
    db.close();
  });

  it('writes through the store read back exactly as written, and re-judging keeps the resolution', () => {
    const db = dbAt(99);
    const store = new DialogueStore(db);
    store.insertPerspective({ dialogueId: ID, id: 'P0001', round: 0, seq: 1, expert: 'muffin', localId: 'P01', label: 'queues per tenant 🧁', normLabel: 'queues per tenant', content: PERSPECTIVE, refines: null, duplicateOf: null, mergeReason: null, isNew: true });
    store.insertTension({ dialogueId: ID, id: 'T0001', round: 0, seq: 1, raisedBy: 'muffin', localId: 'T01', label: 'ordering across tenants', content: TENSION });
    store.addTensionEvent(ID, 'T0001', 0, 'muffin', 'raised', 'ordering across tenants');
    store.addTensionEvent(ID, 'T0001', 1, 'cupcake', 'resolved', RESOLUTION);
    store.insertPlanEvent(ID, { round: 1, kind: 'resolve', rule: 'resolved-marker', expert: 'cupcake', subject: 'T0001', target: null, line: 1, col: 1, similarity: null, threshold: null, detail: RESOLUTION });
    store.insertPlanEvent(ID, { round: 1, kind: 'score', rule: 'rubric', expert: 'facilitator', subject: null, target: null, line: null, col: null, similarity: null, threshold: null, detail: '' });
    store.rebuildTensionStatuses(ID);
    store.insertPlanEvent(ID, { round: 1, kind: 'score', rule: 'rubric', expert: 'cupcake', subject: null, target: null, line: null, col: null, similarity: null, threshold: null, detail: RUBRIC });
    store.insertJudgeProposal(ID, 1, 'adjustment', { expert: 'Cupcake', wisdom: 1 }, 'named it first', true);
    store.insertScore(ID, { round: 1, expert: 'cupcake', wisdom: 1, consistency: 0, truth: 0, relationships: 0, total: 1, rubric_json: RUBRIC, judge_json: '{"expert":"Cupcake","wisdom":1}' });
    store.insertScore(ID, { round: 1, expert: 'muffin', wisdom: 0, consistency: 0, truth: 0, relationships: 0, total: 0, rubric_json: '{"other":1}', judge_json: '{"not":"proposed"}' });
    expect(store.scores(ID).map((x) => [x.rubric_json, x.judge_json])).toEqual([[RUBRIC, '{"expert":"Cupcake","wisdom":1}'], ['{"other":1}', '{"not":"proposed"}']]);
    expect(db.prepare('SELECT rubric_json, judge_json, judge_ref FROM scores ORDER BY rowid').all()).toEqual([{ rubric_json: null, judge_json: null, judge_ref: 1 }, { rubric_json: '{"other":1}', judge_json: '{"not":"proposed"}', judge_ref: null }]);
    expect(store.perspectives(ID)[0]!.content).toBe(PERSPECTIVE);
    expect(store.tensions(ID)[0]).toMatchObject({ dialogueId: ID, content: TENSION, status: 'resolved', closedRound: 1, resolution: RESOLUTION });
    expect(store.tensionEvents(ID).map((e) => e.text)).toEqual(['ordering across tenants', RESOLUTION]);
    expect(store.planEvents(ID).map((e) => e.detail)).toEqual([RESOLUTION, '', RUBRIC]);
    expect(db.prepare('SELECT content FROM perspectives').pluck().get()).toBeNull();
    expect(db.prepare('SELECT resolution_at FROM tensions').pluck().get()).toBe(db.prepare("SELECT text_at FROM tension_events WHERE event = 'resolved'").pluck().get());
    const metrics = { dialogueId: ID, panelSize: 2, openTensions: 0, newPerspectives: 1, convergeSignals: 0, convergePercent: 0, velocity: 1, wisdom: 0, consistency: 0, truth: 0, relationships: 0, score: 0, judgedAt: 'b' };
    store.saveRoundMetrics({ ...metrics, round: 0, synthesisJson: synthesis(0) });
    store.saveRoundMetrics({ ...metrics, round: 1, synthesisJson: synthesis(1) });
    expect(store.rounds(ID).map((r) => r.synthesisJson)).toEqual([synthesis(0), synthesis(1)]);
    expect(store.getRound(ID, 1)!.synthesisJson).toBe(synthesis(1));
    expect(db.prepare('SELECT COUNT(DISTINCT synthesis_part) FROM rounds').pluck().get()).toBe(1);
    // A raw write of the whole JSON (as a repair would do) wins over the stored cut.
    db.prepare('UPDATE rounds SET synthesis_json = ? WHERE dialogue_id = ? AND round = 1').run('{"decision":"continue"}', ID);
    expect(store.getRound(ID, 1)!.synthesisJson).toBe('{"decision":"continue"}');
    const snapshot = readAll(store);
    store.clearRegistration(ID, 1);
    expect(store.tensions(ID)[0]).toMatchObject({ status: 'open', closedRound: null, resolution: null });
    expect(db.prepare('SELECT resolution_by, resolution_at FROM tensions').get()).toEqual({ resolution_by: null, resolution_at: null });
    store.addTensionEvent(ID, 'T0001', 1, 'cupcake', 'resolved', RESOLUTION);
    store.insertPlanEvent(ID, { round: 1, kind: 'resolve', rule: 'resolved-marker', expert: 'cupcake', subject: 'T0001', target: null, line: 1, col: 1, similarity: null, threshold: null, detail: RESOLUTION });
    store.insertPlanEvent(ID, { round: 1, kind: 'score', rule: 'rubric', expert: 'facilitator', subject: null, target: null, line: null, col: null, similarity: null, threshold: null, detail: '' });
    store.insertPlanEvent(ID, { round: 1, kind: 'score', rule: 'rubric', expert: 'cupcake', subject: null, target: null, line: null, col: null, similarity: null, threshold: null, detail: RUBRIC });
    store.insertJudgeProposal(ID, 1, 'adjustment', { expert: 'Cupcake', wisdom: 1 }, 'named it first', true);
    store.insertScore(ID, { round: 1, expert: 'cupcake', wisdom: 1, consistency: 0, truth: 0, relationships: 0, total: 1, rubric_json: RUBRIC, judge_json: '{"expert":"Cupcake","wisdom":1}' });
    store.insertScore(ID, { round: 1, expert: 'muffin', wisdom: 0, consistency: 0, truth: 0, relationships: 0, total: 0, rubric_json: '{"other":1}', judge_json: '{"not":"proposed"}' });
    store.rebuildTensionStatuses(ID);
    const again = readAll(store) as { events: { seq: number }[] };
    expect({ ...again, events: again.events.map((e) => ({ ...e, seq: 0 })), rows: undefined }).toEqual({
      ...(snapshot as object),
      events: (snapshot as { events: { seq: number }[] }).events.map((e) => ({ ...e, seq: 0 })),
      rows: undefined,
    });
    store.insertPlanEvent(ID, { round: 0, kind: 'score', rule: 'rubric', expert: 'muffin', subject: null, target: null, line: null, col: null, similarity: null, threshold: null, detail: tally('muffin') });
    expect(store.planEvents(ID, 0).map((e) => e.detail)).toEqual([tally('muffin')]);
    // Both tallies share one stored tail.
    expect(db.prepare('SELECT COUNT(*) FROM text_parts').pluck().get()).toBe(1);
    db.close();
  });
});
