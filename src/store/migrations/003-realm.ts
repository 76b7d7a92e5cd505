import type { Migration } from './index.ts';

/** Realm notifications. Owned by src/realm/realm. */
export const m003Realm: Migration = {
  version: 3,
  name: 'realm',
  sql: `SELECT 1;`,
};
