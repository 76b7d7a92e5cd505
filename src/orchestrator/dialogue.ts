/**
 * The Dialogue domain type: a `dialogues` row with its JSON columns parsed with zod on read.
 * Rows are mapped here, at the orchestrator's edge of the store, because this is where the
 * settings schema (orchestrator) and the pool schema (experts) meet; the store may import only
 * core. Nothing else reads `settings_json` or `pool_json`.
 */
import { z } from 'zod';
import { parseStoredJson } from '../core/index.ts';
import { type Pool, storedPoolSchema } from '../experts/index.ts';
import type { DialogueRow, DialogueStatus } from '../store/index.ts';
import { type DialogueSettings, dialogueSettingsSchema } from './settings.ts';

/** A grounding file given at start, stored with the dialogue: its path as given and its text as read then. */
export interface DialogueSource {
  path: string;
  content: string;
}

/** A dialogue: what was asked, how it runs, where it stands. */
export interface Dialogue {
  /** `<YYYY-MM-DDTHHMMZ>-<slug>`, also the folder name. */
  id: string;
  title: string;
  question: string;
  status: DialogueStatus;
  /** Workspace-relative folder (`dialogues/<id>`), POSIX separators. */
  dir: string;
  settings: DialogueSettings;
  /** Grounding files every round's prompt carries, in the order given. */
  sources: DialogueSource[];
  /** The expert pool the panel is drawn from (a copy: the file may change later). */
  pool: Pool;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC of the last status or settings change. */
  updatedAt: string;
  /** The facilitator chart's last state (`running.round.asking`, `converged`); null before it ran. Resume does not read it. */
  chartState: string | null;
}

const sourceSchema = z.object({ path: z.string(), content: z.string() });

// `settings_json` holds the settings and, beside them, the sources (one document since migration 001).
const storedSettingsSchema = dialogueSettingsSchema.extend({ sources: z.array(sourceSchema).default([]) });

/**
 * Maps a `dialogues` row to a {@link Dialogue}, parsing and checking its JSON columns. With
 * `reuse` (an earlier mapping of the same dialogue) whose JSON columns are byte-identical, its
 * parsed settings, sources and pool are kept instead of parsed again (the engine loads a
 * dialogue several times a round; a 48-seat pool is the bulk of the parse).
 * @throws StoredDataError (E_STORED) naming the dialogue id and the field path, e.g.
 *   `dialogues["…"].settings_json.maxRounds`, when a column is not JSON or not the shape Blue writes.
 */
export function toDialogue(row: DialogueRow, reuse?: { row: DialogueRow; dialogue: Dialogue }): Dialogue {
  const same = reuse !== undefined && reuse.row.settings_json === row.settings_json && reuse.row.pool_json === row.pool_json;
  const { settings, sources, pool } = same ? reuse.dialogue : jsonColumns(row);
  return {
    id: row.id,
    title: row.title,
    question: row.question,
    status: row.status,
    dir: row.dir,
    settings,
    sources,
    pool,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    chartState: row.chart_state ?? null,
  };
}

function jsonColumns(row: DialogueRow): Pick<Dialogue, 'settings' | 'sources' | 'pool'> {
  const { sources, ...settings } = parseStoredJson(row.settings_json, storedSettingsSchema, { table: 'dialogues', key: row.id, column: 'settings_json' });
  return { settings, sources, pool: parseStoredJson(row.pool_json, storedPoolSchema, { table: 'dialogues', key: row.id, column: 'pool_json' }) };
}

/** The `settings_json` text of a dialogue: its settings with its sources beside them (what {@link toDialogue} reads). */
export function settingsJson(settings: DialogueSettings, sources: readonly DialogueSource[]): string {
  return JSON.stringify({ ...settings, sources });
}

/** The `dialogues` row of a new dialogue (its chart has not run yet). */
export function dialogueRow(d: Omit<Dialogue, 'chartState'>): DialogueRow {
  return {
    id: d.id,
    title: d.title,
    question: d.question,
    status: d.status,
    dir: d.dir,
    settings_json: settingsJson(d.settings, d.sources),
    pool_json: JSON.stringify(d.pool),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}
