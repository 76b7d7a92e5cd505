/**
 * View models of every generated document. The orchestrator builds them from the store;
 * the builders in this folder turn them into mdast and serialise with remark-gfm.
 * Names are display names (`Muffin`), ids are global (`P0201`, `T0003`).
 */
import type { DialogueOutcome, Score, TensionStatus } from '../core/index.ts';
import type { PanelMember, Tier } from '../core/index.ts';

/** Tension lifecycle status (ARCHITECTURE §5; core's, shared with the store). */
export type { TensionStatus };

/** How a dialogue ended, or `open` while it runs. */
export type { DialogueOutcome };

/** A registered perspective. */
export interface PerspectiveRow {
  id: string;
  label: string;
  contributors: string[];
  round: number;
  /** Global id of the perspective this one refines, if any. */
  refines?: string;
  /** Global id of the earlier perspective this one repeats (same normalised label, or merged by the judge). */
  duplicateOf?: string;
  /** True when it counts as new for velocity (not a refinement or duplicate). */
  isNew: boolean;
}

/** A tension and its lifecycle. */
export interface TensionRow {
  id: string;
  label: string;
  status: TensionStatus;
  raisedBy: string;
  raisedRound: number;
  /** Round of the last resolution/acceptance. */
  closedRound?: number;
  closedBy?: string[];
  /** Resolution or acceptance text, verbatim from the marker. */
  resolution?: string;
}

/** One expert's convergence signal in a round. */
export interface SignalRow {
  expert: string;
  converged: boolean;
}

/** One scoreboard line (per round). Scores are ALIGNMENT points, unbounded. */
export interface ScoreRow extends Score {
  round: number;
  /** W+C+T+R of the round. */
  score: number;
  /** Running total up to and including this round. */
  cumulative: number;
  openTensions: number;
  newPerspectives: number;
  velocity: number;
  /** 0..100, integer. */
  convergePercent: number;
}

/** Per-expert ALIGNMENT by round (null = not on the panel that round). */
export interface ExpertScoreRow {
  expert: string;
  role: string;
  byRound: (number | null)[];
  total: number;
  /** The model that answered this seat; set only for panels that mix models (adds a Model column). */
  model?: string;
}

/** Panel change for the next round, with reasons. */
export interface PanelEvolution {
  retain: { expert: string; reason: string }[];
  rotateOut: { expert: string; reason: string }[];
  add: { expert: string; role: string; source: 'pool' | 'created'; reason: string }[];
}

/** A camp: experts who share a stance. */
export interface Camp {
  name: string;
  members: string[];
  stance: string;
}

/** `round-N/summary.md`. */
export interface RoundSummaryView {
  title: string;
  round: number;
  /** ALIGNMENT of this round (sum over experts). */
  score: number;
  velocity: number;
  /** Cumulative ALIGNMENT. */
  total: number;
  panelSize: number;
  /** Headline status, e.g. `OPEN`, `CONVERGING`, `CONVERGED`, `FORCED`, `CONSTRAINT PIVOT`. */
  status: string;
  /** Constraints added by the user before this round (CONSTRAINT PIVOT section when non-empty). */
  newConstraints: string[];
  /** Perspectives registered this round (refinements included). */
  perspectives: PerspectiveRow[];
  /** Tensions raised or changed this round, plus every tension still open. */
  tensions: TensionRow[];
  recommendations: { id: string; label: string; from: string }[];
  camps: Camp[];
  keyQuestion: string | null;
  /** Null on the final round. */
  panelEvolution: PanelEvolution | null;
  openTensions: TensionRow[];
  newPerspectives: PerspectiveRow[];
  signals: SignalRow[];
  convergePercent: number;
  /** Reasons convergence is blocked; empty when the gate passed. */
  blocked: string[];
  /** Experts who did not answer this round, with the reason. */
  absent: { expert: string; reason: string }[];
  /** Facilitator notes (e.g. "LLM judge unavailable this round: …"). */
  notes: string[];
}

/** `scoreboard.md`. */
export interface ScoreboardView {
  title: string;
  rows: ScoreRow[];
  experts: ExpertScoreRow[];
  maxRounds: number;
  outcome: DialogueOutcome;
}

/** `tensions.md`. */
export interface TensionsView {
  title: string;
  tensions: TensionRow[];
}

/** A converged decision (topic → decision), with the ids it rests on. */
export interface Decision {
  topic: string;
  decision: string;
  rationale: string;
  /** Global ids (tensions/perspectives) the decision comes from. */
  sources: string[];
}

/** `verdict.md`; also the input of RFC promotion. */
export interface VerdictView {
  title: string;
  question: string;
  outcome: DialogueOutcome;
  rounds: number;
  totals: Score & { total: number };
  /** Unique experts consulted over the whole dialogue. */
  experts: string[];
  tensionsResolved: number;
  tensionsTotal: number;
  finalVelocity: number;
  finalConvergePercent: number;
  /** Convergence signals of the final round's panel, for the closing line (optional). */
  finalSignals?: { converged: number; panel: number };
  /** Short answer to the question (judge prose) or null when none was produced. */
  answer: string | null;
  decisions: Decision[];
  resolvedTensions: TensionRow[];
  acceptedTensions: TensionRow[];
  /** Deferred (ACKNOWLEDGED / DEFER): out of the open count, still open questions. */
  deferredTensions?: TensionRow[];
  openTensions: TensionRow[];
  dissent: { expert: string; round: number; text: string }[];
  keyInsights: { expert: string; round: number; text: string }[];
}

/** One expert's contribution in the recorded dialogue. */
export interface Contribution {
  expert: string;
  role: string;
  /** The response verbatim (Markdown); empty when absent. */
  text: string;
  /** Reason the expert did not answer, when absent. */
  absent?: string;
}

/** One round of the recorded dialogue. */
export interface RecordedRound {
  round: number;
  /** Short label, e.g. `Opening Arguments`, `Resolving T0102`. */
  label: string;
  /** The facilitator's framing of the round (question, constraints, open tensions). */
  framing: string;
  contributions: Contribution[];
  score: ScoreRow;
}

/** `<id>.dialogue.recorded.md`. */
export interface RecordedDialogueView {
  title: string;
  question: string;
  /** ISO date-time the dialogue started. */
  startedAt: string;
  outcome: DialogueOutcome;
  maxRounds: number;
  constraints: string[];
  pool: { name: string; domain: string; experts: { role: string; tier: Tier; relevance: number }[] };
  /** Everyone who sat on any panel, in first-seat order. */
  panel: (PanelMember & { firstRound: number; model?: string })[];
  rounds: RecordedRound[];
  decisions: Decision[];
  scoreboard: ScoreboardView;
  openItems: TensionRow[];
  /** Relative link to the RFC this dialogue was promoted to, when promoted. */
  promotedTo?: string;
}

/** One expert's share of the dialogue, counted from the markers (a promoted RFC's contribution table). */
export interface ExpertContribution {
  expert: string;
  role: string;
  /** New perspectives the expert raised. */
  perspectives: number;
  tensionsRaised: number;
  /** Tensions the expert's markers resolved. */
  tensionsResolved: number;
  /** The expert's perspective the others engaged with most, `P0101: label`; empty when none. */
  keyPerspective: string;
}
