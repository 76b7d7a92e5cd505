import type { Migration } from './index.ts';

/**
 * Dialogue state: dialogues, experts, rounds, panel membership, responses, perspectives,
 * tensions and their events, refs, convergence signals, dissent, scores, LLM calls, lint
 * findings, judge proposals and the facilitator's persisted snapshot.
 */
export const m001Dialogues: Migration = {
  version: 1,
  name: 'dialogues',
  sql: `
CREATE TABLE dialogues (
  id            TEXT PRIMARY KEY,            -- folder name: <YYYY-MM-DDTHHMMZ>-<slug>
  title         TEXT NOT NULL,
  question      TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open','converged','forced','recording_exhausted','budget_exhausted','failed','cancelled')),
  dir           TEXT NOT NULL,               -- relative to the workspace root
  settings_json TEXT NOT NULL,
  pool_json     TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE constraints (
  dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  round_added INTEGER NOT NULL,              -- first round whose prompts carry it
  text        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (dialogue_id, seq)
);

CREATE TABLE experts (
  dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,                 -- lowercase pastry name
  display     TEXT NOT NULL,
  role        TEXT NOT NULL,
  tier        TEXT NOT NULL CHECK (tier IN ('Core','Adjacent','Wildcard')),
  relevance   REAL NOT NULL,
  focus       TEXT,
  first_round INTEGER NOT NULL,
  PRIMARY KEY (dialogue_id, name)
);

CREATE TABLE rounds (
  dialogue_id      TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  round            INTEGER NOT NULL,
  status           TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','judged')),
  panel_size       INTEGER NOT NULL DEFAULT 0,
  open_tensions    INTEGER NOT NULL DEFAULT 0,
  new_perspectives INTEGER NOT NULL DEFAULT 0,
  converge_signals INTEGER NOT NULL DEFAULT 0,
  converge_percent INTEGER NOT NULL DEFAULT 0,
  velocity         INTEGER NOT NULL DEFAULT 0,
  wisdom           INTEGER NOT NULL DEFAULT 0,
  consistency      INTEGER NOT NULL DEFAULT 0,
  truth            INTEGER NOT NULL DEFAULT 0,
  relationships    INTEGER NOT NULL DEFAULT 0,
  score            INTEGER NOT NULL DEFAULT 0,
  synthesis_json   TEXT,                     -- camps, key question, panel evolution, notes
  started_at       TEXT NOT NULL,
  judged_at        TEXT,
  PRIMARY KEY (dialogue_id, round)
);

CREATE TABLE panel (
  dialogue_id TEXT NOT NULL,
  round       INTEGER NOT NULL,
  expert      TEXT NOT NULL,
  seat        INTEGER NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('retained','pool','created')),
  reason      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dialogue_id, round, expert),
  FOREIGN KEY (dialogue_id, round) REFERENCES rounds(dialogue_id, round) ON DELETE CASCADE,
  FOREIGN KEY (dialogue_id, expert) REFERENCES experts(dialogue_id, name)
);

CREATE TABLE responses (
  dialogue_id   TEXT NOT NULL,
  round         INTEGER NOT NULL,
  expert        TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ok','absent')),
  text          TEXT NOT NULL DEFAULT '',
  prompt        TEXT NOT NULL DEFAULT '',
  absent_reason TEXT,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (dialogue_id, round, expert),
  FOREIGN KEY (dialogue_id, round, expert) REFERENCES panel(dialogue_id, round, expert) ON DELETE CASCADE
);

CREATE TABLE perspectives (
  dialogue_id  TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  id           TEXT NOT NULL,                -- global P{round:02}{seq:02}
  round        INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  expert       TEXT NOT NULL,
  local_id     TEXT,
  label        TEXT NOT NULL,
  norm_label   TEXT NOT NULL,
  content      TEXT NOT NULL DEFAULT '',
  refines      TEXT,                         -- global id refined
  duplicate_of TEXT,                         -- global id with the same normalised label, or merged by the judge
  merge_reason TEXT,
  is_new       INTEGER NOT NULL,
  PRIMARY KEY (dialogue_id, id)
);
CREATE INDEX perspectives_round ON perspectives(dialogue_id, round);

CREATE TABLE perspective_contributors (
  dialogue_id    TEXT NOT NULL,
  perspective_id TEXT NOT NULL,
  expert         TEXT NOT NULL,
  round          INTEGER NOT NULL,
  PRIMARY KEY (dialogue_id, perspective_id, expert),
  FOREIGN KEY (dialogue_id, perspective_id) REFERENCES perspectives(dialogue_id, id) ON DELETE CASCADE
);

CREATE TABLE tensions (
  dialogue_id  TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  id           TEXT NOT NULL,                -- global T{round:02}{seq:02}
  round        INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  raised_by    TEXT NOT NULL,
  local_id     TEXT,
  label        TEXT NOT NULL,
  content      TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved','accepted','reopened')),
  closed_round INTEGER,
  resolution   TEXT,
  PRIMARY KEY (dialogue_id, id)
);
CREATE INDEX tensions_status ON tensions(dialogue_id, status);

CREATE TABLE tension_events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id  TEXT NOT NULL,
  tension_id   TEXT NOT NULL,
  round        INTEGER NOT NULL,
  expert       TEXT NOT NULL,                -- who caused it ('facilitator' for engine decisions)
  event        TEXT NOT NULL CHECK (event IN ('raised','resolved','accepted','reopened','conceded')),
  text         TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (dialogue_id, tension_id) REFERENCES tensions(dialogue_id, id) ON DELETE CASCADE
);

CREATE TABLE refs (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  expert      TEXT NOT NULL,
  kind        TEXT NOT NULL,                 -- refinement, concession, resolved, accepted, defend, challenge, bridge
  target_id   TEXT,                          -- resolved global id, NULL when unresolvable
  raw         TEXT NOT NULL,
  cross_expert INTEGER NOT NULL DEFAULT 0    -- target belongs to another expert
);

CREATE TABLE signals (
  dialogue_id TEXT NOT NULL,
  round       INTEGER NOT NULL,
  expert      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('converge','dissent')),
  text        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dialogue_id, round, expert, kind),
  FOREIGN KEY (dialogue_id) REFERENCES dialogues(id) ON DELETE CASCADE
);

CREATE TABLE scores (
  dialogue_id   TEXT NOT NULL,
  round         INTEGER NOT NULL,
  expert        TEXT NOT NULL,
  wisdom        INTEGER NOT NULL,
  consistency   INTEGER NOT NULL,
  truth         INTEGER NOT NULL,
  relationships INTEGER NOT NULL,
  total         INTEGER NOT NULL,
  rubric_json   TEXT NOT NULL,               -- the counted events behind each dimension
  judge_json    TEXT,                        -- judge adjustments with rationales
  PRIMARY KEY (dialogue_id, round, expert),
  FOREIGN KEY (dialogue_id) REFERENCES dialogues(id) ON DELETE CASCADE
);

CREATE TABLE lint_findings (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  expert      TEXT NOT NULL,
  rule        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  message     TEXT NOT NULL,
  line        INTEGER NOT NULL,
  col         INTEGER NOT NULL
);

CREATE TABLE llm_calls (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id   TEXT REFERENCES dialogues(id) ON DELETE CASCADE,
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
  created_at    TEXT NOT NULL
);
CREATE INDEX llm_calls_dialogue ON llm_calls(dialogue_id, round);

CREATE TABLE judge_proposals (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  kind        TEXT NOT NULL,                 -- merge, cluster, resolution, adjustment, synthesis, failure
  payload     TEXT NOT NULL,
  rationale   TEXT NOT NULL DEFAULT '',
  applied     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE snapshots (
  dialogue_id TEXT PRIMARY KEY REFERENCES dialogues(id) ON DELETE CASCADE,
  state       TEXT NOT NULL,                 -- facilitator state value
  snapshot    TEXT NOT NULL,                 -- persisted XState snapshot (JSON)
  updated_at  TEXT NOT NULL
);
`,
};
