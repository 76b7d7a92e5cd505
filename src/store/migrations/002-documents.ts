import type { Migration } from './index.ts';

/** Document index (RFC, ADR, dialogue record) and links between documents. Owned by src/realm/documents. */
export const m002Documents: Migration = {
  version: 2,
  name: 'documents',
  sql: `SELECT 1;`,
};
