import type { Migration } from './index.ts';

/**
 * How a round used the prompt cache, in one line (`warm-up skipped for claude-haiku-4-5: shared
 * prefix ≈ 900 tokens, below its 4,096-token minimum`); NULL when every model was warmed.
 */
export const m010RoundCacheNote: Migration = {
  version: 10,
  name: 'round-cache-note',
  sql: `ALTER TABLE rounds ADD COLUMN cache_note TEXT;`,
};
