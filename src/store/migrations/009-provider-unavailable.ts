import type { Migration } from './index.ts';

/**
 * A dialogue stopped because its provider is unavailable (auth, spend limit, unreachable,
 * consecutive failures) is stored as `provider_unavailable`, resumable once the cause is fixed.
 * SQLite cannot alter a CHECK: the table is rebuilt (children keep their rows and references).
 */
export const m009ProviderUnavailable: Migration = {
  version: 9,
  name: 'provider-unavailable',
  rebuildsTable: true,
  sql: `
CREATE TABLE dialogues_new (
  id            TEXT PRIMARY KEY,
  title         TEXT NOT NULL,
  question      TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open','converged','forced','recording_exhausted','budget_exhausted','failed','cancelled','provider_unavailable')),
  dir           TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  pool_json     TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
INSERT INTO dialogues_new (id, title, question, status, dir, settings_json, pool_json, created_at, updated_at)
  SELECT id, title, question, status, dir, settings_json, pool_json, created_at, updated_at FROM dialogues;
DROP TABLE dialogues;
ALTER TABLE dialogues_new RENAME TO dialogues;`,
};
