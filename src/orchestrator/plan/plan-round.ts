/**
 * `planRound(state, responses, judgeProposals) → RoundPlan`: the pure round planner. Pass 1
 * registers perspectives and tensions (merging restatements, superseding an owner's refined
 * tension; register.ts); the judge's merges follow; pass 2 applies moves on entities of earlier
 * rounds (moves.ts); last, each expert's tally becomes a `score` event. Nothing here touches the store.
 */
import { applyMoves, idLess, ownerConverged } from './moves.ts';
import { judgeMerge, registerAll } from './register.ts';
import type { ExpertTally, JudgeProposals, PlanInput, PlanState, RoundPlan } from './types.ts';
import { type Work, tableOf } from './work.ts';

const QUOTA = { perspective: 2, tension: 1 };

/**
 * Plans round `state.round` from its responses (in seat order). Pure and deterministic: the same
 * inputs give the same ids, events and tallies.
 */
export function planRound(state: PlanState, inputs: readonly PlanInput[], judge: JudgeProposals = { merges: [] }): RoundPlan {
  const w: Work = {
    state,
    perspectives: state.perspectives.map((p) => ({ ...p })),
    tensions: state.tensions.map((t) => ({ ...t })),
    events: [],
    findings: [],
    tallies: new Map(inputs.map((i) => [i.expert, emptyTally(i.expert, i.answered)])),
    counters: { P: 0, T: 0 },
  };
  const tables = new Map(inputs.map((i) => [i.expert, tableOf(w, i)]));
  for (const input of inputs) registerAll(w, input, tables.get(input.expert)!);
  for (const merge of judge.merges) judgeMerge(w, merge);
  // Explicit ids first, so an inferred link never pre-empts a resolution someone wrote by id.
  for (const input of inputs) applyMoves(w, input, tables.get(input.expert)!);
  for (const input of inputs) for (const m of input.parsed.markers) if (m.refs.length === 0) idLess(w, input.expert, m);
  if (state.settings.ownerConvergeAccepts) for (const input of inputs) ownerConverged(w, input);
  for (const input of inputs) {
    const tally = w.tallies.get(input.expert)!;
    const m = input.parsed.markers;
    tally.wellFormedMarkers = m.length;
    tally.errorFindings = input.parsed.findings.filter((f) => f.severity === 'error').length;
    tally.withinQuota = m.filter((x) => x.kind === 'perspective').length <= QUOTA.perspective && m.filter((x) => x.kind === 'tension' && !x.mentions).length <= QUOTA.tension;
    w.findings.push(...input.parsed.findings.map((f) => ({ ...f, expert: input.expert })));
    w.events.push({ kind: 'score', rule: 'rubric-v1', expert: input.expert, span: null, detail: '', tally: { ...tally } });
  }
  w.findings.sort((a, b) => inputs.findIndex((i) => i.expert === a.expert) - inputs.findIndex((i) => i.expert === b.expert) || a.line - b.line || a.column - b.column);
  return { round: state.round, events: w.events, findings: w.findings, tallies: [...w.tallies.values()] };
}

/** A tally with nothing counted yet. */
export function emptyTally(expert: string, answered: boolean): ExpertTally {
  return {
    expert,
    answered,
    newPerspectives: 0,
    duplicatePerspectives: 0,
    tensionsRaised: 0,
    refinements: 0,
    concessions: 0,
    resolutions: 0,
    acceptances: 0,
    deferrals: 0,
    crossRefs: 0,
    bridges: 0,
    converged: false,
    dissent: false,
    wellFormedMarkers: 0,
    errorFindings: 0,
    withinQuota: true,
  };
}
