import type { Db } from '../db.ts';
import { type ReferenceableResponse, writePieces } from '../prompt-parts.ts';
import type { Migration } from './index.ts';

/**
 * A shared prompt part that embeds the previous round's answers stores them as references to
 * their response rows (`prompt_part_pieces`, see store/prompt-parts.ts); existing parts move.
 * A part is cut against the answers of the round before the first round that uses it (SQLite
 * takes the bare `dialogue_id` from that row).
 */
export const m008PartPieces: Migration = {
  version: 8,
  name: 'part-pieces',
  sql: `
CREATE TABLE prompt_part_pieces (
  hash        TEXT NOT NULL REFERENCES prompt_parts(hash),
  seq         INTEGER NOT NULL,
  literal     TEXT NOT NULL,
  dialogue_id TEXT NOT NULL,
  round       INTEGER NOT NULL,
  expert      TEXT NOT NULL,
  start       INTEGER NOT NULL,              -- code points into the response's text
  len         INTEGER NOT NULL,
  PRIMARY KEY (hash, seq),
  FOREIGN KEY (dialogue_id, round, expert) REFERENCES responses(dialogue_id, round, expert)
);
`,
  up: movePieces,
};

function movePieces(db: Db): void {
  const parts = db
    .prepare('SELECT pp.hash, pp.text, r.dialogue_id, MIN(r.round) AS round FROM prompt_parts pp JOIN responses r ON r.prompt_part = pp.hash GROUP BY pp.hash')
    .all() as { hash: string; text: string; dialogue_id: string; round: number }[];
  const previous = db.prepare("SELECT dialogue_id, round, expert, text FROM responses WHERE dialogue_id = ? AND round = ? AND status = 'ok'");
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
  for (const p of parts) {
    if (p.round > 0) writePieces(run, p.hash, p.text, previous.all(p.dialogue_id, p.round - 1) as ReferenceableResponse[]);
  }
}
