/**
 * The ALIGNMENT score's shape (docs/scoring.md): Wisdom, Consistency, Truth, Relationships. One
 * type for an expert's round score, a round's sum, a scoreboard line and the verdict's totals.
 */

/** The four dimensions, in W/C/T/R order. */
export const SCORE_DIMENSIONS = ['wisdom', 'consistency', 'truth', 'relationships'] as const;

/** One of {@link SCORE_DIMENSIONS}. */
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];

/** ALIGNMENT points on each dimension: unbounded non-negative integers; their sum is the total. */
export type Score = Record<ScoreDimension, number>;
