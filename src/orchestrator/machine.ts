/**
 * The facilitator statechart (ARCHITECTURE §3), XState v5: the map of a dialogue.
 *
 *   idle → preparing → running.round: asking → judging → writing → running.gate
 *   gate → converged | forced | recording_exhausted             (the round's counts decide)
 *        | premise_check → round                                 (agreed before min rounds)
 *        | evolving → round                                      (panel evolution)
 *   running → provider_unavailable | budget_exhausted | cancelled | failed   (events)
 *
 * Every ending passes through `finalizing`, which stores it and writes the dialogue's files.
 * What happens arrives as events (an expert answered or failed, the round was judged, the user
 * steered or cancelled, the budget ran out, the provider is unavailable); the guards are named
 * pure functions of facts in the context (counts, settings). All I/O lives in the invoked actors,
 * which are placeholders here: the facilitator swaps in real ones with `.provide()`, tests stubs.
 */
import { type ActorRefFrom, type AnyEventObject, assign, fromCallback, setup } from 'xstate';
import { BlueError } from '../core/index.ts';
import { type UnavailableCause, unavailableCause } from '../llm/index.ts';
import type { DialogueStatus } from '../store/index.ts';
import { isSettled, reachedMaxRounds, reachedMinRounds } from './metrics.ts';

/** What the gate reads after a round was judged: its counts and the settings they are held to. */
export interface RoundFacts {
  /** Dialogue-wide open (or reopened) tensions after the round. */
  openTensions: number;
  /** Perspectives of the round that are not refinements or duplicates. */
  newPerspectives: number;
  /** 0..100: the share of the round's panel that signalled [MOVE:CONVERGE]. */
  convergePercent: number;
  minRounds: number;
  maxRounds: number;
  /** False when replaying a recording that has no next round. */
  nextRoundAvailable: boolean;
}

/** Events: what happens to a dialogue. */
export type FacilitatorEvent =
  | { type: 'DIALOGUE_PREPARED'; dialogueId: string }
  | { type: 'EXPERT_ANSWERED'; expert: string }
  | { type: 'EXPERT_FAILED'; expert: string; error: unknown; unavailable?: UnavailableCause }
  /** Every pending expert was asked; `replies` counts the round's stored answers (earlier runs included). */
  | { type: 'PANEL_ASKED'; replies: number }
  | { type: 'ROUND_JUDGED'; facts: RoundFacts }
  | { type: 'ROUND_WRITTEN' }
  | { type: 'PANEL_SEATED' }
  | { type: 'STEER'; constraint: string }
  | { type: 'CANCEL' }
  | { type: 'BUDGET_EXHAUSTED'; error: unknown }
  | { type: 'PROVIDER_UNAVAILABLE'; cause: UnavailableCause; error: unknown }
  | { type: 'FAILED'; error: unknown }
  | { type: 'FINISHED' };

/** Where a resumed dialogue re-enters the chart: an unjudged round is asked again, a judged one re-written and gated. */
export type ResumePoint = { round: number; at: 'asking' } | { round: number; at: 'writing'; facts: RoundFacts };

/** Machine input: a new dialogue, or a resume point; and K, the failed calls in a row that mean the provider is down. */
export interface FacilitatorInput {
  resume?: ResumePoint & { dialogueId: string };
  consecutiveFailureLimit: number;
}

/** Machine context: the facts the guards read. */
export interface FacilitatorContext {
  dialogueId: string | null;
  round: number;
  resumeAt: ResumePoint['at'] | null;
  /** Failed calls since the last answer, across rounds. */
  failuresInARow: number;
  consecutiveFailureLimit: number;
  /** The last judged round's facts, read by the gate. */
  facts: RoundFacts | null;
  outcome: DialogueStatus | null;
  unavailable: UnavailableCause | null;
  error: unknown;
}

/** Input of the round actors (ask, judge, write, seat). */
export interface RoundInput {
  dialogueId: string;
  round: number;
}

/** Input of the finishing actor. */
export interface FinishInput {
  dialogueId: string;
  outcome: DialogueStatus;
  error: unknown;
}

/**
 * The event an actor's failure stands for: a budget refusal, a cancellation, an unavailable
 * provider, or any other failure.
 */
export function eventForError(error: unknown): FacilitatorEvent {
  const cause = unavailableCause(error);
  if (cause) return { type: 'PROVIDER_UNAVAILABLE', cause, error };
  if (error instanceof BlueError && error.code === 'E_BUDGET') return { type: 'BUDGET_EXHAUSTED', error };
  if (error instanceof BlueError && error.code === 'E_CANCELLED') return { type: 'CANCEL' };
  return { type: 'FAILED', error };
}

/**
 * An actor running one phase: `run` gets the input and an AbortSignal that fires when the chart
 * leaves the state (cancel, provider unavailable); it resolves to the event that ends the phase
 * and may send events meanwhile (`send`). A rejection becomes {@link eventForError}.
 */
export function phaseActor<I>(run: (input: I, signal: AbortSignal, send: (e: FacilitatorEvent) => void) => Promise<FacilitatorEvent>) {
  return fromCallback<AnyEventObject, I>(({ input, sendBack }) => {
    const controller = new AbortController();
    run(input, controller.signal, sendBack).then(sendBack, (err: unknown) => sendBack(eventForError(err)));
    return () => controller.abort();
  });
}

/** Placeholder for an actor the facilitator (or a test) provides. */
const unprovided = (name: string) =>
  phaseActor<unknown>(() => Promise.reject(new BlueError('E_INTERNAL', `facilitator actor "${name}" was not provided`)));

/** Guards: pure functions of facts. Exported so tests can check each one alone. */
export const guards = {
  /** The gate's counts are settled (nothing open, nothing new, 100 % converge) and min rounds ran. */
  converged: (c: FacilitatorContext): boolean => c.facts !== null && isSettled(c.facts) && reachedMinRounds(c.round, c.facts),
  /** Max rounds are used up without convergence. */
  maxRoundsReached: (c: FacilitatorContext): boolean => c.facts !== null && reachedMaxRounds(c.round, c.facts),
  /** A replayed recording has no next round to play. */
  recordingExhausted: (c: FacilitatorContext): boolean => c.facts !== null && !c.facts.nextRoundAvailable,
  /** Agreement before min rounds: the next round checks the premise instead of stopping. */
  agreedEarly: (c: FacilitatorContext): boolean => c.facts !== null && isSettled(c.facts) && !reachedMinRounds(c.round, c.facts),
  /** This failure makes K failed calls in a row. */
  failureLimitReached: (c: FacilitatorContext): boolean => c.failuresInARow + 1 >= c.consecutiveFailureLimit,
  /** Nobody answered this round: it is not judged and does not count. */
  nobodyAnswered: (replies: number): boolean => replies === 0,
};

const ENDINGS = ['converged', 'forced', 'recording_exhausted', 'budget_exhausted', 'provider_unavailable', 'cancelled', 'failed'] as const;

/** The chart. Its actors are placeholders: run it through `.provide({ actors })`. */
export const facilitatorMachine = setup({
  types: { context: {} as FacilitatorContext, events: {} as FacilitatorEvent, input: {} as FacilitatorInput },
  actors: {
    prepare: unprovided('prepare') as ReturnType<typeof phaseActor<null>>,
    askPanel: unprovided('askPanel') as ReturnType<typeof phaseActor<RoundInput>>,
    judgeRound: unprovided('judgeRound') as ReturnType<typeof phaseActor<RoundInput>>,
    writeRound: unprovided('writeRound') as ReturnType<typeof phaseActor<RoundInput>>,
    seatPanel: unprovided('seatPanel') as ReturnType<typeof phaseActor<RoundInput>>,
    finish: unprovided('finish') as ReturnType<typeof phaseActor<FinishInput>>,
  },
  actions: {
    /** Records a constraint for `round` (provided by the facilitator). */
    steer: (_, _params: { dialogueId: string; round: number; constraint: string }) => undefined,
    countAnswer: assign({ failuresInARow: 0 }),
    countFailure: assign({ failuresInARow: ({ context }) => context.failuresInARow + 1 }),
    nextRound: assign({ round: ({ context }) => context.round + 1 }),
    end: assign((_, params: { outcome: DialogueStatus; error?: unknown; unavailable?: UnavailableCause }) => ({
      outcome: params.outcome,
      error: params.error ?? null,
      unavailable: params.unavailable ?? null,
    })),
  },
  guards: {
    resumesAt: ({ context }, params: { at: ResumePoint['at'] }) => context.resumeAt === params.at,
    hasDialogue: ({ context }) => context.dialogueId !== null,
    converged: ({ context }) => guards.converged(context),
    maxRoundsReached: ({ context }) => guards.maxRoundsReached(context),
    recordingExhausted: ({ context }) => guards.recordingExhausted(context),
    agreedEarly: ({ context }) => guards.agreedEarly(context),
    providerRefused: ({ event }) => event.type === 'EXPERT_FAILED' && event.unavailable !== undefined,
    failureLimitReached: ({ context }) => guards.failureLimitReached(context),
    nobodyAnswered: ({ event }) => event.type === 'PANEL_ASKED' && guards.nobodyAnswered(event.replies),
    endedAs: ({ context }, params: { outcome: DialogueStatus }) => context.outcome === params.outcome,
  },
}).createMachine({
  id: 'facilitator',
  context: ({ input }) => ({
    dialogueId: input.resume?.dialogueId ?? null,
    round: input.resume?.round ?? 0,
    resumeAt: input.resume?.at ?? null,
    failuresInARow: 0,
    consecutiveFailureLimit: Math.max(1, input.consecutiveFailureLimit),
    facts: input.resume?.at === 'writing' ? input.resume.facts : null,
    outcome: null,
    unavailable: null,
    error: null,
  }),
  initial: 'idle',
  // While a dialogue runs it can be steered: the current round's prompts are built, so the
  // constraint reaches the next one. Before the dialogue exists there is nothing to steer.
  on: {
    STEER: { guard: 'hasDialogue', actions: { type: 'steer', params: ({ context, event }) => ({ dialogueId: context.dialogueId!, round: context.round + 1, constraint: event.constraint }) } },
  },
  states: {
    idle: {
      always: [
        { guard: { type: 'resumesAt', params: { at: 'writing' } }, target: 'running.round.writing' },
        { guard: { type: 'resumesAt', params: { at: 'asking' } }, target: 'running' },
        { target: 'preparing' },
      ],
    },
    preparing: {
      invoke: { src: 'prepare', input: null },
      on: {
        DIALOGUE_PREPARED: { target: 'running', actions: assign({ dialogueId: ({ event }) => event.dialogueId }) },
        // Nothing exists yet to store an ending on.
        FAILED: { target: 'failed', actions: { type: 'end', params: ({ event }) => ({ outcome: 'failed', error: event.error }) } },
        CANCEL: { target: 'cancelled', actions: { type: 'end', params: { outcome: 'cancelled' } } },
      },
    },
    // A dialogue that exists and runs. Leaving it stops the current actor: its AbortSignal fires
    // and in-flight calls are aborted.
    running: {
      initial: 'round',
      on: {
        CANCEL: { target: 'finalizing', actions: { type: 'end', params: { outcome: 'cancelled' } } },
        BUDGET_EXHAUSTED: { target: 'finalizing', actions: { type: 'end', params: ({ event }) => ({ outcome: 'budget_exhausted', error: event.error }) } },
        PROVIDER_UNAVAILABLE: {
          target: 'finalizing',
          actions: { type: 'end', params: ({ event }) => ({ outcome: 'provider_unavailable', error: event.error, unavailable: event.cause }) },
        },
        FAILED: { target: 'finalizing', actions: { type: 'end', params: ({ event }) => ({ outcome: 'failed', error: event.error }) } },
      },
      states: {
        round: {
          initial: 'asking',
          states: {
            asking: {
              invoke: { src: 'askPanel', input: ({ context }) => ({ dialogueId: context.dialogueId!, round: context.round }) },
              on: {
                EXPERT_ANSWERED: { actions: 'countAnswer' },
                EXPERT_FAILED: [
                  {
                    guard: 'providerRefused',
                    target: '#facilitator.finalizing',
                    actions: { type: 'end', params: ({ event }) => ({ outcome: 'provider_unavailable', error: event.error, unavailable: event.unavailable! }) },
                  },
                  {
                    guard: 'failureLimitReached',
                    target: '#facilitator.finalizing',
                    actions: {
                      type: 'end',
                      params: ({ context, event }) => ({ outcome: 'provider_unavailable', unavailable: 'consecutive_failures', error: consecutiveFailures(context, event.error) }),
                    },
                  },
                  { actions: 'countFailure' },
                ],
                PANEL_ASKED: [
                  {
                    guard: 'nobodyAnswered',
                    target: '#facilitator.finalizing',
                    actions: { type: 'end', params: ({ context }) => ({ outcome: 'provider_unavailable', unavailable: 'every_call_failed', error: everyCallFailed(context.round) }) },
                  },
                  { target: 'judging' },
                ],
              },
            },
            judging: {
              invoke: { src: 'judgeRound', input: ({ context }) => ({ dialogueId: context.dialogueId!, round: context.round }) },
              on: { ROUND_JUDGED: { target: 'writing', actions: assign({ facts: ({ event }) => event.facts }) } },
            },
            writing: {
              invoke: { src: 'writeRound', input: ({ context }) => ({ dialogueId: context.dialogueId!, round: context.round }) },
              on: { ROUND_WRITTEN: '#facilitator.running.gate' },
            },
          },
        },
        gate: {
          always: [
            { guard: 'converged', target: '#facilitator.finalizing', actions: { type: 'end', params: { outcome: 'converged' } } },
            { guard: 'maxRoundsReached', target: '#facilitator.finalizing', actions: { type: 'end', params: { outcome: 'forced' } } },
            { guard: 'recordingExhausted', target: '#facilitator.finalizing', actions: { type: 'end', params: { outcome: 'recording_exhausted' } } },
            { guard: 'agreedEarly', target: 'premise_check' },
            { target: 'evolving' },
          ],
        },
        // The panel agreed too early: the judged plan seats a panel told to test the shared premise.
        premise_check: {
          invoke: { src: 'seatPanel', input: ({ context }) => ({ dialogueId: context.dialogueId!, round: context.round }) },
          on: { PANEL_SEATED: { target: 'round', actions: 'nextRound' } },
        },
        // Panel evolution: the judged plan's retained, rotated and added experts take their seats.
        evolving: {
          invoke: { src: 'seatPanel', input: ({ context }) => ({ dialogueId: context.dialogueId!, round: context.round }) },
          on: { PANEL_SEATED: { target: 'round', actions: 'nextRound' } },
        },
      },
    },
    finalizing: {
      invoke: {
        src: 'finish',
        input: ({ context }) => ({ dialogueId: context.dialogueId!, outcome: context.outcome ?? 'failed', error: context.error }),
      },
      on: {
        FINISHED: [...ENDINGS.slice(0, -1).map((outcome) => ({ guard: { type: 'endedAs' as const, params: { outcome } }, target: outcome })), { target: 'failed' as const }],
        // A run that already failed keeps its first error (the cause), not the one writing its ending hit.
        FAILED: { target: 'failed', actions: assign({ outcome: 'failed', error: ({ context, event }) => context.error ?? event.error }) },
      },
    },
    converged: { type: 'final' },
    forced: { type: 'final' },
    recording_exhausted: { type: 'final' },
    budget_exhausted: { type: 'final' },
    provider_unavailable: { type: 'final' },
    cancelled: { type: 'final' },
    failed: { type: 'final' },
  },
});

/** The one-line error naming K failed calls in a row, with the last call's reason. */
function consecutiveFailures(context: FacilitatorContext, last: unknown): BlueError {
  const why = last instanceof Error ? `; the last: ${last.message}` : '';
  return new BlueError('E_LLM', `provider unavailable: ${context.failuresInARow + 1} calls failed in a row${why}`);
}

/** The one-line error of a round in which no expert answered. */
function everyCallFailed(round: number): BlueError {
  return new BlueError('E_LLM', `provider unavailable: every expert call of round ${round} failed; the round is not judged and does not count`);
}

/** A running facilitator. */
export type FacilitatorActor = ActorRefFrom<typeof facilitatorMachine>;

/** The ending a snapshot's state value names, or null while the chart runs. */
export function endingOf(value: unknown): DialogueStatus | null {
  return typeof value === 'string' && (ENDINGS as readonly string[]).includes(value) ? (value as DialogueStatus) : null;
}
