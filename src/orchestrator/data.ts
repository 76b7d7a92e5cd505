/**
 * Everything stored about one dialogue, loaded in one go, with lookups the view builders
 * need. Read-only.
 */
import { BlueError, UserError } from '../core/index.ts';
import type { PanelMember, Pool, Tier } from '../experts/types.ts';
import type {
  DialogueRow,
  DialogueStore,
  ExpertRow,
  PanelRow,
  PerspectiveDbRow,
  RefRow,
  ResponseRow,
  RoundRow,
  ScoreDbRow,
  SignalRow,
  TensionDbRow,
  TensionEventRow,
} from '../store/index.ts';
import type { DialogueSettings } from './settings.ts';

/** Synthesis of a round stored with its metrics (deterministic, optionally judge-written). */
export interface RoundSynthesis {
  decision: 'converged' | 'forced' | 'continue' | 'recording_exhausted';
  blocked: string[];
  premiseCheck: boolean;
  camps: { name: string; members: string[]; stance: string }[];
  keyQuestion: string | null;
  recommendations: { id: string; label: string; from: string }[];
  panelEvolution: {
    retain: { expert: string; reason: string }[];
    rotateOut: { expert: string; reason: string }[];
    add: { expert: string; role: string; source: 'pool' | 'created'; reason: string }[];
  } | null;
  /** Next round's panel (display names) with directives, when the dialogue continues. */
  nextPanel: (PanelMember & { directive?: string })[] | null;
  notes: string[];
  answer?: string | null;
  decisions?: { topic: string; decision: string; rationale: string; sources: string[] }[];
}

/** A loaded dialogue. */
export interface DialogueData {
  dialogue: DialogueRow;
  settings: DialogueSettings;
  pool: Pool;
  experts: Map<string, ExpertRow>;
  rounds: RoundRow[];
  panels: Map<number, PanelRow[]>;
  responses: Map<number, ResponseRow[]>;
  perspectives: PerspectiveDbRow[];
  contributors: Map<string, string[]>;
  tensions: TensionDbRow[];
  events: TensionEventRow[];
  signals: SignalRow[];
  refs: RefRow[];
  scores: ScoreDbRow[];
  constraints: { round_added: number; text: string }[];
}

/** The engine's load: everything but the stored prompts (only a missing audit file needs one). */
export const ENGINE_LOAD = { prompts: false } as const;

/**
 * Loads a dialogue by id (or unique id prefix). With `prompts: false` the responses' `prompt` is
 * `''` and never read (the engine's loads: a rendered prompt is most of a stored response).
 * @throws UserError E_NOT_FOUND when no dialogue matches.
 */
export function loadDialogue(store: DialogueStore, idOrPrefix: string, opts: { prompts?: boolean } = {}): DialogueData {
  const dialogue = findDialogue(store, idOrPrefix);
  const id = dialogue.id;
  const rounds = store.rounds(id);
  const contributors = new Map<string, string[]>();
  for (const c of store.contributors(id)) contributors.set(c.perspective_id, [...(contributors.get(c.perspective_id) ?? []), c.expert]);
  return {
    dialogue,
    settings: JSON.parse(dialogue.settings_json) as DialogueSettings,
    pool: JSON.parse(dialogue.pool_json) as Pool,
    experts: new Map(store.experts(id).map((e) => [e.name, e])),
    rounds,
    panels: new Map(rounds.map((r) => [r.round, store.panel(id, r.round)])),
    responses: new Map(rounds.map((r) => [r.round, store.responses(id, r.round, { prompt: opts.prompts !== false })])),
    perspectives: store.perspectives(id),
    contributors,
    tensions: store.tensions(id),
    events: store.tensionEvents(id),
    signals: store.signals(id),
    refs: store.refs(id),
    scores: store.scores(id),
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
 * Resolves an id or a unique prefix (or suffix) of one.
 * @throws UserError E_USAGE for an empty or ambiguous id; E_NOT_FOUND when nothing matches.
 */
export function findDialogue(store: DialogueStore, idOrPrefix: string): DialogueRow {
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
      tier: e.tier as Tier,
      relevance: e.relevance,
      source: seat.source,
      ...(e.focus ? { focus: e.focus } : {}),
    };
  });
}

/** Parsed synthesis of a judged round, or null. */
export function synthesisOf(row: RoundRow | undefined): RoundSynthesis | null {
  return row?.synthesis_json ? (JSON.parse(row.synthesis_json) as RoundSynthesis) : null;
}
