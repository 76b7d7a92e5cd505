/** The computed metrics, the convergence gate, the ALIGNMENT rubric, and no unanimity by attrition. */
import type { RoundCounts } from '../../src/core/index.ts';
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/fake.ts';
import type { CompletionRequest } from '../../src/llm/port.ts';
import { blockers, computeMetrics, gate, scoreTally, startDialogue } from '../../src/orchestrator/index.ts';
import { emptyTally } from '../../src/orchestrator/plan/plan-round.ts';
import type { ExpertTally } from '../../src/orchestrator/plan/types.ts';
import { engine, makePool, settings } from './helpers.ts';

const metrics = (over: Partial<RoundCounts> = {}): RoundCounts => ({
  panelSize: 4,
  openTensions: 0,
  newPerspectives: 0,
  convergeSignals: 4,
  convergePercent: 100,
  velocity: 0,
  ...over,
});

describe('computeMetrics', () => {
  const base = {
    round: 1,
    panel: ['a', 'b', 'c'],
    perspectives: [
      { round: 0, isNew: true },
      { round: 1, isNew: true },
      { round: 1, isNew: true },
      { round: 1, isNew: false },
    ],
    tensions: [{ status: 'open' }, { status: 'reopened' }, { status: 'resolved' }, { status: 'accepted' }],
    convergers: ['a'],
  };

  it('velocity = open (open + reopened) tensions + new perspectives of this round', () => {
    const m = computeMetrics(base);
    expect(m.openTensions).toBe(2);
    expect(m.newPerspectives).toBe(2);
    expect(m.velocity).toBe(4);
    expect(m.panelSize).toBe(3);
  });

  it('floors converge % (1/3 → 33, 2/3 → 66)', () => {
    expect(computeMetrics(base).convergePercent).toBe(33);
    expect(computeMetrics({ ...base, convergers: ['a', 'b'] }).convergePercent).toBe(66);
    expect(computeMetrics({ ...base, convergers: ['a', 'b', 'c'] }).convergePercent).toBe(100);
  });

  it('ignores convergers not on the panel and counts duplicates once', () => {
    const m = computeMetrics({ ...base, convergers: ['a', 'a', 'a', 'zed', 'yak'] });
    expect(m.convergeSignals).toBe(1);
    expect(m.convergePercent).toBe(33);
  });

  it('an empty panel is 0%, not NaN', () => {
    const m = computeMetrics({ ...base, panel: [], convergers: ['a'] });
    expect(m.convergePercent).toBe(0);
    expect(m.convergeSignals).toBe(0);
  });
});

describe('gate', () => {
  const opts = { minRounds: 2, maxRounds: 4 };

  it('converges only when velocity is 0 and converge % is 100 after min rounds', () => {
    expect(gate(metrics(), 1, opts)).toEqual({ kind: 'converged' });
    expect(gate(metrics({ openTensions: 1, velocity: 1 }), 1, opts).kind).toBe('continue');
    expect(gate(metrics({ newPerspectives: 1, velocity: 1 }), 1, opts).kind).toBe('continue');
    expect(gate(metrics({ convergeSignals: 3, convergePercent: 75 }), 1, opts).kind).toBe('continue');
  });

  it('agreement before min rounds asks for a premise check instead of converging', () => {
    const g = gate(metrics(), 0, opts);
    expect(g).toMatchObject({ kind: 'continue', premiseCheck: true });
    const blocked = gate(metrics({ openTensions: 2, velocity: 2 }), 0, opts);
    expect(blocked).toMatchObject({ kind: 'continue', premiseCheck: false });
  });

  it('ends forced at max rounds, with the reasons', () => {
    const g = gate(metrics({ openTensions: 1, velocity: 1, convergePercent: 50, convergeSignals: 2 }), 3, opts);
    expect(g).toEqual({ kind: 'forced', blocked: ['1 open tension', 'converge 50% < 100%'] });
    expect(gate(metrics(), 0, { minRounds: 2, maxRounds: 1 })).toEqual({ kind: 'forced', blocked: ['minimum rounds not reached'] });
  });

  it('blockers name each reason with correct plurals', () => {
    expect(blockers(metrics({ openTensions: 2, newPerspectives: 1, velocity: 3, convergePercent: 0, convergeSignals: 0 }))).toEqual([
      '2 open tensions',
      '1 new perspective',
      'converge 0% < 100%',
    ]);
    expect(blockers(metrics())).toEqual([]);
  });
});

describe('scoreTally rubric', () => {
  const tally = (over: Partial<ExpertTally> = {}): ExpertTally => ({ ...emptyTally('muffin', true), withinQuota: false, ...over });

  it('weights each counted event (W 3/1/2, C markers capped at 5 + 2 quota − 2 per error, T 2/2/1/1, R 2/1)', () => {
    const s = scoreTally(
      tally({ newPerspectives: 2, duplicatePerspectives: 1, refinements: 1, wellFormedMarkers: 7, withinQuota: true, errorFindings: 1, tensionsRaised: 1, resolutions: 1, acceptances: 1, concessions: 2, crossRefs: 2, bridges: 1 }),
    );
    expect(s).toEqual({ expert: 'muffin', wisdom: 9, consistency: 5, truth: 7, relationships: 5, total: 26 });
  });

  it('consistency never goes below 0', () => {
    expect(scoreTally(tally({ errorFindings: 3, wellFormedMarkers: 1 })).consistency).toBe(0);
  });

  it('an absent expert scores 0 whatever was tallied', () => {
    expect(scoreTally(tally({ answered: false, newPerspectives: 5, wellFormedMarkers: 5 })).total).toBe(0);
  });
});

describe('no unanimity by attrition', () => {
  // All-wildcard pool + `wildcards` rotation: the whole panel is replaced every round.
  // Distinct texts: near-duplicate tensions would be merged (lexical-v1), which is not what is tested here.
  const topics = ['latency budgets under load', 'schema migrations without downtime', 'audit trails for deletes', 'vendor lock-in of queues', 'cost of cold starts', 'key rotation'];
  const run = async (later: (req: CompletionRequest, author: boolean) => string) => {
    const seen = new Map<string, string>();
    const topic = (expert = '') => seen.get(expert) ?? (seen.set(expert, topics[seen.size]!), seen.get(expert)!);
    const provider = createFakeProvider({
      respond: (req) =>
        req.meta.round === 0
          ? `[PERSPECTIVE P01: ${topic(req.meta.expert)} matter]\n${req.meta.expert} explains ${topic(req.meta.expert)}.\n\n[TENSION T01: ${topic(req.meta.expert)} are ignored]\nThe plan ignores ${topic(req.meta.expert)}.\n`
          : later(req, seen.has(req.meta.expert ?? '')),
    });
    const deps = engine(provider);
    const result = await startDialogue(deps, { question: 'Ship the plan?', pool: makePool(6, 'Wildcard'), constraints: [], sources: [] }, settings({ rotation: 'wildcards', panelSize: 2, maxRounds: 3, minRounds: 2 }));
    return { deps, result };
  };

  it('tensions of rotated-out experts stay open and block convergence to the end', async () => {
    // An author who returns keeps objecting (an owner's own [MOVE:CONVERGE] would accept their tension: owner-converged).
    const { deps, result } = await run((_req, author) => (author ? 'I still object.\n' : 'No objection left.\n\n[MOVE:CONVERGE]\n'));
    const r0 = deps.store.panel(result.id, 0).map((s) => s.expert);
    const r1 = deps.store.panel(result.id, 1).map((s) => s.expert);
    expect(r0).toHaveLength(2);
    expect(r1.filter((e) => r0.includes(e))).toEqual([]); // both authors left the panel
    const tensions = deps.store.tensions(result.id);
    expect(tensions).toHaveLength(2);
    expect(tensions.map((t) => t.status)).toEqual(['open', 'open']);
    const rounds = deps.store.rounds(result.id);
    const authorsBack = deps.store.panel(result.id, 2).filter((s) => r0.includes(s.expert)).length;
    expect(rounds.map((r) => r.convergePercent)).toEqual([0, 100, authorsBack === 0 ? 100 : 50]);
    expect(rounds.map((r) => r.openTensions)).toEqual([2, 2, 2]);
    expect(result.outcome).toBe('forced');
    expect(result.rounds).toBe(3);
  }, 30_000);

  it('control: the same panel converges once the newcomers resolve the tensions', async () => {
    const { deps, result } = await run(() => '[RESOLVED T0001: handled by a flag]\nDone.\n\n[RESOLVED T0002: handled by a test]\nDone.\n\n[MOVE:CONVERGE]\n');
    expect(deps.store.tensions(result.id).map((t) => t.status)).toEqual(['resolved', 'resolved']);
    expect(result.outcome).toBe('converged');
    expect(result.rounds).toBe(2);
  }, 30_000);
});
