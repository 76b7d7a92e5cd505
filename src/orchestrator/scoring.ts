/**
 * The deterministic ALIGNMENT rubric (docs/scoring.md): W + C + T + R per expert per round,
 * computed from counted registration events, so any stored dialogue re-scores identically.
 * Blue's judge typed numbers with no rubric (reference §3.1); this replaces that.
 */
import type { Score, ScoreDimension } from '../core/index.ts';
import type { ExpertTally } from './plan/types.ts';

/** One expert's score for a round. Dimensions are unbounded non-negative integers. */
export interface ExpertScore extends Score {
  expert: string;
  total: number;
}

/** Rubric weights (points per counted event). Documented in docs/scoring.md. */
export const RUBRIC = {
  wisdom: { newPerspective: 3, duplicatePerspective: 1, refinement: 2 },
  consistency: { perMarker: 1, markerCap: 5, withinQuota: 2, perError: 2 },
  truth: { tensionRaised: 2, resolution: 2, acceptance: 1, deferral: 1, concession: 1 },
  relationships: { crossRef: 2, bridge: 1 },
} as const;

/** Scores one tally. An absent expert scores 0 everywhere. */
export function scoreTally(t: ExpertTally): ExpertScore {
  if (!t.answered) return { expert: t.expert, wisdom: 0, consistency: 0, truth: 0, relationships: 0, total: 0 };
  const w = RUBRIC.wisdom;
  const c = RUBRIC.consistency;
  const tr = RUBRIC.truth;
  const r = RUBRIC.relationships;
  const wisdom = w.newPerspective * t.newPerspectives + w.duplicatePerspective * t.duplicatePerspectives + w.refinement * t.refinements;
  const consistency = Math.max(
    0,
    Math.min(c.markerCap, t.wellFormedMarkers * c.perMarker) + (t.withinQuota ? c.withinQuota : 0) - c.perError * t.errorFindings,
  );
  const truth = tr.tensionRaised * t.tensionsRaised + tr.resolution * t.resolutions + tr.acceptance * t.acceptances + tr.deferral * t.deferrals + tr.concession * t.concessions;
  const relationships = r.crossRef * t.crossRefs + r.bridge * t.bridges;
  return { expert: t.expert, wisdom, consistency, truth, relationships, total: wisdom + consistency + truth + relationships };
}

/** Applies judge adjustments (per-dimension deltas) without letting a dimension go below 0. */
export function adjustScore(s: ExpertScore, delta: Partial<Record<ScoreDimension, number>>): ExpertScore {
  const wisdom = Math.max(0, s.wisdom + (delta.wisdom ?? 0));
  const consistency = Math.max(0, s.consistency + (delta.consistency ?? 0));
  const truth = Math.max(0, s.truth + (delta.truth ?? 0));
  const relationships = Math.max(0, s.relationships + (delta.relationships ?? 0));
  return { expert: s.expert, wisdom, consistency, truth, relationships, total: wisdom + consistency + truth + relationships };
}
