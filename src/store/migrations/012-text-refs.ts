import type { Migration } from './index.ts';
import { MIN_SPAN } from '../spans.ts';

/**
 * `at` (1-based, 0 = not found) of `col` inside the answer of (`round`, `expert`) in the old
 * table `o`: only texts of at least MIN_SPAN characters are worth a reference.
 */
const found = (col: string, round: string, expert: string): string => `CASE WHEN length(o.${col}) >= ${MIN_SPAN} THEN COALESCE(instr(
    (SELECT x.text FROM responses x WHERE x.dialogue_id = o.dialogue_id AND x.round = ${round} AND x.expert = ${expert} AND x.status = 'ok'), o.${col}), 0) ELSE 0 END`;

/** The three stored columns of a text that may be a span: literal (NULL when a span), `_at` (0-based), `_len`. */
const spanCols = (col: string, at: string): string =>
  `CASE WHEN ${at} > 0 THEN NULL ELSE o.${col} END, CASE WHEN ${at} > 0 THEN ${at} - 1 END, CASE WHEN ${at} > 0 THEN length(o.${col}) END`;

/** The deciding event's expert of a closed tension `o` (the one whose text is its resolution). */
const RESOLVER = `(SELECT e.expert FROM tension_events e WHERE e.dialogue_id = o.dialogue_id AND e.tension_id = o.id
    AND e.round = o.closed_round AND e.text = o.resolution ORDER BY e.seq DESC LIMIT 1)`;

/**
 * Derived text stored once (issue 10): the long public dialogue id becomes an integer key
 * (`dialogue_keys`, filled by a trigger on `dialogues`) in the round-registration tables, and a
 * perspective's or tension's body, a tension's resolution, an event's text and a plan event's
 * detail that are a span of the answer they came from are stored as (`_at`, `_len`): code points
 * into that answer (the row's round and expert; a resolution's closing round and `resolution_by`).
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

CREATE TABLE perspectives_v12 (
  d            INTEGER NOT NULL REFERENCES dialogue_keys(key) ON DELETE CASCADE,
  id           TEXT NOT NULL,
  round        INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  expert       TEXT NOT NULL,
  local_id     TEXT,
  label        TEXT NOT NULL,
  norm_label   TEXT NOT NULL,
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
  SELECT o.rid, k.key, o.id, o.round, o.seq, o.expert, o.local_id, o.label, o.norm_label, ${spanCols('content', 'o.at')}, o.refines, o.duplicate_of, o.merge_reason, o.is_new
  FROM (SELECT o.*, o.rowid AS rid, ${found('content', 'o.round', 'o.expert')} AS at FROM perspectives o) o JOIN dialogue_keys k ON k.id = o.dialogue_id;

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
  SELECT o.rid, k.key, o.id, o.round, o.seq, o.raised_by, o.local_id, o.label, ${spanCols('content', 'o.at')}, o.status, o.closed_round,
    CASE WHEN o.rat > 0 THEN NULL ELSE o.resolution END, CASE WHEN o.rat > 0 THEN o.resolver END,
    CASE WHEN o.rat > 0 THEN o.rat - 1 END, CASE WHEN o.rat > 0 THEN length(o.resolution) END
  FROM (SELECT o.*, ${found('content', 'o.round', 'o.raised_by')} AS at, ${found('resolution', 'o.closed_round', 'o.resolver')} AS rat
        FROM (SELECT o.*, o.rowid AS rid, ${RESOLVER} AS resolver FROM tensions o) o) o
  JOIN dialogue_keys k ON k.id = o.dialogue_id;

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
  SELECT o.seq, k.key, o.tension_id, o.round, o.expert, o.event, ${spanCols('text', 'o.at')}
  FROM (SELECT o.*, ${found('text', 'o.round', 'o.expert')} AS at FROM tension_events o) o JOIN dialogue_keys k ON k.id = o.dialogue_id;

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
  detail_len  INTEGER
);
INSERT INTO plan_events_v12 (seq,d,round,kind,rule,expert,subject,target,line,col,similarity,threshold,detail,detail_at,detail_len)
  SELECT o.seq, k.key, o.round, o.kind, o.rule, o.expert, o.subject, o.target, o.line, o.col, o.similarity, o.threshold, ${spanCols('detail', 'o.at')}
  FROM (SELECT o.*, ${found('detail', 'o.round', 'o.expert')} AS at FROM plan_events o) o JOIN dialogue_keys k ON k.id = o.dialogue_id;

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
`,
};
