import type { Migration } from './index.ts';

/**
 * Realm notifications. Owned by src/realm/realm. One row per (realm, importer repo, domain,
 * contract, version reached, kind); `sync` and `contract bump` write them for importer
 * repos, `realm status` lists unseen rows and sets `seen_at`.
 */
export const m003Realm: Migration = {
  version: 3,
  name: 'realm',
  sql: `
CREATE TABLE realm_notifications (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  realm        TEXT NOT NULL,
  repo         TEXT NOT NULL,               -- the importer repo notified
  domain       TEXT NOT NULL,
  contract     TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('changed','breaking','new')),
  from_version TEXT,                        -- NULL for a new contract
  to_version   TEXT NOT NULL,
  from_repo    TEXT,                        -- the repo whose change caused it
  created_at   TEXT NOT NULL,
  seen_at      TEXT
);
CREATE UNIQUE INDEX realm_notifications_once
  ON realm_notifications(realm, repo, domain, contract, to_version, kind);
CREATE INDEX realm_notifications_unseen ON realm_notifications(realm, repo, seen_at);
`,
};
