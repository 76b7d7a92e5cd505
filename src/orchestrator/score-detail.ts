/**
 * What a stored score was computed from, read back: the rubric's tally (`scores.rubric_json`)
 * and the judge's adjustment with its rationale (`scores.judge_json`), parsed with zod on read.
 */
import { z } from 'zod';
import { parseStoredJson } from '../core/index.ts';
import type { ScoreDbRow } from '../store/index.ts';
import { type JudgeAdjustment, judgeAdjustmentSchema } from './llm-judge.ts';
import type { ExpertTally } from './plan/types.ts';

const count = z.int().min(0);

const tallySchema: z.ZodType<ExpertTally> = z.object({
  expert: z.string(),
  answered: z.boolean(),
  newPerspectives: count,
  duplicatePerspectives: count,
  tensionsRaised: count,
  refinements: count,
  concessions: count,
  resolutions: count,
  acceptances: count,
  deferrals: count,
  crossRefs: count,
  bridges: count,
  converged: z.boolean(),
  dissent: z.boolean(),
  wellFormedMarkers: count,
  errorFindings: count,
  withinQuota: z.boolean(),
});

/** A score's inputs: the counted events and, when an LLM judge adjusted it, that adjustment. */
export interface ScoreDetail {
  tally: ExpertTally;
  adjustment: JudgeAdjustment | null;
}

/**
 * Parses a stored score's JSON columns.
 * @throws StoredDataError (E_STORED) naming `scores["<dialogue> round N <expert>"]`, the column and field path.
 */
export function scoreDetail(dialogueId: string, row: Pick<ScoreDbRow, 'round' | 'expert' | 'rubric_json' | 'judge_json'>): ScoreDetail {
  const at = (column: string) => ({ table: 'scores', key: `${dialogueId} round ${row.round} ${row.expert}`, column });
  return {
    tally: parseStoredJson(row.rubric_json, tallySchema, at('rubric_json')),
    adjustment: row.judge_json === null ? null : parseStoredJson(row.judge_json, judgeAdjustmentSchema, at('judge_json')),
  };
}
