/** Shared shapes of the experts module: pools, panel members and parsed markers. */
import type { Finding, Tier } from '../core/index.ts';

// Panel shapes live in core: markdown renders them without depending on experts.
export type { PanelMember, PanelSource, Tier } from '../core/index.ts';

/** One expert role of a pool. */
export interface PoolExpert {
  role: string;
  tier: Tier;
  /** 0..1, the sampling weight. */
  relevance: number;
  focus?: string;
}

/** An expert pool (pools/<name>.yaml or blue's expert-pool.json). */
export interface Pool {
  /** Pool name (file stem) or `inline`. */
  name: string;
  domain: string;
  question?: string;
  experts: PoolExpert[];
  /** File the pool was read from, as shown in messages (workspace-relative when possible). */
  file?: string;
}

/** Marker kinds of the grammar (ARCHITECTURE §4). */
export type MarkerKind =
  | 'perspective'
  | 'tension'
  | 'refinement'
  | 'concession'
  | 'resolved'
  | 'accepted'
  | 'converge'
  | 'defend'
  | 'challenge'
  | 'bridge'
  | 'dissent'
  | 'deferred'
  | 'crossref';

/**
 * A reference to an entity as an expert wrote it. `global` is set for `P0102`/`T0001` forms;
 * `expert` + `local` for blue's `MUFFIN-T01` / `MUFFIN R1-T01` forms (round in `round` when given);
 * `local` alone for a bare `T01`/`P02` (meaning: in the writer's own earlier file, or the
 * writer's own local ID in the same response).
 */
export interface EntityRef {
  raw: string;
  type: 'P' | 'T';
  global?: string;
  expert?: string;
  round?: number;
  local?: string;
}

/** One parsed marker with its position (1-based line/column) in the response. */
export interface Marker {
  kind: MarkerKind;
  /** Local id written by the expert (`P01`, `T01`), for perspective/tension. */
  localId?: string;
  /** Text after the colon inside the brackets (the label/description). */
  label: string;
  /** Paragraph text that follows the marker, up to the next marker or `---`. */
  body: string;
  /** Entities the marker points at (refinement/concession/resolved/accepted/moves). */
  refs: EntityRef[];
  /**
   * For a TENSION marker: the id it names is an existing tension's (`[TENSION T01-RESPONSE: …]`),
   * so the marker is a re-mention, not a new tension.
   */
  mentions?: boolean;
  /** The marker word as written when it is one of blue's variants (`ACKNOWLEDGED`, `RESOLUTION`, `CONCEDE`…). */
  word?: string;
  line: number;
  column: number;
}

/** A lint finding: a malformed, unknown or over-quota marker. Never a silent drop. */
export type LintFinding = Finding & { line: number; column: number };

/** Result of parsing one expert response. */
export interface ParsedResponse {
  markers: Marker[];
  findings: LintFinding[];
}
