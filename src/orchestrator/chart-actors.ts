/**
 * The facilitator chart's actors over the engine: each phase of a dialogue (prepare, ask the
 * panel, judge, write, seat the next panel, finish) as an actor that reports what happened as
 * chart events, and the steer action. The chart (machine.ts) decides what follows.
 */
import type { DialogueStatus } from '../store/index.ts';
import { unavailableCause } from '../llm/index.ts';
import { writeDialogueDocuments, writePanelYaml, writeRoundDocuments } from './artifacts.ts';
import { ENGINE_LOAD, findDialogue, loadDialogue, synthesisOf } from './data.ts';
import type { EngineDeps } from './deps.ts';
import { judgeRound } from './judge-round.ts';
import { type FacilitatorEvent, type FinishInput, type RoundFacts, type RoundInput, phaseActor } from './machine.ts';
import { seatPanel } from './prepare.ts';
import { type ExpertOutcome, runRound } from './round-runner.ts';
import type { DialogueSettings } from './settings.ts';

/**
 * The actors and actions to `.provide()` to the chart. `prepare` creates the dialogue (start
 * only); `addConstraint` stores a steer; `settled` tracks phases the chart stopped.
 */
export function phaseActors(deps: EngineDeps, prepare: () => string, settled: Settling, addConstraint: (id: string, text: string, round: number) => void) {
  return {
    actors: {
      prepare: phaseActor<null>(async () => {
        const id = prepare();
        const row = deps.store.getDialogue(id)!;
        deps.onEvent?.({ type: 'dialogue', id, dir: row.dir, status: 'started' });
        return { type: 'DIALOGUE_PREPARED', dialogueId: id };
      }),
      askPanel: phaseActor<RoundInput>(async ({ dialogueId, round }, signal, send) => {
        const report = (o: ExpertOutcome) => send(o.answered ? { type: 'EXPERT_ANSWERED', expert: o.expert } : expertFailed(o.expert, o.error));
        const { replies } = await settled.track(runRound({ ...deps, signal }, dialogueId, round, report));
        return { type: 'PANEL_ASKED', replies };
      }),
      judgeRound: phaseActor<RoundInput>(async ({ dialogueId, round }, signal) => {
        const { metrics } = await settled.track(judgeRound(deps, dialogueId, round, signal));
        const cost = deps.store.llmCalls(dialogueId).filter((c) => c.round === round).reduce((a, c) => a + c.cost_usd, 0);
        deps.onEvent?.({ type: 'round-end', round, velocity: metrics.velocity, convergePercent: metrics.convergePercent, openTensions: metrics.openTensions, newPerspectives: metrics.newPerspectives, costUsd: cost });
        const { settings } = findDialogue(deps.store, dialogueId);
        return { type: 'ROUND_JUDGED', facts: roundFacts(deps, round, settings, metrics) };
      }),
      writeRound: phaseActor<RoundInput>(async ({ dialogueId, round }) => {
        if (deps.root) writeRoundDocuments(deps.root, loadDialogue(deps.store, dialogueId, ENGINE_LOAD), round);
        return { type: 'ROUND_WRITTEN' };
      }),
      seatPanel: phaseActor<RoundInput>(async ({ dialogueId, round }) => {
        seatNextPanel(deps, dialogueId, round);
        return { type: 'PANEL_SEATED' };
      }),
      finish: phaseActor<FinishInput>(async ({ dialogueId, outcome }) => {
        // The calls a stop aborted are stored before the ending is.
        await settled.all();
        try {
          finishDialogue(deps, dialogueId, outcome);
        } catch (error) {
          return { type: 'FAILED', error };
        }
        return { type: 'FINISHED' };
      }),
    },
    actions: {
      steer: (_: unknown, params: { dialogueId: string; round: number; constraint: string }) => addConstraint(params.dialogueId, params.constraint, params.round),
    },
  };
}

/** An expert's failed call as an event; one that says the provider is unavailable names the cause. */
function expertFailed(expert: string, error: unknown): FacilitatorEvent {
  const cause = unavailableCause(error);
  return { type: 'EXPERT_FAILED', expert, error, ...(cause ? { unavailable: cause } : {}) };
}

/** Seats round `round + 1`'s panel as round `round`'s judging planned it, and writes its panel file. */
function seatNextPanel(deps: EngineDeps, id: string, round: number): void {
  const data = loadDialogue(deps.store, id, ENGINE_LOAD);
  const syn = synthesisOf(data.rounds.find((r) => r.round === round));
  const next = syn?.nextPanel ?? [];
  const reasons = new Map<string, string>([
    ...(syn?.panelEvolution?.retain.map((r) => [r.expert, r.reason] as const) ?? []),
    ...(syn?.panelEvolution?.add.map((a) => [a.expert, a.reason] as const) ?? []),
  ]);
  deps.store.tx(() => seatPanel(deps, id, round + 1, next.map((member) => ({ member, reason: reasons.get(member.name) ?? '' })), deps.clock.now().toISOString()));
  if (deps.root) writePanelYaml(deps.root, loadDialogue(deps.store, id, ENGINE_LOAD), round + 1);
}

/** Stores the ending once its files are written; until then the dialogue stays resumable (`failed`). */
function finishDialogue(deps: EngineDeps, id: string, outcome: DialogueStatus): void {
  const at = deps.clock.now().toISOString();
  if (!deps.root) return deps.store.setStatus(id, outcome, at);
  const data = loadDialogue(deps.store, id, ENGINE_LOAD);
  try {
    writeDialogueDocuments(deps.root, { ...data, dialogue: { ...data.dialogue, status: outcome, updatedAt: at } });
  } catch (err) {
    deps.store.setStatus(id, 'failed', at);
    throw err;
  }
  deps.store.setStatus(id, outcome, at);
}

/** The gate's facts: a judged round's counts, the dialogue's round limits, and whether a replay has a next round. */
export function roundFacts(deps: EngineDeps, round: number, settings: Pick<DialogueSettings, 'minRounds' | 'maxRounds'>, counts: Pick<RoundFacts, 'openTensions' | 'newPerspectives' | 'convergePercent'>): RoundFacts {
  return { ...counts, minRounds: settings.minRounds, maxRounds: settings.maxRounds, nextRoundAvailable: !deps.recording || deps.recording.rounds[round + 1] !== undefined };
}

/** Promises of phases the chart has stopped: the run ends only once they settled (their calls are stored). */
export class Settling {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `p` until it settles; returns it unchanged. */
  track<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(() => undefined, () => undefined);
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return p;
  }

  /** Resolves once every tracked promise settled. */
  async all(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
