/**
 * The chart's guards as pure functions, at their boundaries: min rounds, max rounds (rounds are
 * 0-based), the failure limit K, zero replies, and no judged facts yet.
 */
import { describe, expect, it } from 'vitest';
import { type FacilitatorContext, type RoundFacts, guards } from '../../src/orchestrator/machine.ts';

const SETTLED: RoundFacts = { openTensions: 0, newPerspectives: 0, convergePercent: 100, minRounds: 1, maxRounds: 5, nextRoundAvailable: true };
const facts = (over: Partial<RoundFacts> = {}): RoundFacts => ({ ...SETTLED, ...over });
const ctx = (round: number, f: RoundFacts | null, over: Partial<FacilitatorContext> = {}): FacilitatorContext => ({
  dialogueId: 'd', round, resumeAt: null, failuresInARow: 0, consecutiveFailureLimit: 3, facts: f, outcome: null, unavailable: null, error: null, ...over,
});

describe('the gate guards', () => {
  it.each([
    ['no judged facts', 4, null, false, false],
    ['settled, min 1, on round 0', 0, facts(), true, false],
    ['settled, one round short of min 3', 1, facts({ minRounds: 3 }), false, true],
    ['settled, exactly min 3', 2, facts({ minRounds: 3 }), true, false],
    ['settled, past min 3', 5, facts({ minRounds: 3 }), true, false],
    ['one open tension', 4, facts({ openTensions: 1 }), false, false],
    ['one new perspective', 4, facts({ newPerspectives: 1 }), false, false],
    ['converge 99 %', 4, facts({ convergePercent: 99 }), false, false],
    ['open tension before min rounds', 0, facts({ openTensions: 1, minRounds: 3 }), false, false],
    ['converge 99 % before min rounds', 0, facts({ convergePercent: 99, minRounds: 3 }), false, false],
  ] as const)('%s: converged %s, agreedEarly %s', (_, round, f, converged, agreedEarly) => {
    expect(guards.converged(ctx(round, f))).toBe(converged);
    expect(guards.agreedEarly(ctx(round, f))).toBe(agreedEarly);
  });

  it.each([
    ['no judged facts', 9, null, false],
    ['round 0 of max 1', 0, facts({ maxRounds: 1, openTensions: 1 }), true],
    ['one round short of max 3', 1, facts({ maxRounds: 3, openTensions: 1 }), false],
    ['exactly max 3', 2, facts({ maxRounds: 3, openTensions: 1 }), true],
    ['past max 3 (a resumed dialogue)', 3, facts({ maxRounds: 3, openTensions: 1 }), true],
    ['settled at max 3: the count alone decides', 2, facts({ maxRounds: 3 }), true],
  ] as const)('maxRoundsReached, %s: %s', (_, round, f, expected) => {
    expect(guards.maxRoundsReached(ctx(round, f))).toBe(expected);
  });

  it.each([
    ['no judged facts', null, false],
    ['a next round to replay', facts(), false],
    ['no next round to replay', facts({ nextRoundAvailable: false }), true],
  ] as const)('recordingExhausted, %s: %s', (_, f, expected) => {
    expect(guards.recordingExhausted(ctx(0, f))).toBe(expected);
  });
});

describe('the failure guards', () => {
  it.each([
    [0, 1, true],
    [0, 3, false],
    [1, 3, false],
    [2, 3, true],
    [3, 3, true],
  ])('failureLimitReached: %i failed in a row, K %i → %s', (failuresInARow, consecutiveFailureLimit, expected) => {
    expect(guards.failureLimitReached(ctx(0, null, { failuresInARow, consecutiveFailureLimit }))).toBe(expected);
  });

  it.each([
    [0, true],
    [1, false],
    [9, false],
  ])('nobodyAnswered: %i replies → %s', (replies, expected) => {
    expect(guards.nobodyAnswered(replies)).toBe(expected);
  });
});
