import type { Migration } from './index.ts';

/**
 * The round planner (issue 8): `plan_events` records every event of a round plan with its rule
 * and source span; tensions gain the `deferred` and `superseded` statuses (and events). SQLite
 * cannot alter a CHECK, so `tensions` and `tension_events` are rebuilt with their rows kept
 * (events are copied aside first: dropping `tensions` would cascade to them).
 */
export const m004Plan: Migration = {
  version: 4,
  name: 'plan',
  sql: `
CREATE TEMP TABLE tension_events_keep AS SELECT * FROM tension_events;
DROP TABLE tension_events;

CREATE TABLE tensions_v4 (
  dialogue_id  TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  id           TEXT NOT NULL,
  round        INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  raised_by    TEXT NOT NULL,
  local_id     TEXT,
  label        TEXT NOT NULL,
  content      TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'open'
               CHECK (status IN ('open','resolved','accepted','reopened','deferred','superseded')),
  closed_round INTEGER,
  resolution   TEXT,
  PRIMARY KEY (dialogue_id, id)
);
INSERT INTO tensions_v4 SELECT dialogue_id,id,round,seq,raised_by,local_id,label,content,status,closed_round,resolution FROM tensions;
DROP TABLE tensions;
ALTER TABLE tensions_v4 RENAME TO tensions;
CREATE INDEX tensions_status ON tensions(dialogue_id, status);

CREATE TABLE tension_events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id  TEXT NOT NULL,
  tension_id   TEXT NOT NULL,
  round        INTEGER NOT NULL,
  expert       TEXT NOT NULL,
  event        TEXT NOT NULL
               CHECK (event IN ('raised','resolved','accepted','reopened','conceded','deferred','superseded')),
  text         TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (dialogue_id, tension_id) REFERENCES tensions(dialogue_id, id) ON DELETE CASCADE
);
INSERT INTO tension_events SELECT seq,dialogue_id,tension_id,round,expert,event,text FROM tension_events_keep;
DROP TABLE tension_events_keep;

CREATE TABLE plan_events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  kind        TEXT NOT NULL,   -- register, merge, resolve, accept, defer, supersede, reopen, link, signal, score
  rule        TEXT NOT NULL,   -- the rule id that produced it (docs/scoring.md)
  expert      TEXT NOT NULL,
  subject     TEXT,
  target      TEXT,
  line        INTEGER,
  col         INTEGER,
  similarity  REAL,
  threshold   REAL,
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_events_round ON plan_events(dialogue_id, round);
`,
};
