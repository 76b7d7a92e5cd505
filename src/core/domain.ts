/**
 * The dialogue domain as the engine, the views and the tools see it: camelCase, booleans as
 * booleans, a tension's status derived from its events. The store maps its rows to these at its
 * boundary (src/store/mappers.ts); nothing above the store sees a row.
 */
import type { Tier } from './panel.ts';
import type { Score } from './score.ts';
import type { TensionState } from './tension.ts';

/** A round's counts, the facts the convergence gate reads (ARCHITECTURE §5). */
export interface RoundCounts {
  /** Experts seated in the round. */
  panelSize: number;
  /** Tensions raised and not resolved, accepted, deferred or superseded (open + reopened), dialogue-wide. */
  openTensions: number;
  /** Perspectives of the round that are not refinements or duplicates. */
  newPerspectives: number;
  /** Panel members of the round who signalled convergence (counted once each). */
  convergeSignals: number;
  /** floor(100 × signals / panel size), integer percent 0–100; 0 for an empty panel. */
  convergePercent: number;
  /** Open tensions + new perspectives (blue RFC 0057: "work remaining"; 0 = nothing moving). */
  velocity: number;
}

/** One round of a dialogue. Counts and scores are zero until the round is judged. */
export interface Round extends Score, RoundCounts {
  dialogueId: string;
  /** 0-based round number. */
  round: number;
  status: 'running' | 'judged';
  /** The round's ALIGNMENT total (sum of the W/C/T/R dimensions). */
  score: number;
  /** The round's synthesis as stored (JSON; orchestrator's `synthesisOf` checks and parses it), null while running. */
  synthesisJson: string | null;
  /** ISO-8601 time the round opened. */
  startedAt: string;
  /** ISO-8601 time the round was judged, null while running. */
  judgedAt: string | null;
  /** How the round used the prompt cache (warm-ups skipped and why); null when nothing to say. */
  cacheNote: string | null;
}

/** What judging a round records about it: a {@link Round} without the fields opening it set. */
export type JudgedRound = Omit<Round, 'status' | 'startedAt' | 'cacheNote'>;

/** An expert of one dialogue: a pool role bound to a pastry name, kept for the whole dialogue. */
export interface Expert {
  dialogueId: string;
  /** Pastry slug, lowercase (`muffin`): the file stem and the key other records use. */
  name: string;
  /** Pastry name as shown (`Muffin`). */
  display: string;
  role: string;
  tier: Tier;
  /** Pool relevance, 0–1. */
  relevance: number;
  focus: string | null;
  /** 0-based round the expert was first seated in. */
  firstRound: number;
}

/** A registered perspective (`P0001`), or a duplicate merged into an earlier one. */
export interface Perspective {
  dialogueId: string;
  /** Dialogue-wide id, `P0001`. */
  id: string;
  /** 0-based round it was registered in. */
  round: number;
  /** 1-based registration order within the round. */
  seq: number;
  /** Slug of the expert who raised it. */
  expert: string;
  /** The expert's own marker id (`P01`), when it gave one. */
  localId: string | null;
  label: string;
  /** The label normalised for duplicate matching. */
  normLabel: string;
  content: string;
  refines: string | null;
  /** The earlier perspective this one was merged into, if a duplicate. */
  duplicateOf: string | null;
  /** Why it was merged (`same-label`, `lexical-v1 0.81 …`, `judge: …`), if a duplicate. */
  mergeReason: string | null;
  /** False for a duplicate merged into an earlier perspective. */
  isNew: boolean;
}

/** What registering a tension records (`T0001`): fixed once raised; its state comes from its events. */
export interface TensionRecord {
  dialogueId: string;
  /** Dialogue-wide id, `T0001`. */
  id: string;
  /** 0-based round it was raised in. */
  round: number;
  /** 1-based registration order within the round. */
  seq: number;
  /** Slug of the expert who raised it. */
  raisedBy: string;
  /** The expert's own marker id (`T01`), when it gave one. */
  localId: string | null;
  label: string;
  content: string;
}

/** A tension with its state as its events decide it (core's `withTensionState`, the one rule). */
export interface Tension extends TensionRecord, TensionState {}
