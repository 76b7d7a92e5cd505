/**
 * The facilitator's public API: start a dialogue, resume one, steer one. Wires the statechart
 * to the phases, persists its snapshot after every settled transition, and reports progress.
 */
import path from 'node:path';
import { createActor, toPromise } from 'xstate';
import { UserError, cleanUserText, writeFileAtomic } from '../core/index.ts';
import { recordingProvider } from '../llm/record.ts';
import type { DialogueStatus } from '../store/index.ts';
import { writeDialogueDocuments, writePanelYaml, writeRoundDocuments } from './artifacts.ts';
import { ENGINE_LOAD, findDialogue, loadDialogue, synthesisOf } from './data.ts';
import type { EngineDeps, StartInput } from './deps.ts';
import { type RoundDecision, judgeRound } from './judge-round.ts';
import { type FacilitatorInput, type Phases, type ResumePhase, createFacilitatorMachine } from './machine.ts';
import { holdLease } from './lease.ts';
import { prepareDialogue, seatPanel } from './prepare.ts';
import { restoreMissingFiles } from './restore.ts';
import { runRound } from './round-runner.ts';
import type { DialogueSettings } from './settings.ts';

/** How a run ended. `error` is set for failed/budget/cancelled endings. */
export interface DialogueResult {
  id: string;
  dir: string;
  outcome: DialogueStatus;
  rounds: number;
  error?: unknown;
}

/** Statuses a dialogue can be resumed from. */
const RESUMABLE: ReadonlySet<DialogueStatus> = new Set(['open', 'budget_exhausted', 'cancelled', 'failed']);

/**
 * Runs a new dialogue to its end (converged, forced, recording exhausted…).
 * @throws UserError for bad input found before the dialogue exists (empty question, existing folder).
 */
export async function startDialogue(deps: EngineDeps, input: StartInput, settings: DialogueSettings): Promise<DialogueResult> {
  let release = (): void => undefined;
  const phases = createPhases(withRecorder(deps), () => {
    const id = prepareDialogue(deps, input, settings);
    release = holdLease(deps, id);
    return id;
  });
  try {
    return await drive(deps, phases, {});
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
    throw new UserError('E_STATE', `dialogue ${row.id} already ended: ${row.status}`, { expected: 'an open, cancelled, failed or budget_exhausted dialogue' });
  }
  const at = deps.clock.now().toISOString();
  deps.store.tx(() => {
    if (Object.keys(overrides).length > 0) {
      const settings = { ...(JSON.parse(row.settings_json) as DialogueSettings), ...overrides };
      deps.store.updateSettings(row.id, JSON.stringify(settings), at);
    }
    deps.store.setStatus(row.id, 'open', at);
  });
  // Files a failed write left missing are rendered again from the store before anything runs.
  if (deps.root) restoreMissingFiles(deps.root, loadDialogue(deps.store, row.id));
  const point = resumePoint(deps, row.id);
  deps.onEvent?.({ type: 'dialogue', id: row.id, dir: row.dir, status: 'resumed' });
  const phases = createPhases(withRecorder(deps), () => {
    throw new UserError('E_STATE', 'resume never prepares');
  });
  return drive(deps, phases, { resume: { dialogueId: row.id, ...point } });
}

/**
 * Adds a constraint that the next round's prompts carry (a CONSTRAINT PIVOT in its summary).
 * @throws UserError E_STATE when the dialogue already ended; E_USAGE for an empty constraint; E_LEASE while another process runs it.
 */
export function steerDialogue(deps: Pick<EngineDeps, 'store' | 'clock' | 'lease'>, idOrPrefix: string, constraint: string): { id: string; round: number } {
  const release = holdLease(deps, findDialogue(deps.store, idOrPrefix).id);
  try {
    return steerHeld(deps, idOrPrefix, constraint);
  } finally {
    release();
  }
}

function steerHeld(deps: Pick<EngineDeps, 'store' | 'clock'>, idOrPrefix: string, constraint: string): { id: string; round: number } {
  const row = findDialogue(deps.store, idOrPrefix);
  if (!RESUMABLE.has(row.status)) throw new UserError('E_STATE', `dialogue ${row.id} already ended: ${row.status}`, { expected: 'a dialogue that can still run' });
  const text = cleanUserText(constraint).trim();
  if (!text) throw new UserError('E_USAGE', 'the constraint is empty', { expected: '--constraint "text"' });
  const rounds = deps.store.rounds(row.id);
  const last = rounds.at(-1);
  const round = !last ? 0 : last.status === 'running' && deps.store.responses(row.id, last.round).length === 0 ? last.round : last.round + 1;
  deps.store.addConstraint(row.id, round, text, deps.clock.now().toISOString());
  return { id: row.id, round };
}

/**
 * Where to re-enter: an unjudged round runs again (skipping stored responses); a judged one is
 * re-written and gated again with the decision its judging stored.
 */
function resumePoint(deps: EngineDeps, id: string): { round: number; phase: ResumePhase; decision?: RoundDecision } {
  const last = deps.store.rounds(id).at(-1);
  if (!last) return { round: 0, phase: 'running' };
  if (last.status === 'running') return { round: last.round, phase: 'running' };
  const decision = synthesisOf(last)?.decision;
  return { round: last.round, phase: 'writing', ...(decision ? { decision } : {}) };
}

async function drive(deps: EngineDeps, phases: Phases, input: FacilitatorInput): Promise<DialogueResult> {
  const actor = createActor(createFacilitatorMachine(phases), { input });
  actor.subscribe((snap) => {
    const id = snap.context.dialogueId;
    if (id) deps.store.saveSnapshot(id, stateName(snap.value), actor.getPersistedSnapshot(), deps.clock.now().toISOString());
  });
  actor.start();
  await toPromise(actor).catch(() => undefined);
  const snap = actor.getSnapshot();
  const { dialogueId, outcome, error } = snap.context;
  if (!dialogueId) throw error;
  const row = deps.store.getDialogue(dialogueId)!;
  const rounds = deps.store.rounds(dialogueId).filter((r) => r.status === 'judged').length;
  deps.onEvent?.({ type: 'end', outcome: outcome ?? 'failed', rounds });
  return { id: dialogueId, dir: row.dir, outcome: outcome ?? 'failed', rounds, ...(error ? { error } : {}) };
}

/** `{ round: 'running' }` → `round.running`. */
function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', ''];
  return `${key}.${stateName(inner)}`;
}

function createPhases(deps: EngineDeps, prepare: () => string): Phases {
  return {
    prepare: async () => {
      const id = prepare();
      const row = deps.store.getDialogue(id)!;
      deps.onEvent?.({ type: 'dialogue', id, dir: row.dir, status: 'started' });
      return id;
    },
    runRound: (id, round, signal) => runRound({ ...deps, signal: deps.signal ?? signal }, id, round),
    judgeRound: async (id, round, signal) => {
      const { decision, metrics } = await judgeRound(deps, id, round, deps.signal ?? signal);
      const cost = deps.store.llmCalls(id).filter((c) => c.round === round).reduce((a, c) => a + c.cost_usd, 0);
      deps.onEvent?.({ type: 'round-end', round, velocity: metrics.velocity, convergePercent: metrics.convergePercent, openTensions: metrics.openTensions, newPerspectives: metrics.newPerspectives, costUsd: cost });
      return decision;
    },
    writeRound: async (id, round) => {
      if (deps.root) writeRoundDocuments(deps.root, loadDialogue(deps.store, id, ENGINE_LOAD), round);
    },
    evolve: async (id, round) => {
      const data = loadDialogue(deps.store, id, ENGINE_LOAD);
      const syn = synthesisOf(data.rounds.find((r) => r.round === round));
      const next = syn?.nextPanel ?? [];
      const reasons = new Map<string, string>([
        ...(syn?.panelEvolution?.retain.map((r) => [r.expert, r.reason] as const) ?? []),
        ...(syn?.panelEvolution?.add.map((a) => [a.expert, a.reason] as const) ?? []),
      ]);
      deps.store.tx(() => seatPanel(deps, id, round + 1, next.map((member) => ({ member, reason: reasons.get(member.name) ?? '' })), deps.clock.now().toISOString()));
      if (deps.root) writePanelYaml(deps.root, loadDialogue(deps.store, id, ENGINE_LOAD), round + 1);
    },
    finish: async (id, outcome) => {
      const at = deps.clock.now().toISOString();
      if (!deps.root) return deps.store.setStatus(id, outcome, at);
      const data = loadDialogue(deps.store, id, ENGINE_LOAD);
      try {
        writeDialogueDocuments(deps.root, { ...data, dialogue: { ...data.dialogue, status: outcome, updated_at: at } });
      } catch (err) {
        // The ending is stored only once its files are written: until then the dialogue stays resumable.
        deps.store.setStatus(id, 'failed', at);
        throw err;
      }
      deps.store.setStatus(id, outcome, at);
    },
  };
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
