/**
 * The facilitator chart alone: its actors swapped with `.provide()` for scripted stubs, every
 * state visited and every final state reached, with the guards' order and the events' effects
 * asserted, so that removing any transition or guard fails a test here. The guards are also
 * checked as pure functions.
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { BlueError } from '../../src/core/index.ts';
import { ProviderUnavailable } from '../../src/llm/port.ts';
import {
  type FacilitatorContext,
  type FacilitatorEvent,
  type FacilitatorInput,
  type FinishInput,
  type RoundFacts,
  eventForError,
  facilitatorMachine,
  guards,
  phaseActor,
} from '../../src/orchestrator/machine.ts';

/** A round's counts: unsettled by default (one open tension), min 1, max 5, a next round available. */
const facts = (over: Partial<RoundFacts> = {}): RoundFacts => ({ openTensions: 1, newPerspectives: 0, convergePercent: 100, minRounds: 1, maxRounds: 5, nextRoundAvailable: true, ...over });
const SETTLED = { openTensions: 0, newPerspectives: 0, convergePercent: 100 };

type Send = (e: FacilitatorEvent) => void;

/** What each stub does; unset entries succeed at once. */
interface Script {
  prepare?: (signal: AbortSignal) => Promise<FacilitatorEvent>;
  /** Round → what asking the panel does (default: two answers, `PANEL_ASKED` with 2 replies). */
  ask?: Record<number, (send: Send, signal: AbortSignal) => Promise<FacilitatorEvent>>;
  /** Round → the judged facts, or an error. */
  judge?: Record<number, RoundFacts | Error>;
  write?: Error;
  seat?: Error;
  finish?: Error;
}

/** Never settles until the state is left (the signal fires), then rejects as a cancelled call would. */
const pendingUntilAborted = (signal: AbortSignal) => new Promise<FacilitatorEvent>((_, reject) => signal.addEventListener('abort', () => reject(new BlueError('E_CANCELLED', 'aborted'))));

function chart(script: Script) {
  const calls = { prepare: 0, ask: [] as number[], judge: [] as number[], write: [] as number[], seat: [] as number[], finish: [] as { outcome: string }[], steer: [] as { dialogueId: string; round: number; constraint: string }[], aborted: [] as string[] };
  const track = (name: string, signal: AbortSignal) => signal.addEventListener('abort', () => calls.aborted.push(name));
  const machine = facilitatorMachine.provide({
    actors: {
      prepare: phaseActor<null>(async (_, signal) => {
        calls.prepare++;
        return script.prepare ? script.prepare(signal) : { type: 'DIALOGUE_PREPARED', dialogueId: 'd1' };
      }),
      askPanel: phaseActor<{ dialogueId: string; round: number }>(async ({ round }, signal, send) => {
        calls.ask.push(round);
        track(`ask ${round}`, signal);
        const own = script.ask?.[round];
        if (own) return own(send, signal);
        send({ type: 'EXPERT_ANSWERED', expert: 'muffin' });
        send({ type: 'EXPERT_ANSWERED', expert: 'scone' });
        return { type: 'PANEL_ASKED', replies: 2 };
      }),
      judgeRound: phaseActor<{ dialogueId: string; round: number }>(async ({ round }) => {
        calls.judge.push(round);
        const f = script.judge?.[round] ?? facts(SETTLED);
        if (f instanceof Error) throw f;
        return { type: 'ROUND_JUDGED', facts: f };
      }),
      writeRound: phaseActor<{ dialogueId: string; round: number }>(async ({ round }) => {
        calls.write.push(round);
        if (script.write) throw script.write;
        return { type: 'ROUND_WRITTEN' };
      }),
      seatPanel: phaseActor<{ dialogueId: string; round: number }>(async ({ round }) => {
        calls.seat.push(round);
        if (script.seat) throw script.seat;
        return { type: 'PANEL_SEATED' };
      }),
      finish: phaseActor<FinishInput>(async ({ outcome }) => {
        calls.finish.push({ outcome });
        return script.finish ? { type: 'FAILED', error: script.finish } : { type: 'FINISHED' };
      }),
    },
    actions: {
      steer: (_, params) => void calls.steer.push(params),
    },
  });
  return { machine, calls };
}

/** Runs the chart to a final state; `poke` may send events once it started. */
async function run(script: Script, input: Partial<FacilitatorInput> = {}, poke?: (send: Send, visited: string[]) => void) {
  const { machine, calls } = chart(script);
  const actor = createActor(machine, { input: { consecutiveFailureLimit: 3, ...input } });
  const visited: string[] = [];
  actor.subscribe((s) => {
    const name = JSON.stringify(s.value);
    if (visited.at(-1) !== name) visited.push(name);
  });
  actor.start();
  poke?.((e) => actor.send(e), visited);
  await toPromise(actor);
  const snap = actor.getSnapshot();
  return { final: snap.value, context: snap.context, visited, calls };
}

const ASKING = JSON.stringify({ running: { round: 'asking' } });
const JUDGING = JSON.stringify({ running: { round: 'judging' } });
const WRITING = JSON.stringify({ running: { round: 'writing' } });
const EVOLVING = JSON.stringify({ running: 'evolving' });
const PREMISE = JSON.stringify({ running: 'premise_check' });
const FINALIZING = JSON.stringify('finalizing');
const q = (s: string) => JSON.stringify(s);
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the facilitator chart: the gate', () => {
  it('unsettled → evolving → next round; settled with min rounds run → converged', async () => {
    const r = await run({ judge: { 0: facts(), 1: facts(SETTLED) } });
    expect(r.final).toBe('converged');
    expect(r.visited).toEqual([q('preparing'), ASKING, JUDGING, WRITING, EVOLVING, ASKING, JUDGING, WRITING, FINALIZING, q('converged')]);
    expect(r.calls).toMatchObject({ prepare: 1, ask: [0, 1], judge: [0, 1], write: [0, 1], seat: [0], finish: [{ outcome: 'converged' }] });
    expect(r.context).toMatchObject({ dialogueId: 'd1', round: 1, outcome: 'converged' });
  });

  it('settled before min rounds → premise_check seats a panel and runs another round', async () => {
    const r = await run({ judge: { 0: facts({ ...SETTLED, minRounds: 2 }), 1: facts({ ...SETTLED, minRounds: 2 }) } });
    expect(r.final).toBe('converged');
    expect(r.visited).toContain(PREMISE);
    expect(r.visited).not.toContain(EVOLVING);
    expect(r.calls.seat).toEqual([0]);
    expect(r.calls.ask).toEqual([0, 1]);
  });

  it('max rounds used up without convergence → forced', async () => {
    const r = await run({ judge: { 0: facts({ maxRounds: 1 }) } });
    expect(r.final).toBe('forced');
    expect(r.calls.finish).toEqual([{ outcome: 'forced' }]);
    expect(r.calls.seat).toEqual([]);
  });

  it('a replay without a next round → recording_exhausted', async () => {
    const r = await run({ judge: { 0: facts({ nextRoundAvailable: false }) } });
    expect(r.final).toBe('recording_exhausted');
    expect(r.calls.finish).toEqual([{ outcome: 'recording_exhausted' }]);
  });

  it('guard order: converged beats max rounds and an exhausted recording; max rounds beats an exhausted recording; both beat the premise check', async () => {
    expect((await run({ judge: { 0: facts({ ...SETTLED, maxRounds: 1, nextRoundAvailable: false }) } })).final).toBe('converged');
    expect((await run({ judge: { 0: facts({ maxRounds: 1, nextRoundAvailable: false }) } })).final).toBe('forced');
    expect((await run({ judge: { 0: facts({ ...SETTLED, minRounds: 2, nextRoundAvailable: false }) } })).final).toBe('recording_exhausted');
    expect((await run({ judge: { 0: facts({ ...SETTLED, minRounds: 3, maxRounds: 1 }) } })).final).toBe('forced');
  });
});

describe('the facilitator chart: failure is a state', () => {
  it('an expert failure naming an unavailable provider → provider_unavailable at once; the round is left (its calls aborted) and not judged', async () => {
    const auth = new ProviderUnavailable('auth', 'rejected key');
    const r = await run({
      ask: {
        0: async (send, signal) => {
          send({ type: 'EXPERT_FAILED', expert: 'muffin', error: auth, unavailable: 'auth' });
          return pendingUntilAborted(signal);
        },
      },
    });
    expect(r.final).toBe('provider_unavailable');
    expect(r.context).toMatchObject({ unavailable: 'auth', error: auth, outcome: 'provider_unavailable' });
    expect(r.calls.aborted).toEqual(['ask 0']);
    expect(r.calls.judge).toEqual([]);
    expect(r.calls.finish).toEqual([{ outcome: 'provider_unavailable' }]);
  });

  it('K failed calls in a row → provider_unavailable; the K-th failure stops it, not one before', async () => {
    const sent: number[] = [];
    const r = await run({
      ask: {
        0: async (send, signal) => {
          for (let i = 1; i <= 5; i++) {
            // Calls settle one by one, as in a real round.
            await tick();
            if (signal.aborted) break;
            sent.push(i);
            send({ type: 'EXPERT_FAILED', expert: `e${i}`, error: new BlueError('E_LLM', `boom ${i}`) });
          }
          return pendingUntilAborted(signal);
        },
      },
    });
    expect(r.final).toBe('provider_unavailable');
    expect(sent).toEqual([1, 2, 3]);
    expect(r.context.unavailable).toBe('consecutive_failures');
    expect((r.context.error as Error).message).toBe('provider unavailable: 3 calls failed in a row; the last: boom 3');
  });

  it('an answer resets the count: fail, fail, answer, fail, fail is judged; K comes from the input', async () => {
    const failed = (send: Send, i: number) => send({ type: 'EXPERT_FAILED', expert: `e${i}`, error: new BlueError('E_LLM', 'boom') });
    const r = await run({
      ask: {
        0: async (send) => {
          failed(send, 1);
          failed(send, 2);
          send({ type: 'EXPERT_ANSWERED', expert: 'muffin' });
          failed(send, 3);
          failed(send, 4);
          return { type: 'PANEL_ASKED', replies: 1 };
        },
      },
    });
    expect(r.final).toBe('converged');
    expect(r.context.failuresInARow).toBe(2);
    const k2 = await run({ ask: { 0: async (send, signal) => (failed(send, 1), failed(send, 2), pendingUntilAborted(signal)) } }, { consecutiveFailureLimit: 2 });
    expect(k2.final).toBe('provider_unavailable');
  });

  it('a round in which nobody replied → provider_unavailable, not judged and not counted', async () => {
    const r = await run({ ask: { 0: async () => ({ type: 'PANEL_ASKED', replies: 0 }) } });
    expect(r.final).toBe('provider_unavailable');
    expect(r.context).toMatchObject({ unavailable: 'every_call_failed', round: 0 });
    expect(r.calls.judge).toEqual([]);
    expect(r.calls.seat).toEqual([]);
  });

  it('an unavailable provider thrown by asking or judging → provider_unavailable with its cause', async () => {
    const spent = new ProviderUnavailable('spend_limit', 'spend limit');
    const asked = await run({ ask: { 0: async () => Promise.reject(spent) } });
    expect(asked.final).toBe('provider_unavailable');
    expect(asked.context).toMatchObject({ unavailable: 'spend_limit', error: spent });
    const judged = await run({ judge: { 0: new ProviderUnavailable('unreachable', 'down') } });
    expect(judged.final).toBe('provider_unavailable');
    expect(judged.context.unavailable).toBe('unreachable');
  });

  it('the budget refusing a call → budget_exhausted, from asking or judging', async () => {
    const refused = new BlueError('E_BUDGET', 'over');
    const asked = await run({ ask: { 0: async () => Promise.reject(refused) } });
    expect(asked.final).toBe('budget_exhausted');
    expect(asked.context.error).toBe(refused);
    expect(asked.calls.finish).toEqual([{ outcome: 'budget_exhausted' }]);
    expect((await run({ judge: { 0: refused } })).final).toBe('budget_exhausted');
  });

  it('any other failure of asking, judging, writing or seating → failed with its error, stored through finalizing', async () => {
    const boom = new Error('disk');
    for (const script of [{ ask: { 0: async () => Promise.reject(boom) } }, { judge: { 0: boom } }, { write: boom }, { seat: boom, judge: { 0: facts() } }] as Script[]) {
      const r = await run(script);
      expect(r.final).toBe('failed');
      expect(r.context.error).toBe(boom);
      expect(r.calls.finish).toEqual([{ outcome: 'failed' }]);
    }
  });

  it('preparing fails → failed, with nothing to finish', async () => {
    const bad = new BlueError('E_USAGE', 'empty question');
    const r = await run({ prepare: async () => Promise.reject(bad) });
    expect(r.final).toBe('failed');
    expect(r.context.error).toBe(bad);
    expect(r.calls.finish).toEqual([]);
  });

  it('finishing fails → failed, keeping the first error (the cause) when there was one', async () => {
    const refused = new BlueError('E_BUDGET', 'over');
    const disk = new Error('ENOSPC');
    const kept = await run({ ask: { 0: async () => Promise.reject(refused) }, finish: disk });
    expect(kept.final).toBe('failed');
    expect(kept.context).toMatchObject({ outcome: 'failed', error: refused });
    const own = await run({ finish: disk });
    expect(own.final).toBe('failed');
    expect(own.context.error).toBe(disk);
  });
});

describe('the facilitator chart: cancel, steer, resume', () => {
  it('CANCEL while asking → cancelled: the round actor is stopped (its signal fires) and the ending stored', async () => {
    const r = await run({ ask: { 0: async (_, signal) => pendingUntilAborted(signal) } }, {}, (send) => void tick().then(() => send({ type: 'CANCEL' })));
    expect(r.final).toBe('cancelled');
    expect(r.calls.aborted).toEqual(['ask 0']);
    expect(r.calls.finish).toEqual([{ outcome: 'cancelled' }]);
  });

  it('a cancelled call (E_CANCELLED) is a CANCEL', async () => {
    const r = await run({ ask: { 0: async () => Promise.reject(new BlueError('E_CANCELLED', 'cancelled')) } });
    expect(r.final).toBe('cancelled');
  });

  it('CANCEL while evolving or checking the premise → cancelled', async () => {
    for (const first of [facts(), facts({ ...SETTLED, minRounds: 2 })]) {
      const { machine } = chart({ judge: { 0: first } });
      const seating = machine.provide({ actors: { seatPanel: phaseActor(async (_, signal) => pendingUntilAborted(signal)) } });
      const actor = createActor(seating, { input: { consecutiveFailureLimit: 3 } });
      let sent = false;
      actor.subscribe((s) => {
        // Once: a chart that ignored it must time out, not loop.
        if (!sent && typeof s.value === 'object' && ['evolving', 'premise_check'].includes(String((s.value as { running?: unknown }).running))) {
          sent = true;
          actor.send({ type: 'CANCEL' });
        }
      });
      actor.start();
      await toPromise(actor);
      expect(actor.getSnapshot().value).toBe('cancelled');
    }
  });

  it('CANCEL while preparing → cancelled, nothing to finish', async () => {
    const r = await run({ prepare: (signal) => pendingUntilAborted(signal) }, {}, (send) => void tick().then(() => send({ type: 'CANCEL' })));
    expect(r.final).toBe('cancelled');
    expect(r.calls.finish).toEqual([]);
  });

  it('STEER records a constraint for the running dialogue; before it exists there is nothing to steer', async () => {
    const r = await run({ ask: { 0: async (_, signal) => pendingUntilAborted(signal) } }, {}, (send) =>
      void tick().then(() => {
        send({ type: 'STEER', constraint: 'no breaking changes' });
        send({ type: 'CANCEL' });
      }),
    );
    expect(r.calls.steer).toEqual([{ dialogueId: 'd1', round: 1, constraint: 'no breaking changes' }]);
    const early = await run({ prepare: (signal) => pendingUntilAborted(signal) }, {}, (send) => {
      send({ type: 'STEER', constraint: 'too early' });
      void tick().then(() => send({ type: 'CANCEL' }));
    });
    expect(early.calls.steer).toEqual([]);
  });

  it('resume at an unjudged round asks it again without preparing', async () => {
    const r = await run({}, { resume: { dialogueId: 'd9', round: 3, at: 'asking' } });
    expect(r.final).toBe('converged');
    expect(r.calls).toMatchObject({ prepare: 0, ask: [3], judge: [3] });
    expect(r.visited[0]).toBe(ASKING);
  });

  it('resume at a judged round re-writes it and gates on its stored facts', async () => {
    const r = await run({}, { resume: { dialogueId: 'd9', round: 2, at: 'writing', facts: facts({ maxRounds: 3 }) } });
    expect(r.final).toBe('forced');
    expect(r.calls).toMatchObject({ prepare: 0, ask: [], judge: [], write: [2] });
    expect(r.visited[0]).toBe(WRITING);
  });
});

describe('the guards and rules, pure', () => {
  const ctx = (over: Partial<FacilitatorContext> = {}): FacilitatorContext => ({
    dialogueId: 'd', round: 0, resumeAt: null, failuresInARow: 0, consecutiveFailureLimit: 3, facts: null, outcome: null, unavailable: null, error: null, ...over,
  });

  it('converged needs settled counts and min rounds; agreedEarly is settled before min rounds', () => {
    expect(guards.converged(ctx({ round: 1, facts: facts({ ...SETTLED, minRounds: 2 }) }))).toBe(true);
    expect(guards.converged(ctx({ round: 0, facts: facts({ ...SETTLED, minRounds: 2 }) }))).toBe(false);
    expect(guards.agreedEarly(ctx({ round: 0, facts: facts({ ...SETTLED, minRounds: 2 }) }))).toBe(true);
    for (const open of [{ openTensions: 1 }, { newPerspectives: 1 }, { convergePercent: 99 }]) {
      expect(guards.converged(ctx({ round: 4, facts: facts({ ...SETTLED, ...open }) }))).toBe(false);
      expect(guards.agreedEarly(ctx({ round: 0, facts: facts({ ...SETTLED, ...open, minRounds: 2 }) }))).toBe(false);
    }
    expect(guards.converged(ctx())).toBe(false);
  });

  it('maxRoundsReached counts 0-based rounds; recordingExhausted reads the replay', () => {
    expect(guards.maxRoundsReached(ctx({ round: 2, facts: facts({ maxRounds: 3 }) }))).toBe(true);
    expect(guards.maxRoundsReached(ctx({ round: 1, facts: facts({ maxRounds: 3 }) }))).toBe(false);
    expect(guards.recordingExhausted(ctx({ facts: facts({ nextRoundAvailable: false }) }))).toBe(true);
    expect(guards.recordingExhausted(ctx({ facts: facts() }))).toBe(false);
  });

  it('failureLimitReached: this failure makes K in a row; nobodyAnswered: zero replies', () => {
    expect(guards.failureLimitReached(ctx({ failuresInARow: 2 }))).toBe(true);
    expect(guards.failureLimitReached(ctx({ failuresInARow: 1 }))).toBe(false);
    expect(guards.nobodyAnswered(0)).toBe(true);
    expect(guards.nobodyAnswered(1)).toBe(false);
  });

  it('eventForError: unavailable, budget, cancelled, anything else', () => {
    expect(eventForError(new ProviderUnavailable('unreachable', 'x'))).toMatchObject({ type: 'PROVIDER_UNAVAILABLE', cause: 'unreachable' });
    expect(eventForError(new BlueError('E_LLM_AUTH', 'no key'))).toMatchObject({ type: 'PROVIDER_UNAVAILABLE', cause: 'auth' });
    expect(eventForError(new BlueError('E_BUDGET', 'x'))).toMatchObject({ type: 'BUDGET_EXHAUSTED' });
    expect(eventForError(new BlueError('E_CANCELLED', 'x'))).toEqual({ type: 'CANCEL' });
    expect(eventForError(new BlueError('E_LLM', 'x'))).toMatchObject({ type: 'FAILED' });
  });
});
