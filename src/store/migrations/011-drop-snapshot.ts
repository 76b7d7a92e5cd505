import type { Migration } from './index.ts';

/**
 * The persisted XState snapshot was written after every transition and never read: resume
 * rebuilds its position from the rounds and responses. Only the state's name is read (`blue
 * dialogue status` shows it), so it moves onto the dialogue as `chart_state` and the
 * `snapshots` table goes.
 */
export const m011DropSnapshot: Migration = {
  version: 11,
  name: 'drop-snapshot',
  sql: `
ALTER TABLE dialogues ADD COLUMN chart_state TEXT;
UPDATE dialogues SET chart_state = (SELECT state FROM snapshots WHERE snapshots.dialogue_id = dialogues.id);
DROP TABLE snapshots;`,
};
