/**
 * The chart is the map: every transition, guard, action list, assigned key and guarded order in
 * `facilitatorMachine.config` is removed (or dropped, or swapped) one at a time, and each mutant
 * must change the trace of at least one scripted scenario. The scenarios run the chart with
 * synchronous stub actors (each mutant is provided with them once), so the sweep runs in
 * seconds; a transition added without a scenario that needs it fails the census or the sweep.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor, fromCallback } from 'xstate';
import { BlueError } from '../../src/core/index.ts';
import { ProviderUnavailable } from '../../src/llm/port.ts';
import { type FacilitatorEvent, type FacilitatorInput, type RoundFacts, eventForError, facilitatorMachine } from '../../src/orchestrator/machine.ts';
import { mutantsOf } from './chart-mutants.ts';

/** What a stub sends when its state is entered, in order: an event, an error (sent as the event it stands for), or `hang` (still in flight). */
type Step = FacilitatorEvent | Error | 'hang';

/** Per actor, what it does; unset entries succeed (two answers; settled counts, min 1, max 5). */
interface Script {
  prepare?: Step[];
  /** Round → steps of asking the panel. */
  ask?: Record<number, Step[]>;
  /** Round → the judged counts, or steps. */
  judge?: Record<number, RoundFacts | Step[]>;
  write?: Step[];
  seat?: Step[];
  finish?: Step[];
}

interface Scenario {
  name: string;
  script: Script;
  input?: Partial<FacilitatorInput>;
  /** Each state entered (with its actor's round or outcome), each call aborted and each steer, in order. */
  trace: string;
  /** The final state (or where the chart got stuck) and the context the facilitator stores. */
  final: string;
}

const facts = (over: Partial<RoundFacts> = {}): RoundFacts => ({ openTensions: 1, newPerspectives: 0, convergePercent: 100, minRounds: 1, maxRounds: 5, nextRoundAvailable: true, ...over });
const SETTLED = { openTensions: 0, newPerspectives: 0, convergePercent: 100 };
const answered = (expert: string): FacilitatorEvent => ({ type: 'EXPERT_ANSWERED', expert });
const failed = (n: number): FacilitatorEvent => ({ type: 'EXPERT_FAILED', expert: `e${n}`, error: new BlueError('E_LLM', `boom ${n}`) });
const asked = (replies: number): FacilitatorEvent => ({ type: 'PANEL_ASKED', replies });
const auth = new ProviderUnavailable('auth', 'rejected key');
const refusedBy = (cause: ProviderUnavailable): FacilitatorEvent => ({ type: 'EXPERT_FAILED', expert: 'muffin', error: cause, unavailable: cause.unavailable });
/** A run long enough to show a mutant that never stops. */
const MAX_INVOCATIONS = 30;

/** The run in progress: what the stubs read and append to (runs are synchronous, one at a time). */
const current = { script: {} as Script, trace: [] as string[], invocations: 0 };

/** What an actor does for this run's script. */
function stepsFor(src: string, input: { round?: number }): Step[] {
  const { script } = current;
  const r = input.round ?? 0;
  switch (src) {
    case 'prepare':
      return script.prepare ?? [{ type: 'DIALOGUE_PREPARED', dialogueId: 'd1' }];
    case 'askPanel':
      return script.ask?.[r] ?? [answered('muffin'), answered('scone'), asked(2)];
    case 'judgeRound': {
      const j = script.judge?.[r] ?? facts(SETTLED);
      return Array.isArray(j) ? j : [{ type: 'ROUND_JUDGED', facts: j }];
    }
    case 'writeRound':
      return script.write ?? [{ type: 'ROUND_WRITTEN' }];
    case 'seatPanel':
      return script.seat ?? [{ type: 'PANEL_SEATED' }];
    default:
      return script.finish ?? [{ type: 'FINISHED' }];
  }
}

/** A stub actor: traces its state's entry, sends the script's steps at once, traces an abort if it was left in flight. */
const stub = (src: string) =>
  fromCallback<FacilitatorEvent, { round?: number; outcome?: string }>(({ input, self, sendBack }) => {
    // The invoking state's name ends the actor's id ("0.facilitator.running.round.asking").
    const state = self.id.split('.').at(-1)!;
    const label = `${state}${input?.round !== undefined ? ` ${input.round}` : ''}${input?.outcome !== undefined ? ` ${input.outcome}` : ''}`;
    current.trace.push(label);
    if (++current.invocations > MAX_INVOCATIONS) return;
    let inFlight = false;
    for (const step of stepsFor(src, input ?? {})) {
      if (step === 'hang') inFlight = true;
      else sendBack(step instanceof Error ? eventForError(step) : step);
    }
    return () => void (inFlight && current.trace.push(`aborted ${label}`));
  });

const STUBS = {
  actors: Object.fromEntries(['prepare', 'askPanel', 'judgeRound', 'writeRound', 'seatPanel', 'finish'].map((src) => [src, stub(src)])),
  actions: { steer: (_: unknown, p: { dialogueId: string; round: number; constraint: string }) => void current.trace.push(`steer ${p.dialogueId}/${p.round}: ${p.constraint}`) },
};
const withStubs = new WeakMap<AnyStateMachine, AnyStateMachine>();

/** Runs `machine` on a scenario's script, synchronously; returns what it did. */
function run(machine: AnyStateMachine, scenario: Pick<Scenario, 'script' | 'input'>): Pick<Scenario, 'trace' | 'final'> {
  let provided = withStubs.get(machine);
  if (!provided) withStubs.set(machine, (provided = machine.provide(STUBS as never)));
  Object.assign(current, { script: scenario.script, trace: [], invocations: 0 });
  const actor = createActor(provided, { input: { consecutiveFailureLimit: 3, ...scenario.input } });
  actor.subscribe({ error: (err) => void current.trace.push(`threw ${(err as Error).message}`) });
  actor.start();
  const snap = actor.getSnapshot();
  actor.stop();
  return { trace: current.trace.join(' > '), final: summary(snap.status, snap.value, snap.context) };
}

/** The final state and the context the facilitator stores. */
function summary(status: string, value: unknown, c: Record<string, unknown>): string {
  const where = status === 'done' ? String(value) : `stuck in ${JSON.stringify(value)}`;
  const err = c.error instanceof Error ? ` error "${c.error.message}"` : c.error == null ? '' : ` error ${String(c.error)}`;
  const cause = c.unavailable == null ? '' : ` (${String(c.unavailable)})`;
  return `${where}: ${String(c.dialogueId)} round ${String(c.round)}, outcome ${String(c.outcome)}${cause}, ${String(c.failuresInARow)} failed in a row${err}`;
}

const scenarios: Scenario[] = [
  // The gate.
  {
    name: 'unsettled → evolving → next round; settled after min rounds → converged',
    script: { judge: { 0: facts() } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > evolving 0 > asking 1 > judging 1 > writing 1 > finalizing converged',
    final: 'converged: d1 round 1, outcome converged, 0 failed in a row',
  },
  {
    name: 'settled before min rounds → premise_check → next round',
    script: { judge: { 0: facts({ ...SETTLED, minRounds: 2 }), 1: facts({ ...SETTLED, minRounds: 2 }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > premise_check 0 > asking 1 > judging 1 > writing 1 > finalizing converged',
    final: 'converged: d1 round 1, outcome converged, 0 failed in a row',
  },
  {
    name: 'max rounds used up → forced',
    script: { judge: { 0: facts({ maxRounds: 1 }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing forced',
    final: 'forced: d1 round 0, outcome forced, 0 failed in a row',
  },
  {
    name: 'a replay without a next round → recording_exhausted',
    script: { judge: { 0: facts({ nextRoundAvailable: false }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing recording_exhausted',
    final: 'recording_exhausted: d1 round 0, outcome recording_exhausted, 0 failed in a row',
  },
  {
    name: 'converged beats max rounds and an exhausted recording',
    script: { judge: { 0: facts({ ...SETTLED, maxRounds: 1, nextRoundAvailable: false }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing converged',
    final: 'converged: d1 round 0, outcome converged, 0 failed in a row',
  },
  {
    name: 'max rounds beats an exhausted recording',
    script: { judge: { 0: facts({ maxRounds: 1, nextRoundAvailable: false }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing forced',
    final: 'forced: d1 round 0, outcome forced, 0 failed in a row',
  },
  {
    name: 'an exhausted recording beats the premise check',
    script: { judge: { 0: facts({ ...SETTLED, minRounds: 2, nextRoundAvailable: false }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing recording_exhausted',
    final: 'recording_exhausted: d1 round 0, outcome recording_exhausted, 0 failed in a row',
  },
  {
    name: 'max rounds beats the premise check',
    script: { judge: { 0: facts({ ...SETTLED, minRounds: 3, maxRounds: 1 }) } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing forced',
    final: 'forced: d1 round 0, outcome forced, 0 failed in a row',
  },
  // Failure is a state.
  {
    name: 'an expert failure naming an unavailable provider → provider_unavailable, the round aborted',
    script: { ask: { 0: [refusedBy(auth), 'hang'] } },
    trace: 'preparing > asking 0 > aborted asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (auth), 0 failed in a row error "rejected key"',
  },
  {
    name: 'K failed calls in a row → provider_unavailable',
    script: { ask: { 0: [failed(1), failed(2), failed(3), failed(4), 'hang'] } },
    trace: 'preparing > asking 0 > aborted asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (consecutive_failures), 2 failed in a row error "provider unavailable: 3 calls failed in a row; the last: boom 3"',
  },
  {
    name: 'an answer resets the count',
    script: { ask: { 0: [failed(1), failed(2), answered('muffin'), failed(3), failed(4), asked(1)] } },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing converged',
    final: 'converged: d1 round 0, outcome converged, 2 failed in a row',
  },
  {
    name: 'a refusal that is also the K-th failure in a row names its own cause',
    script: { ask: { 0: [failed(1), failed(2), refusedBy(auth), 'hang'] } },
    trace: 'preparing > asking 0 > aborted asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (auth), 2 failed in a row error "rejected key"',
  },
  {
    name: 'K comes from the input',
    script: { ask: { 0: [failed(1), failed(2), 'hang'] } },
    input: { consecutiveFailureLimit: 2 },
    trace: 'preparing > asking 0 > aborted asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (consecutive_failures), 1 failed in a row error "provider unavailable: 2 calls failed in a row; the last: boom 2"',
  },
  {
    name: 'a limit below 1 counts as 1: the first failure stops the dialogue',
    script: { ask: { 0: [failed(1), 'hang'] } },
    input: { consecutiveFailureLimit: 0 },
    trace: 'preparing > asking 0 > aborted asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (consecutive_failures), 0 failed in a row error "provider unavailable: 1 calls failed in a row; the last: boom 1"',
  },
  {
    name: 'nobody replied → provider_unavailable, not judged',
    script: { ask: { 0: [asked(0)] } },
    trace: 'preparing > asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (every_call_failed), 0 failed in a row error "provider unavailable: every expert call of round 0 failed; the round is not judged and does not count"',
  },
  {
    name: 'asking throws an unavailable provider',
    script: { ask: { 0: [new ProviderUnavailable('spend_limit', 'spend limit')] } },
    trace: 'preparing > asking 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (spend_limit), 0 failed in a row error "spend limit"',
  },
  {
    name: 'judging throws an unavailable provider',
    script: { judge: { 0: [new ProviderUnavailable('unreachable', 'down')] } },
    trace: 'preparing > asking 0 > judging 0 > finalizing provider_unavailable',
    final: 'provider_unavailable: d1 round 0, outcome provider_unavailable (unreachable), 0 failed in a row error "down"',
  },
  {
    name: 'the budget refuses a call while asking',
    script: { ask: { 0: [new BlueError('E_BUDGET', 'over')] } },
    trace: 'preparing > asking 0 > finalizing budget_exhausted',
    final: 'budget_exhausted: d1 round 0, outcome budget_exhausted, 0 failed in a row error "over"',
  },
  {
    name: 'the budget refuses a call while judging',
    script: { judge: { 0: [new BlueError('E_BUDGET', 'over')] } },
    trace: 'preparing > asking 0 > judging 0 > finalizing budget_exhausted',
    final: 'budget_exhausted: d1 round 0, outcome budget_exhausted, 0 failed in a row error "over"',
  },
  {
    name: 'asking fails',
    script: { ask: { 0: [new Error('disk')] } },
    trace: 'preparing > asking 0 > finalizing failed',
    final: 'failed: d1 round 0, outcome failed, 0 failed in a row error "disk"',
  },
  {
    name: 'writing fails',
    script: { write: [new Error('disk')] },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing failed',
    final: 'failed: d1 round 0, outcome failed, 0 failed in a row error "disk"',
  },
  {
    name: 'seating fails',
    script: { judge: { 0: facts() }, seat: [new Error('disk')] },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > evolving 0 > finalizing failed',
    final: 'failed: d1 round 0, outcome failed, 0 failed in a row error "disk"',
  },
  {
    name: 'preparing fails → failed, nothing to finish',
    script: { prepare: [new BlueError('E_USAGE', 'empty question')] },
    trace: 'preparing',
    final: 'failed: null round 0, outcome failed, 0 failed in a row error "empty question"',
  },
  {
    name: 'finishing fails after a budget refusal → failed, keeping the cause',
    script: { ask: { 0: [new BlueError('E_BUDGET', 'over')] }, finish: [new Error('ENOSPC')] },
    trace: 'preparing > asking 0 > finalizing budget_exhausted',
    final: 'failed: d1 round 0, outcome failed, 0 failed in a row error "over"',
  },
  {
    name: 'finishing fails → failed with its error',
    script: { finish: [new Error('ENOSPC')] },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > finalizing converged',
    final: 'failed: d1 round 0, outcome failed, 0 failed in a row error "ENOSPC"',
  },
  // Cancel, steer, resume.
  {
    name: 'CANCEL while asking → cancelled, the round aborted',
    script: { ask: { 0: ['hang', { type: 'CANCEL' }] } },
    trace: 'preparing > asking 0 > aborted asking 0 > finalizing cancelled',
    final: 'cancelled: d1 round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'a cancelled call is a CANCEL',
    script: { ask: { 0: [new BlueError('E_CANCELLED', 'cancelled')] } },
    trace: 'preparing > asking 0 > finalizing cancelled',
    final: 'cancelled: d1 round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'CANCEL while evolving',
    script: { judge: { 0: facts() }, seat: ['hang', { type: 'CANCEL' }] },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > evolving 0 > aborted evolving 0 > finalizing cancelled',
    final: 'cancelled: d1 round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'CANCEL while checking the premise',
    script: { judge: { 0: facts({ ...SETTLED, minRounds: 2 }) }, seat: ['hang', { type: 'CANCEL' }] },
    trace: 'preparing > asking 0 > judging 0 > writing 0 > premise_check 0 > aborted premise_check 0 > finalizing cancelled',
    final: 'cancelled: d1 round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'CANCEL while preparing → cancelled, nothing to finish',
    script: { prepare: ['hang', { type: 'CANCEL' }] },
    trace: 'preparing > aborted preparing',
    final: 'cancelled: null round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'STEER while running records a constraint for the next round',
    script: { ask: { 0: [{ type: 'STEER', constraint: 'no breaking changes' }, 'hang', { type: 'CANCEL' }] } },
    trace: 'preparing > asking 0 > steer d1/1: no breaking changes > aborted asking 0 > finalizing cancelled',
    final: 'cancelled: d1 round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'STEER before the dialogue exists is ignored',
    script: { prepare: [{ type: 'STEER', constraint: 'too early' }, 'hang', { type: 'CANCEL' }] },
    trace: 'preparing > aborted preparing',
    final: 'cancelled: null round 0, outcome cancelled, 0 failed in a row',
  },
  {
    name: 'resume at an unjudged round asks it again',
    script: {},
    input: { resume: { dialogueId: 'd9', round: 3, at: 'asking' } },
    trace: 'asking 3 > judging 3 > writing 3 > finalizing converged',
    final: 'converged: d9 round 3, outcome converged, 0 failed in a row',
  },
  {
    name: 'resume at a judged round re-writes it and gates on its facts',
    script: {},
    input: { resume: { dialogueId: 'd9', round: 2, at: 'writing', facts: facts({ maxRounds: 3 }) } },
    trace: 'writing 2 > finalizing forced',
    final: 'forced: d9 round 2, outcome forced, 0 failed in a row',
  },
];

describe('the mutation sweep of the facilitator chart', () => {
  const { mutants, census } = mutantsOf(facilitatorMachine);

  it.each(scenarios)('the chart itself: $name', (s) => {
    expect(run(facilitatorMachine, s)).toEqual({ trace: s.trace, final: s.final });
  });

  it('enumerates every transition, guard, action list and guarded order (a new one needs a scenario)', () => {
    expect({ ...census, guardNames: [...census.guardNames].sort(), actionNames: [...census.actionNames].sort() }).toEqual({
      transitions: 34,
      guards: 16,
      actionLists: 20,
      assignedKeys: 7,
      swaps: 9,
      exclusivePairs: 6,
      guardNames: Object.keys(facilitatorMachine.implementations.guards).sort(),
      actionNames: Object.keys(facilitatorMachine.implementations.actions).sort(),
    });
    expect(mutants).toHaveLength(34 + 16 + 20 + 7 + 9);
  });

  it('the scenarios enter every state that runs an actor and end in every final state', () => {
    const states = (node: Record<string, unknown>): [string, Record<string, unknown>][] =>
      Object.entries((node.states ?? {}) as Record<string, Record<string, unknown>>).flatMap(([k, sub]) => [[k, sub] as [string, Record<string, unknown>], ...states(sub)]);
    const all = states(facilitatorMachine.config as Record<string, unknown>);
    const ran = scenarios.map((s) => run(facilitatorMachine, s));
    const entered = new Set(ran.flatMap((r) => r.trace.split(' > ').map((step) => step.split(' ')[0])));
    const ended = new Set(ran.map((r) => r.final.split(':')[0]));
    expect(all.filter(([, n]) => n.invoke !== undefined).map(([k]) => k).filter((k) => !entered.has(k))).toEqual([]);
    expect(all.filter(([, n]) => n.type === 'final').map(([k]) => k).filter((k) => !ended.has(k))).toEqual([]);
    expect(all.filter(([, n]) => n.type === 'final')).toHaveLength(7);
  });

  it('every mutant changes the trace of at least one scenario', () => {
    const survivors = mutants
      .filter((m) => scenarios.every((s) => {
        const r = run(m.machine, s);
        return r.trace === s.trace && r.final === s.final;
      }))
      .map((m) => `${m.kind} ${m.name}`);
    expect(survivors).toEqual([]);
  });
});
