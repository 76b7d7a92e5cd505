/** planRound: the pure round planner on small scripted rounds (issue 8). */
import { describe, expect, it } from 'vitest';
import { parseResponse } from '../../src/experts/markers.ts';
import { planRound } from '../../src/orchestrator/plan/plan-round.ts';
import { promptRows } from '../../src/orchestrator/plan/prompt-table.ts';
import { DEFAULT_BOOKKEEPING, type PlanEvent, type PlanInput, type PlanState, type PlanTension } from '../../src/orchestrator/plan/types.ts';

const t = (id: string, owner: string, round: number, label: string, status: PlanTension['status'] = 'open'): PlanTension => ({ id, round, owner, localId: 'T01', label, body: '', status });
const state = (round: number, tensions: PlanTension[] = [], settings = DEFAULT_BOOKKEEPING): PlanState => ({ round, perspectives: [], tensions, settings });
const input = (expert: string, text: string, prompt: string | null = null): PlanInput => ({ expert, answered: true, parsed: parseResponse(text), promptRows: promptRows(prompt) });
const kinds = (events: PlanEvent[]) => events.filter((e) => e.kind !== 'score' && e.kind !== 'link').map((e) => `${e.kind}:${'tension' in e ? e.tension : 'id' in e ? e.id : ''}:${e.rule}`);

describe('planRound', () => {
  it('never resolves a tension created by the same response; a bare id is the writer\'s earlier one', () => {
    const s = state(1, [t('T0001', 'macaron', 0, 'No rollback plan')]);
    const plan = planRound(s, [input('macaron', '[RESOLVED T01: the factory is the rollback]\n\n[TENSION T01: Denormalization cost is unmeasured]\nNobody measured it.')]);
    expect(kinds(plan.events)).toEqual(['register:T0101:marker', 'resolve:T0001:resolved-marker']);
    const alone = planRound(state(0), [input('macaron', '[TENSION T01: New worry]\nx\n\n[RESOLVED T01: done]')]);
    expect(kinds(alone.events)).toEqual(['register:T0001:marker']);
    expect(alone.findings).toEqual([expect.objectContaining({ rule: 'unresolved-ref', line: 4, column: 1, expert: 'macaron' })]);
  });

  it('reads blue\'s vocabulary: ACKNOWLEDGED defers, RESOLUTION resolves, **Move**: [ACCEPT] accepts', () => {
    const s = state(1, [t('T0001', 'muffin', 0, 'Future work on caching'), t('T0002', 'scone', 0, 'Sync'), t('T0003', 'cupcake', 0, 'Quotas')]);
    const plan = planRound(s, [input('cupcake', '[ACKNOWLEDGED MUFFIN-T01: future work]\n\n[RESOLUTION T0002: one direction]\n\n**Move**: [ACCEPT] T01\n')]);
    expect(kinds(plan.events)).toEqual(['defer:T0001:deferred-marker', 'resolve:T0002:resolved-marker', 'accept:T0003:accepted-marker']);
    expect(plan.tallies[0]).toMatchObject({ deferrals: 1, resolutions: 1, acceptances: 1, crossRefs: 2 });
  });

  it('a TENSION that names a row of the prompt\'s table is a reference, not a new tension', () => {
    const s = state(2, [t('T0001', 'muffin', 0, 'Sync direction between repos'), t('T0101', 'cupcake', 1, 'Conflict resolution on edits')]);
    const prompt = '| ID | Tension |\n|---|---|\n| T01 | **Sync direction** between repos |\n| T02 | Conflict resolution on edits |';
    const plan = planRound(s, [input('scone', '[TENSION T02: Conflict resolution on edits, proposing resolution]\nLast writer wins.', prompt)]);
    expect(plan.events.filter((e) => e.kind === 'register')).toEqual([]);
    expect(plan.events.find((e) => e.kind === 'link' && e.marker === 'tension')).toMatchObject({ target: 'T0101', rule: 'tension-names-existing/prompt-table' });
    expect(plan.events.filter((e) => e.rule === 'prompt-table-row').map((e) => (e.kind === 'link' ? `${e.raw}→${e.target}` : ''))).toEqual(['T01→T0001', 'T02→T0101']);
  });

  it('merges near-duplicate tensions of one round, with similarity, threshold and rule', () => {
    const plan = planRound(state(0), [
      input('muffin', '[TENSION T01: Sync direction between the repos is undefined]\nWho pushes to whom is not specified anywhere.'),
      input('cupcake', '[TENSION T01: The sync direction between repos is undefined]\nWho pushes to whom is not specified.'),
    ]);
    const merge = plan.events.find((e) => e.kind === 'merge');
    expect(merge).toMatchObject({ id: 'T0002', into: 'T0001', rule: 'lexical-v1', threshold: 0.6 });
    expect(merge?.kind === 'merge' && merge.similarity! >= 0.6).toBe(true);
    expect(kinds(plan.events)).toContain('supersede:T0002:lexical-v1');
  });

  it('scores every concession, linked or not; an owner+label concession settles the tension', () => {
    const s = state(1, [t('T0001', 'brioche', 0, 'Operational simplicity vs. analytical query flexibility')]);
    const plan = planRound(s, [
      input('muffin', "[CONCESSION: Brioche is right]\nBrioche's tension (operational simplicity vs. analytical query flexibility) is well-placed."),
      input('cupcake', '[CONCESSION: nothing here names a tension]\nA plain concession.'),
    ]);
    expect(plan.tallies.map((x) => [x.expert, x.concessions])).toEqual([
      ['muffin', 1],
      ['cupcake', 1],
    ]);
    expect(kinds(plan.events)).toEqual(['resolve:T0001:concession-settles']);
  });

  it('an owner\'s refining tension supersedes their own earlier one', () => {
    const s = state(1, [t('T0001', 'croissant', 0, 'Trait completeness vs. leaky abstraction risk')]);
    const plan = planRound(s, [input('croissant', '[TENSION T01: Trait method additions are the governance gap]\nx\n\n[REFINEMENT: Sharpening CROISSANT-T01 from Round 0]\ny')]);
    expect(kinds(plan.events)).toEqual(['register:T0101:marker', 'supersede:T0001:owner-refinement']);
  });

  it('owner-converged accepts the owner\'s open tension; a setting turns it off', () => {
    const s = state(1, [t('T0001', 'cannoli', 0, 'Serverless constraints')]);
    const text = '[PERSPECTIVE P01: Fine as it stands]\nOk.\n\n[MOVE:CONVERGE]';
    expect(kinds(planRound(s, [input('cannoli', text)]).events)).toEqual(['register:P0101:marker', 'merge:P0101:converging-confirmation', 'signal::marker', 'accept:T0001:owner-converged']);
    const off = state(1, s.tensions, { ...DEFAULT_BOOKKEEPING, ownerConvergeAccepts: false, confirmOnConverge: false });
    expect(kinds(planRound(off, [input('cannoli', text)]).events)).toEqual(['register:P0101:marker', 'signal::marker']);
  });

  it('a converging perspective in the first round is new work: there is nothing yet to confirm', () => {
    const plan = planRound(state(0), [input('cannoli', '[PERSPECTIVE P01: Fine as it stands]\nOk.\n\n[MOVE:CONVERGE]')]);
    expect(kinds(plan.events)).toEqual(['register:P0001:marker', 'signal::marker']);
    expect(plan.tallies[0]).toMatchObject({ newPerspectives: 1 });
  });

  it("the judge's merges go through the same path with their stated reason", () => {
    const s = { ...state(1), perspectives: [{ id: 'P0001', round: 0, expert: 'muffin', localId: 'P01', label: 'Cache per tenant', body: 'isolate', duplicateOf: null, isNew: true }] };
    const plan = planRound(s, [input('cupcake', '[PERSPECTIVE P01: Tenant-scoped caches]\nSeparate.')], { merges: [{ perspective: 'P0101', into: 'P0001', reason: 'same idea, new words' }] });
    expect(plan.events.find((e) => e.kind === 'merge')).toMatchObject({ rule: 'judge', id: 'P0101', into: 'P0001', detail: 'same idea, new words' });
    expect(plan.tallies[0]).toMatchObject({ newPerspectives: 0, duplicatePerspectives: 1 });
  });

  it('is deterministic and carries source spans', () => {
    const s = state(1, [t('T0001', 'muffin', 0, 'Sync')]);
    const inputs = [input('cupcake', 'intro\n\n  [RESOLVED MUFFIN-T01: one way]\n')];
    expect(planRound(s, inputs)).toEqual(planRound(s, inputs));
    expect(planRound(s, inputs).events.find((e) => e.kind === 'resolve')?.span).toEqual({ line: 3, column: 3 });
  });
});
