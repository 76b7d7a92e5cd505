/** A stored score's tally and judge adjustment, parsed with zod on read; the tally re-scores to the stored W/C/T/R. */
import { describe, expect, it } from 'vitest';
import { StoredDataError } from '../../src/core/index.ts';
import { createFakeProvider } from '../../src/llm/index.ts';
import { scoreDetail, scoreTally, startDialogue } from '../../src/orchestrator/index.ts';
import { benchResponder } from '../../bench/responder.ts';
import { engine, makePool, settings } from './helpers.ts';

describe('scoreDetail', () => {
  it('reads every stored tally back, and each re-scores to the stored dimensions', async () => {
    const deps = engine(createFakeProvider({ respond: benchResponder(3) }));
    const { id } = await startDialogue(deps, { question: 'Per-tenant queues?', pool: makePool(4), constraints: [], sources: [] }, settings({ panelSize: 4, maxRounds: 3 }));
    const scores = deps.store.scores(id);
    expect(scores.length).toBeGreaterThan(4);
    for (const s of scores) {
      const detail = scoreDetail(id, s);
      expect(detail.adjustment).toBeNull(); // no LLM judge in this run
      expect(detail.tally.expert).toBe(s.expert);
      expect(scoreTally(detail.tally)).toEqual({ expert: s.expert, wisdom: s.wisdom, consistency: s.consistency, truth: s.truth, relationships: s.relationships, total: s.total });
    }
    expect(scores.some((s) => scoreDetail(id, s).tally.newPerspectives > 0)).toBe(true);
  });

  it('a malformed tally or adjustment is one E_STORED error naming the score row and field', () => {
    const row = { round: 2, expert: 'muffin', rubric_json: JSON.stringify({ expert: 'muffin', answered: 'yes' }), judge_json: null };
    const err = (() => {
      try {
        scoreDetail('d1', row);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StoredDataError);
    expect((err as StoredDataError).where?.field).toBe('scores["d1 round 2 muffin"].rubric_json.answered');
    const tally = { expert: 'muffin', answered: true, newPerspectives: 1, duplicatePerspectives: 0, tensionsRaised: 0, refinements: 0, concessions: 0, resolutions: 0, acceptances: 0, deferrals: 0, crossRefs: 0, bridges: 0, converged: false, dissent: false, wellFormedMarkers: 1, errorFindings: 0, withinQuota: true };
    expect(scoreDetail('d1', { ...row, rubric_json: JSON.stringify(tally) }).tally).toEqual(tally);
    expect(() => scoreDetail('d1', { ...row, rubric_json: JSON.stringify(tally), judge_json: '{"expert":"muffin","wisdom":1}' })).toThrow(/^stored value is malformed/);
  });
});
