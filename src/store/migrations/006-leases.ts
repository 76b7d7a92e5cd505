import type { Migration } from './index.ts';

/**
 * One process per dialogue: the process running a dialogue holds its row here (who, since
 * when, last heartbeat); a second process refuses, and a row left by a dead process is taken over.
 */
export const m006Leases: Migration = {
  version: 6,
  name: 'leases',
  sql: `CREATE TABLE dialogue_leases (
  dialogue_id TEXT PRIMARY KEY REFERENCES dialogues(id) ON DELETE CASCADE,
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);`,
};
