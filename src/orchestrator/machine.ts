/**
 * The facilitator statechart (ARCHITECTURE §3), XState v5. Guards are pure functions of the
 * context; all I/O happens in invoked promise actors (`phases`) that receive an AbortSignal.
 *
 *   idle → preparing → round.running → round.judging → round.writing → gate
 *        → evolving → round.running … | finalizing → converged | forced | recording_exhausted
 *        | budget_exhausted | failed | cancelled
 */
import { assign, fromPromise, setup } from 'xstate';
import { BlueError } from '../core/index.ts';
import type { DialogueStatus } from '../store/index.ts';
import type { RoundDecision } from './judge-round.ts';

/** Where a resumed dialogue re-enters the chart. */
export type ResumePhase = 'running' | 'writing' | 'evolving' | 'finalizing';

/** The I/O the chart invokes. Each receives the dialogue id, the round and an AbortSignal. */
export interface Phases {
  prepare(signal: AbortSignal): Promise<string>;
  runRound(id: string, round: number, signal: AbortSignal): Promise<void>;
  judgeRound(id: string, round: number, signal: AbortSignal): Promise<RoundDecision>;
  writeRound(id: string, round: number): Promise<void>;
  evolve(id: string, round: number): Promise<void>;
  finish(id: string, outcome: DialogueStatus, error: unknown): Promise<void>;
}

/** Machine input: a new dialogue, or a resume point. */
export type FacilitatorInput = { resume?: { dialogueId: string; round: number; phase: ResumePhase; decision?: RoundDecision; outcome?: DialogueStatus } };

/** Machine context. */
export interface FacilitatorContext {
  dialogueId: string | null;
  round: number;
  decision: RoundDecision | null;
  outcome: DialogueStatus | null;
  error: unknown;
  /** Set when resuming: where to re-enter. */
  resumePhase: ResumePhase | null;
}

/** Maps an error to the ending it causes. */
export function outcomeForError(err: unknown): DialogueStatus {
  if (err instanceof BlueError && err.code === 'E_BUDGET') return 'budget_exhausted';
  if (err instanceof BlueError && err.code === 'E_CANCELLED') return 'cancelled';
  return 'failed';
}

const failTo = { target: '#facilitator.finalizing', actions: 'recordError' } as const;

/** Builds the chart over concrete phases. */
export function createFacilitatorMachine(phases: Phases) {
  return setup({
    types: { context: {} as FacilitatorContext, input: {} as FacilitatorInput },
    actors: {
      prepare: fromPromise<string>(({ signal }) => phases.prepare(signal)),
      runRound: fromPromise<void, { id: string; round: number }>(({ input, signal }) => phases.runRound(input.id, input.round, signal)),
      judgeRound: fromPromise<RoundDecision, { id: string; round: number }>(({ input, signal }) => phases.judgeRound(input.id, input.round, signal)),
      writeRound: fromPromise<void, { id: string; round: number }>(({ input }) => phases.writeRound(input.id, input.round)),
      evolve: fromPromise<void, { id: string; round: number }>(({ input }) => phases.evolve(input.id, input.round)),
      finish: fromPromise<void, { id: string; outcome: DialogueStatus; error: unknown }>(({ input }) => phases.finish(input.id, input.outcome, input.error)),
    },
    actions: {
      recordError: assign({
        error: ({ event }) => (event as { error?: unknown }).error,
        outcome: ({ event }) => outcomeForError((event as { error?: unknown }).error),
      }),
    },
    guards: {
      resuming: ({ context }) => context.dialogueId !== null,
      resumeAt: ({ context }, params: { phase: ResumePhase }) => context.resumePhase === params.phase,
      decisionIs: ({ context }, params: { decision: RoundDecision }) => context.decision === params.decision,
      outcomeIs: ({ context }, params: { outcome: DialogueStatus }) => context.outcome === params.outcome,
    },
  }).createMachine({
    id: 'facilitator',
    context: ({ input }) => ({
      dialogueId: input.resume?.dialogueId ?? null,
      round: input.resume?.round ?? 0,
      decision: input.resume?.decision ?? null,
      outcome: input.resume?.outcome ?? null,
      error: null,
      resumePhase: input.resume?.phase ?? null,
    }),
    initial: 'idle',
    states: {
      idle: {
        always: [
          { guard: { type: 'resumeAt', params: { phase: 'writing' } }, target: 'round.writing' },
          { guard: { type: 'resumeAt', params: { phase: 'evolving' } }, target: 'evolving' },
          { guard: { type: 'resumeAt', params: { phase: 'finalizing' } }, target: 'finalizing' },
          { guard: 'resuming', target: 'round.running' },
          { target: 'preparing' },
        ],
      },
      preparing: {
        invoke: {
          src: 'prepare',
          onDone: { target: 'round', actions: assign({ dialogueId: ({ event }) => event.output, round: 0 }) },
          onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error, outcome: 'failed' }) },
        },
      },
      round: {
        initial: 'running',
        states: {
          running: {
            invoke: { src: 'runRound', input: ({ context }) => ({ id: context.dialogueId!, round: context.round }), onDone: 'judging', onError: failTo },
          },
          judging: {
            invoke: {
              src: 'judgeRound',
              input: ({ context }) => ({ id: context.dialogueId!, round: context.round }),
              onDone: { target: 'writing', actions: assign({ decision: ({ event }) => event.output }) },
              onError: failTo,
            },
          },
          writing: {
            invoke: { src: 'writeRound', input: ({ context }) => ({ id: context.dialogueId!, round: context.round }), onDone: '#facilitator.gate', onError: failTo },
          },
        },
      },
      gate: {
        always: [
          { guard: { type: 'decisionIs', params: { decision: 'converged' } }, target: 'finalizing', actions: assign({ outcome: 'converged' }) },
          { guard: { type: 'decisionIs', params: { decision: 'forced' } }, target: 'finalizing', actions: assign({ outcome: 'forced' }) },
          { guard: { type: 'decisionIs', params: { decision: 'recording_exhausted' } }, target: 'finalizing', actions: assign({ outcome: 'recording_exhausted' }) },
          { target: 'evolving' },
        ],
      },
      evolving: {
        invoke: {
          src: 'evolve',
          input: ({ context }) => ({ id: context.dialogueId!, round: context.round }),
          onDone: { target: 'round', actions: assign({ round: ({ context }) => context.round + 1, decision: null }) },
          onError: failTo,
        },
      },
      finalizing: {
        invoke: {
          src: 'finish',
          input: ({ context }) => ({ id: context.dialogueId!, outcome: context.outcome ?? 'failed', error: context.error }),
          onDone: [
            { guard: { type: 'outcomeIs', params: { outcome: 'converged' } }, target: 'converged' },
            { guard: { type: 'outcomeIs', params: { outcome: 'forced' } }, target: 'forced' },
            { guard: { type: 'outcomeIs', params: { outcome: 'recording_exhausted' } }, target: 'recording_exhausted' },
            { guard: { type: 'outcomeIs', params: { outcome: 'budget_exhausted' } }, target: 'budget_exhausted' },
            { guard: { type: 'outcomeIs', params: { outcome: 'cancelled' } }, target: 'cancelled' },
            { target: 'failed' },
          ],
          // A run that already failed keeps its first error (the cause), not the one writing its ending hit.
          onError: { target: 'failed', actions: assign({ error: ({ context, event }) => context.error ?? event.error, outcome: 'failed' }) },
        },
      },
      converged: { type: 'final' },
      forced: { type: 'final' },
      recording_exhausted: { type: 'final' },
      budget_exhausted: { type: 'final' },
      cancelled: { type: 'final' },
      failed: { type: 'final' },
    },
  });
}
