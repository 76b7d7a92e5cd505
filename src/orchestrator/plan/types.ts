/**
 * The round planner's shapes (issue 8): a typed state before the round, the parsed responses
 * with the prompt table each expert saw, and the plan — events with their rule and source span.
 */
import type { LintFinding, Marker, ParsedResponse } from '../../experts/index.ts';
import type { TensionStatus } from '../../core/index.ts';
import type { PromptRow } from './prompt-table.ts';

/** Thresholds and switches of the bookkeeping rules (docs/scoring.md). */
export interface BookkeepingSettings {
  /** lexical-v1 similarity at or above which a perspective or tension is merged into an earlier one. */
  mergeThreshold: number;
  /** lexical-v1 similarity at or above which an owner's new tension supersedes their own earlier open one. */
  supersedeThreshold: number;
  /**
   * A perspective written in a response that signals [MOVE:CONVERGE] and raises no tension is a
   * confirmation, not new work (blue's template makes P01 mandatory, so without this rule no
   * dialogue written with it could reach velocity 0).
   */
  confirmOnConverge: boolean;
  /**
   * An owner who signals [MOVE:CONVERGE] (no remaining objection) with their own tension still
   * open accepts it as it stands (`owner-converged`).
   */
  ownerConvergeAccepts: boolean;
}

/** Defaults of {@link BookkeepingSettings}. */
export const DEFAULT_BOOKKEEPING: BookkeepingSettings = Object.freeze({ mergeThreshold: 0.6, supersedeThreshold: 0.3, confirmOnConverge: true, ownerConvergeAccepts: true });

/** A perspective known to the planner. */
export interface PlanPerspective {
  id: string;
  round: number;
  expert: string;
  localId: string | null;
  label: string;
  body: string;
  /** Set when it was merged into (or confirms) an earlier perspective. */
  duplicateOf: string | null;
  isNew: boolean;
  /** A converging confirmation: not new work, but still a distinct statement others may restate. */
  confirmation?: boolean;
}

/** A tension known to the planner, with its status as it stands. */
export interface PlanTension {
  id: string;
  round: number;
  owner: string;
  localId: string | null;
  label: string;
  body: string;
  status: TensionStatus;
}

/** The state before a round: entities of earlier rounds, statuses as of the previous round. */
export interface PlanState {
  round: number;
  perspectives: PlanPerspective[];
  tensions: PlanTension[];
  settings: BookkeepingSettings;
}

/**
 * One response to plan, with the id table rows of the prompt its expert answered (empty when the
 * prompt is unknown): the rows are all the planner reads of a prompt, so a round's inputs do not
 * hold every seat's whole prompt at once.
 */
export interface PlanInput {
  expert: string;
  answered: boolean;
  parsed: ParsedResponse;
  promptRows: readonly PromptRow[];
}

/** A judge's proposed merge of a perspective registered this round (its stated reason kept). */
export interface JudgeMerge {
  perspective: string;
  into: string;
  reason: string;
}

/** What the LLM judge proposed for the round (empty offline). */
export interface JudgeProposals {
  merges: JudgeMerge[];
}

/** Where in a response an event was caused (1-based). */
export interface Span {
  line: number;
  column: number;
}

interface Base {
  /** Rule id (docs/scoring.md), e.g. `lexical-v1`, `own-earlier`, `concession-settles`. */
  rule: string;
  expert: string;
  span: Span | null;
  /** Why, in words (label, reason, the text that caused it). */
  detail: string;
}

/** A status change of a tension. */
export type StatusKind = 'resolve' | 'accept' | 'defer' | 'reopen' | 'supersede';

/** One event of a round plan. */
export type PlanEvent =
  | (Base & { kind: 'register'; entity: 'P' | 'T'; id: string; localId: string | null; label: string; body: string })
  | (Base & { kind: 'merge'; entity: 'P' | 'T'; id: string; into: string | null; similarity: number | null; threshold: number | null })
  | (Base & { kind: StatusKind; tension: string; by: string | null })
  | (Base & { kind: 'link'; marker: Marker['kind'] | 'prompt-table'; raw: string; target: string | null; cross: boolean; similarity?: number })
  | (Base & { kind: 'signal'; signal: 'converge' | 'dissent' })
  | (Base & { kind: 'score'; tally: ExpertTally });

/** Counted events per expert in one round: the input of the ALIGNMENT rubric. */
export interface ExpertTally {
  expert: string;
  answered: boolean;
  newPerspectives: number;
  duplicatePerspectives: number;
  tensionsRaised: number;
  refinements: number;
  concessions: number;
  resolutions: number;
  acceptances: number;
  deferrals: number;
  crossRefs: number;
  bridges: number;
  converged: boolean;
  dissent: boolean;
  wellFormedMarkers: number;
  errorFindings: number;
  withinQuota: boolean;
}

/** A finding of the plan (parser findings and unresolved references), with its expert. */
export type PlanFinding = LintFinding & { expert: string };

/** The plan of one round: apply it with `applyPlan`, print it with `explain`. */
export interface RoundPlan {
  round: number;
  events: PlanEvent[];
  findings: PlanFinding[];
  tallies: ExpertTally[];
}
