import type { Migration } from './index.ts';

/**
 * Calls whose model has no price in the table (local and third-party models): their cost is
 * unknown, which `cost_usd = 0` alone would report as free.
 */
export const m005UnpricedCalls: Migration = {
  version: 5,
  name: 'unpriced-calls',
  sql: `ALTER TABLE llm_calls ADD COLUMN cost_unknown INTEGER NOT NULL DEFAULT 0 CHECK (cost_unknown IN (0, 1));`,
};
