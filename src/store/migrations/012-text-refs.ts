import { type Db, sha256Hex } from '../db.ts';
import { MIN_HEAD, partTextSql } from '../prompt-parts.ts';
import { spanColumns } from '../spans.ts';
import { storeSynthesis } from '../synthesis-parts.ts';
import { cutJsonHead } from '../text-parts.ts';
import type { Migration } from './index.ts';

/**
 * Derived text stored once (issue 10): the long public dialogue id becomes an integer key
 * (`dialogue_keys`, filled by a trigger on `dialogues`) in the registration, score, judge and LLM-call tables, and a
 * perspective's or tension's body, a tension's resolution, an event's text and a plan event's
 * detail that are a span of the answer they came from are stored as (`_at`, `_len`): code points
 * into that answer (the row's round and expert; a resolution's closing round and `resolution_by`);
 * a score's rubric, the same JSON as its round's `score` plan event, is read from that event, and its
 * judge adjustment from the judge proposal with the same payload; a round synthesis's panel members
 * go to \`prompt_parts\` (identical while the panel stays), and so does a prompt part's stable head (identical every round);
 * a JSON plan-event detail (a score's tally) keeps its first member, the rest is a shared \`text_parts\` row; a normalised label equal to its label is not stored twice.
 * The store reads them back with `substr`, so callers see the same text. Existing rows move:
 * rowids and sequence numbers are kept (they are write order).
 */
export const m012TextRefs: Migration = {
  version: 12,
  name: 'text-refs',
  rebuildsTable: true,
  sql: `
CREATE TABLE dialogue_keys (
  key INTEGER PRIMARY KEY,
  id  TEXT NOT NULL UNIQUE REFERENCES dialogues(id) ON DELETE CASCADE
);
INSERT INTO dialogue_keys (id) SELECT id FROM dialogues ORDER BY rowid;
CREATE TRIGGER dialogue_keys_insert AFTER INSERT ON dialogues BEGIN
  INSERT OR IGNORE INTO dialogue_keys (id) VALUES (NEW.id);
END;
ALTER TABLE prompt_parts ADD COLUMN head TEXT REFERENCES prompt_parts(hash);  -- the part's text begins with that part's

CREATE TABLE perspectives_v12 (
  d            INTEGER NOT NULL REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  id           TEXT NOT NULL,
  round        INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  expert       TEXT NOT NULL,
  local_id     TEXT,
  label        TEXT NOT NULL,
  norm_label   TEXT,                         -- NULL: the same as label
  content      TEXT,                         -- NULL: content_at/content_len of the expert's answer that round
  content_at   INTEGER,
  content_len  INTEGER,
  refines      TEXT,
  duplicate_of TEXT,
  merge_reason TEXT,
  is_new       INTEGER NOT NULL,
  PRIMARY KEY (d, id)
);
INSERT INTO perspectives_v12 (rowid,d,id,round,seq,expert,local_id,label,norm_label,content,content_at,content_len,refines,duplicate_of,merge_reason,is_new)
  SELECT o.rowid, k.key, o.id, o.round, o.seq, o.expert, o.local_id, o.label, CASE WHEN o.norm_label = o.label THEN NULL ELSE o.norm_label END, o.content, NULL, NULL, o.refines, o.duplicate_of, o.merge_reason, o.is_new
  FROM perspectives o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE perspective_contributors_v12 (
  d              INTEGER NOT NULL,
  perspective_id TEXT NOT NULL,
  expert         TEXT NOT NULL,
  round          INTEGER NOT NULL,
  PRIMARY KEY (d, perspective_id, expert),
  FOREIGN KEY (d, perspective_id) REFERENCES perspectives(d, id) ON DELETE CASCADE
);
INSERT INTO perspective_contributors_v12 (rowid, d, perspective_id, expert, round)
  SELECT o.rowid, k.key, o.perspective_id, o.expert, o.round FROM perspective_contributors o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE tensions_v12 (
  d              INTEGER NOT NULL REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  id             TEXT NOT NULL,
  round          INTEGER NOT NULL,
  seq            INTEGER NOT NULL,
  raised_by      TEXT NOT NULL,
  local_id       TEXT,
  label          TEXT NOT NULL,
  content        TEXT,                       -- NULL: content_at/content_len of raised_by's answer that round
  content_at     INTEGER,
  content_len    INTEGER,
  status         TEXT NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open','resolved','accepted','reopened','deferred','superseded')),
  closed_round   INTEGER,
  resolution     TEXT,                       -- NULL with resolution_at: a span of resolution_by's answer in closed_round
  resolution_by  TEXT,
  resolution_at  INTEGER,
  resolution_len INTEGER,
  PRIMARY KEY (d, id)
);
INSERT INTO tensions_v12 (rowid,d,id,round,seq,raised_by,local_id,label,content,content_at,content_len,status,closed_round,resolution,resolution_by,resolution_at,resolution_len)
  SELECT o.rowid, k.key, o.id, o.round, o.seq, o.raised_by, o.local_id, o.label, o.content, NULL, NULL, o.status, o.closed_round, o.resolution, NULL, NULL, NULL
  FROM tensions o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE tension_events_v12 (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  d            INTEGER NOT NULL,
  tension_id   TEXT NOT NULL,
  round        INTEGER NOT NULL,
  expert       TEXT NOT NULL,
  event        TEXT NOT NULL
               CHECK (event IN ('raised','resolved','accepted','reopened','conceded','deferred','superseded')),
  text         TEXT,                         -- NULL: text_at/text_len of the expert's answer that round
  text_at      INTEGER,
  text_len     INTEGER,
  FOREIGN KEY (d, tension_id) REFERENCES tensions(d, id) ON DELETE CASCADE
);
INSERT INTO tension_events_v12 (seq,d,tension_id,round,expert,event,text,text_at,text_len)
  SELECT o.seq, k.key, o.tension_id, o.round, o.expert, o.event, o.text, NULL, NULL FROM tension_events o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE text_parts (
  id   INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);

CREATE TABLE plan_events_v12 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  d           INTEGER NOT NULL REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  rule        TEXT NOT NULL,
  expert      TEXT NOT NULL,
  subject     TEXT,
  target      TEXT,
  line        INTEGER,
  col         INTEGER,
  similarity  REAL,
  threshold   REAL,
  detail      TEXT,                          -- NULL: detail_at/detail_len of the expert's answer that round
  detail_at   INTEGER,
  detail_len  INTEGER,
  detail_part INTEGER REFERENCES text_parts(id)  -- not NULL: detail is the head, this part the rest
);
INSERT INTO plan_events_v12 (seq,d,round,kind,rule,expert,subject,target,line,col,similarity,threshold,detail,detail_at,detail_len)
  SELECT o.seq, k.key, o.round, o.kind, o.rule, o.expert, o.subject, o.target, o.line, o.col, o.similarity, o.threshold, o.detail, NULL, NULL
  FROM plan_events o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE scores_v12 (
  d             INTEGER NOT NULL REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  round         INTEGER NOT NULL,
  expert        TEXT NOT NULL,
  wisdom        INTEGER NOT NULL,
  consistency   INTEGER NOT NULL,
  truth         INTEGER NOT NULL,
  relationships INTEGER NOT NULL,
  total         INTEGER NOT NULL,
  rubric_json   TEXT,                        -- NULL: the detail of the round's 'score' plan event of this expert
  judge_json    TEXT,                        -- NULL with judge_ref: the payload of that judge proposal
  judge_ref     INTEGER,
  PRIMARY KEY (d, round, expert)
);
INSERT INTO scores_v12 (rowid,d,round,expert,wisdom,consistency,truth,relationships,total,rubric_json,judge_json,judge_ref)
  SELECT o.rid, k.key, o.round, o.expert, o.wisdom, o.consistency, o.truth, o.relationships, o.total,
    CASE WHEN o.rubric_json = (SELECT p.detail FROM plan_events p WHERE p.dialogue_id = o.dialogue_id AND p.round = o.round AND p.expert = o.expert AND p.kind = 'score' ORDER BY p.seq LIMIT 1)
      THEN NULL ELSE o.rubric_json END,
    CASE WHEN o.j IS NULL THEN o.judge_json END, o.j
  FROM (SELECT o.*, o.rowid AS rid, (SELECT MAX(j.seq) FROM judge_proposals j WHERE j.dialogue_id = o.dialogue_id AND j.round = o.round AND j.kind = 'adjustment' AND j.payload = o.judge_json) AS j
        FROM scores o) o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE judge_proposals_v12 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  d           INTEGER NOT NULL REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  rationale   TEXT NOT NULL DEFAULT '',
  applied     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO judge_proposals_v12 (seq,d,round,kind,payload,rationale,applied)
  SELECT o.seq, k.key, o.round, o.kind, o.payload, o.rationale, o.applied FROM judge_proposals o JOIN dialogue_keys k ON k.id = o.dialogue_id;

CREATE TABLE llm_calls_v12 (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  d             INTEGER REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  round         INTEGER,
  expert        TEXT,
  purpose       TEXT NOT NULL,
  provider      TEXT NOT NULL,
  model         TEXT NOT NULL,
  request_id    TEXT,
  input_tokens  INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
  latency_ms    INTEGER NOT NULL DEFAULT 0,
  cost_usd      REAL NOT NULL DEFAULT 0,
  retries       INTEGER NOT NULL DEFAULT 0,
  outcome       TEXT NOT NULL CHECK (outcome IN ('ok','error')),
  error         TEXT,
  created_at    TEXT NOT NULL,
  cost_unknown  INTEGER NOT NULL DEFAULT 0 CHECK (cost_unknown IN (0, 1))
);
INSERT INTO llm_calls_v12 (seq,d,round,expert,purpose,provider,model,request_id,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,latency_ms,cost_usd,retries,outcome,error,created_at,cost_unknown)
  SELECT o.seq, k.key, o.round, o.expert, o.purpose, o.provider, o.model, o.request_id, o.input_tokens, o.output_tokens, o.cache_write_tokens, o.cache_read_tokens,
    o.latency_ms, o.cost_usd, o.retries, o.outcome, o.error, o.created_at, o.cost_unknown
  FROM llm_calls o LEFT JOIN dialogue_keys k ON k.id = o.dialogue_id;

DROP TABLE scores;
ALTER TABLE scores_v12 RENAME TO scores;
DROP TABLE judge_proposals;
ALTER TABLE judge_proposals_v12 RENAME TO judge_proposals;
DROP TABLE llm_calls;
ALTER TABLE llm_calls_v12 RENAME TO llm_calls;
CREATE INDEX llm_calls_dialogue ON llm_calls(d, round);
DROP TABLE plan_events;
ALTER TABLE plan_events_v12 RENAME TO plan_events;
CREATE INDEX plan_events_round ON plan_events(d, round);
DROP TABLE tension_events;
ALTER TABLE tension_events_v12 RENAME TO tension_events;
DROP TABLE tensions;
ALTER TABLE tensions_v12 RENAME TO tensions;
CREATE INDEX tensions_status ON tensions(d, status);
DROP TABLE perspective_contributors;
ALTER TABLE perspective_contributors_v12 RENAME TO perspective_contributors;
DROP TABLE perspectives;
ALTER TABLE perspectives_v12 RENAME TO perspectives;
CREATE INDEX perspectives_round ON perspectives(d, round);

-- Panel rows are small and read by their key: WITHOUT ROWID drops the index that copied every row.
CREATE TABLE panel_v12 (
  dialogue_id TEXT NOT NULL,
  round       INTEGER NOT NULL,
  expert      TEXT NOT NULL,
  seat        INTEGER NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('retained','pool','created')),
  reason      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dialogue_id, round, expert),
  FOREIGN KEY (dialogue_id, round) REFERENCES rounds(dialogue_id, round) ON DELETE CASCADE,
  FOREIGN KEY (dialogue_id, expert) REFERENCES experts(dialogue_id, name)
) WITHOUT ROWID;
INSERT INTO panel_v12 (dialogue_id, round, expert, seat, source, reason) SELECT dialogue_id, round, expert, seat, source, reason FROM panel;
DROP TABLE panel;
ALTER TABLE panel_v12 RENAME TO panel;

ALTER TABLE rounds ADD COLUMN synthesis_rest TEXT;     -- with synthesis_json NULL: the synthesis without its part
ALTER TABLE rounds ADD COLUMN synthesis_part TEXT REFERENCES prompt_parts(hash);
ALTER TABLE rounds ADD COLUMN synthesis_at INTEGER;    -- code point of synthesis_rest where the part goes
`,
  up: moveSpans,
};

/** Per table: its text column, and the SQL of the round and expert whose answer it may be a span of. */
const SPANNED = [
  // A resolution is the text of the tension's deciding event (its closing round, by the event's expert),
  // found by that text: first, before the events' texts are cut.
  {
    table: 'tensions',
    col: 'resolution',
    round: 't.closed_round',
    expert: `(SELECT e.expert FROM tension_events e WHERE e.d = t.d AND e.tension_id = t.id AND e.round = t.closed_round AND e.text = t.resolution ORDER BY e.seq DESC LIMIT 1)`,
    by: 'resolution_by',
  },
  { table: 'perspectives', col: 'content', round: 't.round', expert: 't.expert' },
  { table: 'tensions', col: 'content', round: 't.round', expert: 't.raised_by' },
  { table: 'tension_events', col: 'text', round: 't.round', expert: 't.expert' },
  // A detail already cut into a head and a shared part (moveJsonTails) is no span.
  { table: 'plan_events', col: 'detail', round: 't.round', expert: 't.expert', where: ' AND t.detail_part IS NULL' },
] as const;

/** Cuts each copied text that is (a prefix and) a span of its answer down to the reference, and each synthesis's panel part, with the store's own rules. */
function moveSpans(db: Db): void {
  moveHeads(db);
  moveJsonTails(db);
  const cutRound = db.prepare('UPDATE rounds SET synthesis_json = @synthesis_json, synthesis_rest = @synthesis_rest, synthesis_part = @synthesis_part, synthesis_at = @synthesis_at WHERE rowid = @rid');
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
  for (const r of db.prepare('SELECT rowid AS rid, synthesis_json AS json FROM rounds WHERE synthesis_json IS NOT NULL').all() as { rid: number; json: string }[]) {
    const cols = storeSynthesis(run, r.json);
    if (cols.synthesis_part !== null) cutRound.run({ ...cols, rid: r.rid });
  }
  for (const s of SPANNED) {
    const rows = db
      .prepare(`SELECT t.rowid AS rid, t.${s.col} AS text, ${s.expert} AS expert, x.text AS answer FROM ${s.table} t JOIN dialogue_keys k ON k.key = t.d
        JOIN responses x ON x.dialogue_id = k.id AND x.round = ${s.round} AND x.expert = ${s.expert} AND x.status = 'ok' WHERE t.${s.col} IS NOT NULL${'where' in s ? s.where : ''}`)
      .all() as { rid: number; text: string; expert: string; answer: string }[];
    const by = 'by' in s ? `, ${s.by} = @expert` : '';
    const update = db.prepare(`UPDATE ${s.table} SET ${s.col} = @text, ${s.col}_at = @at, ${s.col}_len = @len${by} WHERE rowid = @rid`);
    for (const r of rows) {
      const [text, at, len] = spanColumns(r.answer, r.text);
      if (at !== null) update.run({ rid: r.rid, text, at, len, ...('by' in s ? { expert: r.expert } : {}) });
    }
  }
}

/** Where the stable head ends in a shared part (experts/prompt.ts writes the round context after it). */
const CONTEXT_MARKER = '\n\n<!-- system[1]: round context';

/** Each existing shared part's stable head becomes its own part (stored once), cut from the part's first literal. */
function moveHeads(db: Db): void {
  const parts = db.prepare(`SELECT pp.hash, pp.text, ${partTextSql('pp.hash', 'pp.text')} AS full FROM prompt_parts pp WHERE pp.head IS NULL`).all() as { hash: string; text: string; full: string }[];
  const first = db.prepare('SELECT literal FROM prompt_part_pieces WHERE hash = ? AND seq = 0');
  const add = db.prepare('INSERT OR IGNORE INTO prompt_parts (hash, text) VALUES (?, ?)');
  for (const p of parts) {
    const end = p.full.indexOf(CONTEXT_MARKER);
    if (end < MIN_HEAD) continue;
    const head = p.full.slice(0, end);
    const literal = first.get(p.hash) as { literal: string } | undefined;
    const cut = literal ? literal.literal : p.text;
    if (!cut.startsWith(head)) continue;
    const hash = sha256Hex(head);
    add.run(hash, head);
    if (literal) db.prepare('UPDATE prompt_part_pieces SET literal = ? WHERE hash = ? AND seq = 0').run(cut.slice(head.length), p.hash);
    else db.prepare('UPDATE prompt_parts SET text = ? WHERE hash = ?').run(cut.slice(head.length), p.hash);
    db.prepare('UPDATE prompt_parts SET head = ? WHERE hash = ?').run(hash, p.hash);
  }
}

/** Each JSON plan-event detail keeps its first member; the rest goes to `text_parts` (the store's rule, before spans are cut). */
function moveJsonTails(db: Db): void {
  const add = db.prepare('INSERT OR IGNORE INTO text_parts (text) VALUES (?)');
  const id = db.prepare('SELECT id FROM text_parts WHERE text = ?').pluck();
  const cut = db.prepare('UPDATE plan_events SET detail = ?, detail_part = ? WHERE seq = ?');
  for (const e of db.prepare("SELECT seq, detail FROM plan_events WHERE detail LIKE '{%'").all() as { seq: number; detail: string }[]) {
    const json = cutJsonHead(e.detail);
    if (!json) continue;
    add.run(json.tail);
    cut.run(json.head, id.get(json.tail), e.seq);
  }
}
