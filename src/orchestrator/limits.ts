/** Settings limits the CLI prints without loading the engine (`blue init`'s commented config). */
import type { CallRole, RoleSettings } from './settings.ts';

/** Most experts a round seats (the judge's adjustments allow one per seat). */
export const MAX_PANEL_SIZE = 48;

/**
 * The marker grammar's limits (ARCHITECTURE §4): at most 2 perspectives of 2–4 sentences and 1
 * tension of 1–2 sentences. The counts are experts/markers.ts's MAX_PERSPECTIVES / MAX_TENSIONS,
 * written out because this module is a light CLI start-up entry (importing the experts barrel
 * would load the whole folder); test/orchestrator/limits.test.ts pins them equal.
 */
export const GRAMMAR = { perspectives: 2, perspectiveSentences: 4, tensions: 1, tensionSentences: 2 } as const;
/** Words per sentence budgeted: plain technical English (the fixture's experts ran ~28, two more sentences than asked). */
export const WORDS_PER_SENTENCE = 20;
/** Words of one marker line's label (`[PERSPECTIVE P01: short label]`). */
export const LABEL_WORDS = 12;
/** Reference markers budgeted beside the new items (RESOLVED, CONCESSION, REFINEMENT, MOVE …), one sentence each. */
export const REFERENCE_MARKERS = 2;

/**
 * The longest answer the marker grammar asks for, in words, rounded up to 50: every perspective
 * and tension at its most sentences ({@link GRAMMAR}: 2 × 4 + 1 × 2 = 10 sentences of
 * {@link WORDS_PER_SENTENCE}), their labels, and {@link REFERENCE_MARKERS} one-sentence reference
 * markers with labels: 200 + 36 + 64 = 300. Pure.
 */
export function grammarAnswerWords(): number {
  const sentences = GRAMMAR.perspectives * GRAMMAR.perspectiveSentences + GRAMMAR.tensions * GRAMMAR.tensionSentences;
  const labels = (GRAMMAR.perspectives + GRAMMAR.tensions) * LABEL_WORDS;
  const references = REFERENCE_MARKERS * (LABEL_WORDS + WORDS_PER_SENTENCE);
  return Math.ceil((sentences * WORDS_PER_SENTENCE + labels + references) / 50) * 50;
}

/**
 * Default answer limits and thinking per role (sent only to models that accept them, llm/models.json).
 *
 * - expert: {@link grammarAnswerWords} words (300), the grammar's own length rather than the
 *   ~300–480 words real experts wrote when asked for "two to four sentences"; effort `medium`:
 *   the default expert model (Sonnet 5.5) runs at `high` when none is sent, and the effort doc
 *   gives medium as the "balanced approach with moderate token savings" while lower levels think
 *   less or skip thinking (platform.claude.com/docs/en/build-with-claude/effort,
 *   …/thinking-steering-and-cost). Thinking stays adaptive (the model's default; `between_tools`
 *   would drop it on Sonnet 5.5, a setting left to the user). On a model whose default is already
 *   medium (Opus 5.5, Haiku 5.5) this sends what it would run anyway.
 * - judge: 2,000 words of JSON; no thinking or effort sent, so the judge model's default applies
 *   (Haiku 5.5: adaptive, which it cannot turn off, at its default medium effort). Its structured
 *   output is bookkeeping that needs a few steps of reasoning (merges, whether a tension is really
 *   resolved), the case the Sonnet 5.5 prompting guide lists as JSON answers to tasks "that need
 *   a few steps of working out" coming back wrong; and the judge is ~1 % of a dialogue's bill
 *   (`npm run bench`: $0.02 of $1.77), so cutting its thinking saves little.
 */
export const DEFAULT_ROLES: Record<CallRole, RoleSettings> = { expert: { words: grammarAnswerWords(), effort: 'medium' }, judge: { words: 2000 } };
