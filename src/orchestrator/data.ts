/**
 * Everything stored about one dialogue, loaded in one go, with lookups the view builders
 * need. Read-only.
 */
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { BlueError, type Expert, PANEL_SOURCES, type Perspective, type Round, TIERS, type Tension, type TensionEvent, UserError, withTensionState } from '../core/index.ts';
import type { PanelMember, Pool } from '../experts/index.ts';
import type { DialogueRow, DialogueStore, PanelRow, Ordered, RefRow, ResponseRow, RoundChanges, RoundRows, ScoreDbRow, SignalRow } from '../store/index.ts';
import { type Dialogue, toDialogue } from './dialogue.ts';
import type { DialogueSettings } from './settings.ts';

const seat = z.object({
  name: z.string(),
  role: z.string(),
  tier: z.enum(TIERS),
  relevance: z.number(),
  source: z.enum(PANEL_SOURCES),
  focus: z.string().optional(),
  directive: z.string().optional(),
});
const because = z.object({ expert: z.string(), reason: z.string() });

/** `rounds.synthesis_json`: checked on read, so a row another version wrote fails where it is read. */
const roundSynthesisSchema = z.looseObject({
  decision: z.enum(['converged', 'forced', 'continue', 'recording_exhausted']),
  blocked: z.array(z.string()),
  premiseCheck: z.boolean(),
  camps: z.array(z.object({ name: z.string(), members: z.array(z.string()), stance: z.string() })),
  keyQuestion: z.string().nullable(),
  recommendations: z.array(z.object({ id: z.string(), label: z.string(), from: z.string() })),
  panelEvolution: z
    .object({
      retain: z.array(because),
      rotateOut: z.array(because),
      add: z.array(z.object({ expert: z.string(), role: z.string(), source: z.enum(['pool', 'created']), reason: z.string() })),
    })
    .nullable(),
  /** Next round's panel (display names) with directives, when the dialogue continues. */
  nextPanel: z.array(seat).nullable(),
  notes: z.array(z.string()),
  answer: z.string().nullable().optional(),
  decisions: z.array(z.object({ topic: z.string(), decision: z.string(), rationale: z.string(), sources: z.array(z.string()) })).optional(),
});

/** Synthesis of a round stored with its metrics (deterministic, optionally judge-written). */
export type RoundSynthesis = z.infer<typeof roundSynthesisSchema>;

/** A loaded dialogue. */
export interface DialogueData {
  dialogue: Dialogue;
  /** `dialogue.settings`, for short. */
  settings: DialogueSettings;
  /** `dialogue.pool`, for short. */
  pool: Pool;
  experts: Map<string, Expert>;
  rounds: Round[];
  panels: Map<number, PanelRow[]>;
  responses: Map<number, ResponseRow[]>;
  perspectives: Perspective[];
  contributors: Map<string, string[]>;
  /** With their state from {@link DialogueData.events} (core's `withTensionState`). */
  tensions: Tension[];
  events: TensionEvent[];
  signals: SignalRow[];
  refs: RefRow[];
  scores: ScoreDbRow[];
  constraints: { round_added: number; text: string }[];
}

/** The engine's load: everything but the stored prompts (only a missing audit file needs one). */
export const ENGINE_LOAD = { prompts: false } as const;

/**
 * Loads a dialogue by id (or unique id prefix). With `prompts: false` the responses' `prompt` is
 * `''` and never read (the engine's loads: a rendered prompt is most of a stored response), and
 * the load is incremental: the rows of rounds the store saw no write to since this process last
 * loaded the dialogue are kept from that load (see `DialogueStore.changedFrom`), so a round costs
 * the same in round 40 as in round 2.
 * @throws UserError E_NOT_FOUND when no dialogue matches.
 */
export function loadDialogue(store: DialogueStore, idOrPrefix: string, opts: { prompts?: boolean } = {}): DialogueData {
  const row = findDialogueRow(store, idOrPrefix);
  if (opts.prompts !== false) return assemble(store, toDialogue(row), store.roundRowsFrom(row.id, 0, { prompts: true }));
  const cache = cacheOf(store);
  const held = cache.get(row.id);
  const dialogue = toDialogue(row, held);
  const changes = store.changedFrom(row.id);
  const rows = held && changes !== null ? mergeRows(held.rows, store.roundRowsFrom(row.id, changes), changes) : store.roundRowsFrom(row.id, 0);
  const data = assemble(store, dialogue, rows);
  cache.set(row.id, { rows, row, dialogue });
  return data;
}

/** What the engine's loads keep per dialogue: its rows, and its row as last mapped. */
interface Held {
  rows: RoundRows;
  row: DialogueRow;
  dialogue: Dialogue;
}

/** Dialogues kept per store, the 8 most recently loaded: a long-lived server sees many. */
const CACHES = new WeakMap<DialogueStore, LRUCache<string, Held>>();

function cacheOf(store: DialogueStore): LRUCache<string, Held> {
  let cache = CACHES.get(store);
  if (!cache) CACHES.set(store, (cache = new LRUCache({ max: 8 })));
  return cache;
}

/** Per table: `held`'s rows as they were, or, for a table changed from round N, its rows before N and `fresh`'s (read from N). */
function mergeRows(held: RoundRows, fresh: RoundRows, changes: RoundChanges): RoundRows {
  const keep = <K extends 'rounds' | 'panel' | 'responses' | 'perspectives' | 'tensions' | 'scores'>(t: K): RoundRows[K] => {
    const from = changes[t];
    if (from === undefined) return held[t];
    return [...(held[t] as { round: number }[]).filter((r) => r.round < from), ...fresh[t]] as RoundRows[K];
  };
  const keepOrdered = <K extends 'contributors' | 'events' | 'signals' | 'refs'>(t: K): RoundRows[K] => {
    const from = changes[t];
    if (from === undefined) return held[t];
    const rows = [...(held[t] as Ordered<{ round: number }>[]).filter((r) => r.row.round < from), ...(fresh[t] as Ordered<{ round: number }>[])];
    return rows.sort((a, b) => a.order - b.order) as RoundRows[K];
  };
  return {
    rounds: keep('rounds'),
    panel: keep('panel'),
    responses: keep('responses'),
    perspectives: keep('perspectives'),
    contributors: keepOrdered('contributors'),
    tensions: keep('tensions'),
    events: keepOrdered('events'),
    signals: keepOrdered('signals'),
    refs: keepOrdered('refs'),
    scores: keep('scores'),
  };
}

/** A dialogue's data from its rows; tension states from their events. */
function assemble(store: DialogueStore, dialogue: Dialogue, rows: RoundRows): DialogueData {
  const id = dialogue.id;
  const contributors = new Map<string, string[]>();
  for (const { row: c } of rows.contributors) contributors.set(c.perspective_id, [...(contributors.get(c.perspective_id) ?? []), c.expert]);
  const events = rows.events.map((e) => e.row);
  const panels = new Map<number, PanelRow[]>(rows.rounds.map((r) => [r.round, []]));
  for (const seat of rows.panel) panels.get(seat.round)?.push(seat);
  const responses = new Map<number, ResponseRow[]>(rows.rounds.map((r) => [r.round, []]));
  for (const r of rows.responses) responses.get(r.round)?.push(r);
  return {
    dialogue,
    settings: dialogue.settings,
    pool: dialogue.pool,
    experts: new Map(store.experts(id).map((e) => [e.name, e])),
    rounds: rows.rounds,
    panels,
    responses,
    perspectives: rows.perspectives,
    contributors,
    tensions: withTensionState(rows.tensions, events),
    events,
    signals: rows.signals.map((s) => s.row),
    refs: rows.refs.map((r) => r.row),
    scores: rows.scores,
    constraints: store.constraints(id),
  };
}

/**
 * The id of the workspace's newest dialogue: what a command or tool uses when no id is given.
 * @param hint how to start one, for the error (`run \`blue dialogue start\` first`).
 * @throws UserError E_NOT_FOUND when the workspace has no dialogue.
 */
export function newestDialogueId(store: DialogueStore, hint: string): string {
  const id = store.listDialogues()[0]?.id;
  if (!id) throw new UserError('E_NOT_FOUND', 'no dialogues in this workspace', { expected: hint });
  return id;
}

/**
 * Resolves an id or a unique prefix (or suffix) of one, and reads that dialogue.
 * @throws UserError E_USAGE for an empty or ambiguous id; E_NOT_FOUND when nothing matches;
 *   StoredDataError E_STORED when its stored settings or pool are malformed.
 */
export function findDialogue(store: DialogueStore, idOrPrefix: string): Dialogue {
  return toDialogue(findDialogueRow(store, idOrPrefix));
}

function findDialogueRow(store: DialogueStore, idOrPrefix: string): DialogueRow {
  // An empty prefix would match every dialogue, and a lone one would be picked silently.
  if (idOrPrefix.trim() === '') throw new UserError('E_USAGE', 'the dialogue id is empty', { where: { field: '<id>' }, expected: 'an id or unique prefix from `blue dialogue list`' });
  const exact = store.getDialogue(idOrPrefix);
  if (exact) return exact;
  const matches = store.listDialogues().filter((d) => d.id.startsWith(idOrPrefix) || d.id.endsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UserError('E_USAGE', `"${idOrPrefix}" matches ${matches.length} dialogues`, { expected: 'a unique dialogue id (see `blue dialogue list`)' });
  }
  throw new UserError('E_NOT_FOUND', `no dialogue "${idOrPrefix}"`, { expected: 'an id from `blue dialogue list`' });
}

/** Display name of an expert (`muffin` → `Muffin`). */
export function display(data: DialogueData, name: string): string {
  return data.experts.get(name)?.display ?? name;
}

/** The panel of a round as members. */
export function panelMembers(data: DialogueData, round: number): PanelMember[] {
  return (data.panels.get(round) ?? []).map((seat) => {
    const e = data.experts.get(seat.expert);
    if (!e) throw new BlueError('E_INTERNAL', `panel seat ${seat.expert} has no expert row`);
    return {
      name: e.display,
      role: e.role,
      tier: e.tier,
      relevance: e.relevance,
      source: seat.source,
      ...(e.focus ? { focus: e.focus } : {}),
    };
  });
}

/** Parsed synthesis of a judged round, or null. */
export function synthesisOf(row: Round | undefined): RoundSynthesis | null {
  if (!row?.synthesisJson) return null;
  const cached = SYNTHESES.get(row);
  if (cached) return cached;
  const parsed = roundSynthesisSchema.safeParse(JSON.parse(row.synthesisJson));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BlueError('E_INTERNAL', `round ${row.round} of dialogue ${row.dialogueId}: rounds.synthesis_json at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  SYNTHESES.set(row, parsed.data);
  return parsed.data;
}

/** Parsed syntheses by row object: the engine's loads keep a judged round's row, so it is parsed once. */
const SYNTHESES = new WeakMap<Round, RoundSynthesis>();
