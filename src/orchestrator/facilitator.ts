/**
 * The facilitator's public API: start a dialogue, resume one, steer one. Provides the
 * statechart's actors over the engine, turns Ctrl-C into its CANCEL event, stores the state's
 * name as it changes (resume rebuilds the position from the store), and reports progress.
 */
import path from 'node:path';
import { createActor, toPromise } from 'xstate';
import { UserError, cleanUserText, writeFileAtomic } from '../core/index.ts';
import { recordingProvider } from '../llm/index.ts';
import type { DialogueStatus } from '../store/index.ts';
import { Settling, phaseActors, roundFacts } from './chart-actors.ts';
import { findDialogue, loadDialogue } from './data.ts';
import type { EngineDeps, StartInput } from './deps.ts';
import { type FacilitatorActor, type FacilitatorInput, type ResumePoint, endingOf, facilitatorMachine } from './machine.ts';
import { holdLease } from './lease.ts';
import { prepareDialogue } from './prepare.ts';
import { restoreMissingFiles } from './restore.ts';
import { settingsJson } from './dialogue.ts';
import { DEFAULT_CONSECUTIVE_FAILURES, type DialogueSettings } from './settings.ts';

/** How a run ended. `error` is set for failed, budget and provider-unavailable endings. */
export interface DialogueResult {
  id: string;
  dir: string;
  outcome: DialogueStatus;
  rounds: number;
  error?: unknown;
}

/** Statuses a dialogue can be resumed from. */
const RESUMABLE: ReadonlySet<DialogueStatus> = new Set(['open', 'budget_exhausted', 'cancelled', 'failed', 'provider_unavailable']);

/**
 * Runs a new dialogue to its end (converged, forced, recording exhausted…).
 * @throws UserError for bad input found before the dialogue exists (empty question, existing folder).
 */
export async function startDialogue(deps: EngineDeps, input: StartInput, settings: DialogueSettings): Promise<DialogueResult> {
  let release = (): void => undefined;
  const prepare = () => {
    const id = prepareDialogue(deps, input, settings);
    release = holdLease(deps, id);
    return id;
  };
  try {
    return await drive(withRecorder(deps), prepare, { consecutiveFailureLimit: settings.consecutiveFailures ?? DEFAULT_CONSECUTIVE_FAILURES });
  } finally {
    release();
  }
}

/**
 * Continues a dialogue from its stored state; stored expert responses are never asked again.
 * @throws UserError E_NOT_FOUND for an unknown id, E_STATE when it already ended, E_LEASE while another process runs it.
 */
export async function resumeDialogue(deps: EngineDeps, idOrPrefix: string, overrides: Partial<DialogueSettings> = {}): Promise<DialogueResult> {
  const release = holdLease(deps, findDialogue(deps.store, idOrPrefix).id);
  try {
    return await resumeHeld(deps, idOrPrefix, overrides);
  } finally {
    release();
  }
}

/** {@link resumeDialogue} once the lease is held: the row is read after taking it, so a run that just ended is seen as ended. */
async function resumeHeld(deps: EngineDeps, idOrPrefix: string, overrides: Partial<DialogueSettings>): Promise<DialogueResult> {
  const row = findDialogue(deps.store, idOrPrefix);
  if (!RESUMABLE.has(row.status)) {
    throw new UserError('E_STATE', `dialogue ${row.id} already ended: ${row.status}`, { expected: 'an open, cancelled, failed, budget_exhausted or provider_unavailable dialogue' });
  }
  const at = deps.clock.now().toISOString();
  deps.store.tx(() => {
    if (Object.keys(overrides).length > 0) {
      deps.store.updateSettings(row.id, settingsJson({ ...row.settings, ...overrides }, row.sources), at);
    }
    deps.store.setStatus(row.id, 'open', at);
  });
  // Files a failed write left missing are rendered again from the store before anything runs.
  if (deps.root) restoreMissingFiles(deps.root, loadDialogue(deps.store, row.id));
  const point = resumePoint(deps, row.id);
  deps.onEvent?.({ type: 'dialogue', id: row.id, dir: row.dir, status: 'resumed' });
  const { settings } = findDialogue(deps.store, row.id);
  const never = () => {
    throw new UserError('E_STATE', 'resume never prepares');
  };
  return drive(withRecorder(deps), never, { resume: { dialogueId: row.id, ...point }, consecutiveFailureLimit: settings.consecutiveFailures ?? DEFAULT_CONSECUTIVE_FAILURES });
}

/**
 * Adds a constraint that the next round's prompts carry (a CONSTRAINT PIVOT in its summary). A
 * dialogue this process is running gets it as a STEER event; any other is steered under its lease.
 * @throws UserError E_STATE when the dialogue already ended; E_USAGE for an empty constraint; E_LEASE while another process runs it.
 */
export function steerDialogue(deps: Pick<EngineDeps, 'store' | 'clock' | 'lease'>, idOrPrefix: string, constraint: string): { id: string; round: number } {
  const id = findDialogue(deps.store, idOrPrefix).id;
  const actor = running.get(id);
  if (actor) {
    actor.send({ type: 'STEER', constraint: steerText(constraint) });
    return { id, round: actor.getSnapshot().context.round + 1 };
  }
  const release = holdLease(deps, id);
  try {
    return steerHeld(deps, id, constraint);
  } finally {
    release();
  }
}

function steerHeld(deps: Pick<EngineDeps, 'store' | 'clock'>, id: string, constraint: string): { id: string; round: number } {
  const row = findDialogue(deps.store, id);
  if (!RESUMABLE.has(row.status)) throw new UserError('E_STATE', `dialogue ${row.id} already ended: ${row.status}`, { expected: 'a dialogue that can still run' });
  return { id: row.id, round: addConstraint(deps, row.id, steerText(constraint)) };
}

/** The constraint's text, cleaned. @throws UserError E_USAGE when it is empty. */
function steerText(constraint: string): string {
  const text = cleanUserText(constraint).trim();
  if (!text) throw new UserError('E_USAGE', 'the constraint is empty', { expected: '--constraint "text"' });
  return text;
}

/** The first round whose prompts are not built yet: the last one while nobody answered it, else the next. */
function steerRound(deps: Pick<EngineDeps, 'store'>, id: string): number {
  const last = deps.store.rounds(id).at(-1);
  return !last ? 0 : last.status === 'running' && deps.store.responses(id, last.round, { prompt: false }).length === 0 ? last.round : last.round + 1;
}

/** Stores a constraint for `round` (default {@link steerRound}); returns that round. */
function addConstraint(deps: Pick<EngineDeps, 'store' | 'clock'>, id: string, text: string, round = steerRound(deps, id)): number {
  deps.store.addConstraint(id, round, text, deps.clock.now().toISOString());
  return round;
}

/**
 * Where to re-enter, rebuilt from the store (no snapshot is read): an unjudged round is asked
 * again (skipping stored responses); a judged one is re-written and gated again on its stored counts.
 */
function resumePoint(deps: EngineDeps, id: string): ResumePoint {
  const last = deps.store.rounds(id).at(-1);
  if (!last || last.status === 'running') return { round: last?.round ?? 0, at: 'asking' };
  const { settings } = findDialogue(deps.store, id);
  return { round: last.round, at: 'writing', facts: roundFacts(deps, last.round, settings, { openTensions: last.openTensions, newPerspectives: last.newPerspectives, convergePercent: last.convergePercent }) };
}

/** Actors running in this process, by dialogue id: a steer for one of them is an event, not a second writer. */
const running = new Map<string, FacilitatorActor>();

async function drive(deps: EngineDeps, prepare: () => string, input: FacilitatorInput): Promise<DialogueResult> {
  const settled = new Settling();
  // Registered as soon as the dialogue exists, before its first call can steer it.
  const registered = (id: string): string => (running.set(id, actor), id);
  const steer = (id: string, text: string, round: number) => void addConstraint(deps, id, text, round);
  const actor: FacilitatorActor = createActor(facilitatorMachine.provide(phaseActors(deps, () => registered(prepare()), settled, steer)), { input });
  if (input.resume) registered(input.resume.dialogueId);
  let state = '';
  actor.subscribe((snap) => {
    const id = snap.context.dialogueId;
    // Only the state name is kept (`blue dialogue status` shows it); resume rebuilds from the store.
    const name = stateName(snap.value);
    if (id && name !== state) deps.store.setChartState(id, name);
    state = name;
  });
  // Ctrl-C (or an MCP client leaving) is an event for the chart, which stops its own calls.
  const cancel = () => actor.send({ type: 'CANCEL' });
  deps.signal?.addEventListener('abort', cancel, { once: true });
  actor.start();
  if (deps.signal?.aborted) cancel();
  await toPromise(actor).catch(() => undefined);
  deps.signal?.removeEventListener('abort', cancel);
  await settled.all();
  const snap = actor.getSnapshot();
  const { dialogueId, error } = snap.context;
  if (dialogueId && running.get(dialogueId) === actor) running.delete(dialogueId);
  const outcome = endingOf(snap.value) ?? 'failed';
  if (!dialogueId) throw error;
  const row = deps.store.getDialogue(dialogueId)!;
  const rounds = deps.store.rounds(dialogueId).filter((r) => r.status === 'judged').length;
  deps.onEvent?.({ type: 'end', outcome, rounds });
  return { id: dialogueId, dir: row.dir, outcome, rounds, ...(error ? { error } : {}) };
}

/** `{ running: { round: 'asking' } }` → `running.round.asking`. */
function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', ''];
  return `${key}.${stateName(inner)}`;
}

/** With `record`, every successful call is saved as `recording/round-N/<expert>.json` in the dialogue folder. */
function withRecorder(deps: EngineDeps): EngineDeps {
  if (!deps.record || !deps.root) return deps;
  const root = deps.root;
  const provider = recordingProvider(deps.provider, (entry) => {
    const id = entry.meta.dialogueId;
    const row = id ? deps.store.getDialogue(id) : undefined;
    if (!row || entry.meta.round === undefined) return;
    const file = path.join(root, row.dir, 'recording', `round-${entry.meta.round}`, `${entry.meta.expert ?? entry.meta.purpose}.json`);
    writeFileAtomic(file, `${JSON.stringify(entry, null, 2)}\n`);
  });
  return { ...deps, provider };
}
