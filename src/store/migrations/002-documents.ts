import type { Migration } from './index.ts';

/**
 * Document index (RFC, ADR, dialogue record) and links between documents. Owned by
 * src/realm/documents. The files are the truth: `blue index` deletes and rebuilds both tables
 * from them, so nothing here may hold information the files do not.
 * Numbers are deliberately not UNIQUE: duplicates exist in the wild and `blue lint` reports them.
 */
export const m002Documents: Migration = {
  version: 2,
  name: 'documents',
  sql: `
CREATE TABLE documents (
  file          TEXT PRIMARY KEY,            -- posix path relative to the workspace root
  type          TEXT NOT NULL CHECK (type IN ('rfc','adr','dialogue')),
  number        INTEGER,                     -- null for dialogue records
  slug          TEXT NOT NULL,
  title         TEXT NOT NULL,
  status        TEXT,                        -- from the filename (header for bare legacy names); null when unknown
  header_status TEXT,                        -- the Status row verbatim, null when absent
  date          TEXT,                        -- the Date row verbatim
  indexed_at    TEXT NOT NULL
);
CREATE INDEX documents_type_number ON documents(type, number);
CREATE INDEX documents_type_status ON documents(type, status);

CREATE TABLE document_links (
  source TEXT NOT NULL,                      -- a document file, or 'dialogue:<id>'
  kind   TEXT NOT NULL CHECK (kind IN ('link','supersedes','superseded_by','rfc_to_adr','dialogue_to_rfc','dialogue_amends_rfc')),
  target TEXT NOT NULL,                      -- relative path for 'link'; '<type>:<number>' otherwise
  line   INTEGER,                            -- 1-based line in the source file, when known
  PRIMARY KEY (source, kind, target)
);
CREATE INDEX document_links_target ON document_links(target);
`,
};
