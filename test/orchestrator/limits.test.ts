import { describe, expect, it } from 'vitest';
import { MAX_PERSPECTIVES, MAX_TENSIONS } from '../../src/experts/markers.ts';
import { GRAMMAR_BLOCK } from '../../src/experts/prompt.ts';
import { DEFAULT_ROLES, GRAMMAR, grammarAnswerWords } from '../../src/orchestrator/limits.ts';

describe('answer-limit defaults', () => {
  it("take the grammar's counts from the marker rules the parser enforces", () => {
    expect(GRAMMAR.perspectives).toBe(MAX_PERSPECTIVES);
    expect(GRAMMAR.tensions).toBe(MAX_TENSIONS);
    expect(GRAMMAR_BLOCK).toContain(`[PERSPECTIVE P01: short label]         2–${GRAMMAR.perspectiveSentences} sentences follow. At most ${GRAMMAR.perspectives} per response.`);
    expect(GRAMMAR_BLOCK).toContain(`[TENSION T01: short label]             1–${GRAMMAR.tensionSentences} sentences follow. At most ${GRAMMAR.tensions} per response.`);
  });

  it('derive the expert limit from the grammar: 10 sentences of 20 words, 3 labels, 2 reference markers = 300 words', () => {
    expect(grammarAnswerWords()).toBe(300);
    expect(DEFAULT_ROLES.expert).toEqual({ words: 300, effort: 'medium' });
    // The judge runs at its model's defaults: no thinking or effort is sent.
    expect(DEFAULT_ROLES.judge).toEqual({ words: 2000 });
  });
});
