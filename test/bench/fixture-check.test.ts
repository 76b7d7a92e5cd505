import { describe, expect, it } from 'vitest';
import { fixtureCheck, wordStats } from '../../bench/fixture-check.ts';
import { DEFAULT_ROLES } from '../../src/orchestrator/limits.ts';

describe('fixture check (what the real dialogues asked for and got)', () => {
  it('counts words without the closing --- line, with nearest-rank median and p90', () => {
    expect(wordStats(['one two\n---\n', 'a b c d', 'x'])).toEqual({ n: 3, median: 2, p90: 4, max: 4 });
    expect(wordStats([])).toEqual({ n: 0, median: 0, p90: 0, max: 0 });
  });

  it('finds prompts asking for two to four sentences per perspective, and answers longer than the default limit', () => {
    const f = fixtureCheck();
    expect(f.prompts).toBeGreaterThan(0);
    expect(f.askTwoToFour).toBe(f.prompts);
    expect(f.perspectiveSentences.max).toBeGreaterThan(4);
    expect(f.answers.p90).toBeGreaterThan(DEFAULT_ROLES.expert.words);
  });
});
