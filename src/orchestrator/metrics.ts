/**
 * Counting, velocity and the convergence gate (ARCHITECTURE §5), computed from stored
 * entities — never typed in. Pure functions.
 */
import { type RoundCounts, isOpenStatus } from '../core/index.ts';

/** Inputs of the round metrics, read from the store after registration. */
export interface MetricsInput {
  round: number;
  /** Lowercase names of this round's panel (absent experts included). */
  panel: string[];
  /** All perspectives registered so far (`round`, `isNew`). */
  perspectives: { round: number; isNew: boolean }[];
  /** All tensions registered so far with their current status. */
  tensions: { status: string }[];
  /** Experts who wrote `[MOVE:CONVERGE]` this round (may contain duplicates). */
  convergers: string[];
}

/** Computes a round's metrics. */
export function computeMetrics(input: MetricsInput): RoundCounts {
  const panel = new Set(input.panel);
  const signals = new Set(input.convergers.filter((e) => panel.has(e))).size;
  const openTensions = input.tensions.filter((t) => isOpenStatus(t.status)).length;
  const newPerspectives = input.perspectives.filter((p) => p.round === input.round && p.isNew).length;
  const panelSize = panel.size;
  return {
    panelSize,
    openTensions,
    newPerspectives,
    convergeSignals: signals,
    convergePercent: panelSize === 0 ? 0 : Math.floor((100 * signals) / panelSize),
    velocity: openTensions + newPerspectives,
  };
}

/** What the gate decided after a round. */
export type GateDecision =
  | { kind: 'converged' }
  | { kind: 'forced'; blocked: string[] }
  | { kind: 'continue'; blocked: string[]; premiseCheck: boolean };

/**
 * The convergence gate: converged when velocity == 0 and converge % == 100 (blue RFC 0057),
 * and at least `minRounds` rounds ran; at `maxRounds` without convergence the dialogue is
 * forced. Agreement before `minRounds` asks for a premise-check round instead.
 */
export function gate(m: RoundCounts, round: number, opts: { minRounds: number; maxRounds: number }): GateDecision {
  const blocked = blockers(m);
  if (isSettled(m) && reachedMinRounds(round, opts)) return { kind: 'converged' };
  if (reachedMaxRounds(round, opts)) return { kind: 'forced', blocked: blocked.length > 0 ? blocked : ['minimum rounds not reached'] };
  if (isSettled(m)) return { kind: 'continue', blocked: [`minimum ${opts.minRounds} rounds not reached: premise check`], premiseCheck: true };
  return { kind: 'continue', blocked, premiseCheck: false };
}

/** The gate's counts: nothing open, nothing new, everyone signalled convergence (velocity 0, 100 %). */
export function isSettled(m: Pick<RoundCounts, 'openTensions' | 'newPerspectives' | 'convergePercent'>): boolean {
  return m.openTensions === 0 && m.newPerspectives === 0 && m.convergePercent >= 100;
}

/** Rounds 0..round ran at least `minRounds` rounds (round is 0-based). */
export function reachedMinRounds(round: number, opts: { minRounds: number }): boolean {
  return round + 1 >= opts.minRounds;
}

/** Rounds 0..round used up `maxRounds` (round is 0-based). */
export function reachedMaxRounds(round: number, opts: { maxRounds: number }): boolean {
  return round + 1 >= opts.maxRounds;
}

/** Human reasons the gate is closed (empty when it is open). */
export function blockers(m: RoundCounts): string[] {
  const out: string[] = [];
  if (m.openTensions > 0) out.push(`${m.openTensions} open tension${m.openTensions === 1 ? '' : 's'}`);
  if (m.newPerspectives > 0) out.push(`${m.newPerspectives} new perspective${m.newPerspectives === 1 ? '' : 's'}`);
  if (m.convergePercent < 100) out.push(`converge ${m.convergePercent}% < 100%`);
  return out;
}
