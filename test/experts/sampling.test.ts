import { describe, expect, it } from 'vitest';
import { UserError, seededRng, type Rng } from '../../src/core/index.ts';
import { drawFromPool, samplePanel, tierSplit, weightedSample, type Pool, type PoolExpert, type Tier } from '../../src/experts/index.ts';

function pool(core: number, adjacent: number, wildcard: number): Pool {
  const make = (tier: Tier, n: number, rel: number): PoolExpert[] =>
    Array.from({ length: n }, (_, i) => ({ role: `${tier} ${i + 1}`, tier, relevance: rel - i * 0.01 }));
  return { name: 't', domain: 'T', experts: [...make('Core', core, 0.95), ...make('Adjacent', adjacent, 0.75), ...make('Wildcard', wildcard, 0.4)] };
}

/** An rng that replays fixed values. */
function scripted(values: number[]): Rng {
  let i = 0;
  return { next: () => values[i++ % values.length]! };
}

describe('tierSplit (blue tier_split)', () => {
  it.each([
    [1, 1, 0, 0],
    [2, 2, 0, 0],
    [3, 1, 1, 1],
    [4, 1, 2, 1],
    [5, 1, 3, 1],
    [6, 2, 3, 1],
    [8, 2, 4, 2],
    [10, 3, 5, 2],
    [12, 4, 5, 3],
  ])('n=%i → core %i, adjacent %i, wildcard %i', (n, core, adjacent, wildcard) => {
    expect(tierSplit(n)).toEqual({ core, adjacent, wildcard });
  });
});

describe('weightedSample', () => {
  it('picks by cumulative weight without replacement', () => {
    const items = ['a', 'b', 'c'];
    const w = { a: 1, b: 2, c: 1 } as Record<string, number>;
    // 0.3*4=1.2 → b; then remaining a,c (total 2): 0.6*2=1.2 → c
    expect(weightedSample(items, 2, (x) => w[x]!, scripted([0.3, 0.6]))).toEqual(['b', 'c']);
  });

  it('is uniform when weights sum to zero and returns everything when asked for more', () => {
    expect(weightedSample(['a', 'b', 'c', 'd'], 1, () => 0, scripted([0.5]))).toEqual(['c']);
    expect(weightedSample(['a', 'b'], 5, () => 1, scripted([0.5]))).toEqual(['a', 'b']);
  });

  it('never picks a zero-weight item while positive weight remains', () => {
    const rng = seededRng(3);
    for (let i = 0; i < 200; i++) expect(weightedSample(['z', 'x'], 1, (s) => (s === 'z' ? 0 : 1), rng)).toEqual(['x']);
  });
});

describe('samplePanel', () => {
  it('fills tiers per the split, in Core → Adjacent → Wildcard order, with pastry names', () => {
    const panel = samplePanel(pool(4, 6, 4), 8, seededRng(42));
    expect(panel.map((m) => m.tier)).toEqual(['Core', 'Core', 'Adjacent', 'Adjacent', 'Adjacent', 'Adjacent', 'Wildcard', 'Wildcard']);
    expect(panel.map((m) => m.name)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Brioche', 'Croissant', 'Macaron']);
    expect(new Set(panel.map((m) => m.role)).size).toBe(8);
    expect(panel.every((m) => m.source === 'pool')).toBe(true);
  });

  it('is deterministic for a seed and varies across seeds', () => {
    const p = pool(5, 6, 5);
    const roles = (seed: number) => samplePanel(p, 6, seededRng(seed)).map((m) => m.role);
    expect(roles(7)).toEqual(roles(7));
    const distinct = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => roles(s).join('|')));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('tops up from other tiers when a tier runs short', () => {
    const panel = samplePanel(pool(1, 1, 5), 6, seededRng(1)); // split (2,3,1): Core and Adjacent short
    expect(panel).toHaveLength(6);
    expect(panel.slice(0, 3).map((m) => m.tier)).toEqual(['Core', 'Adjacent', 'Wildcard']);
    expect(panel.slice(3).every((m) => m.tier === 'Wildcard')).toBe(true);
  });

  it('clamps to the pool, honours exclusions and used names', () => {
    expect(samplePanel(pool(2, 2, 1), 50, seededRng(1))).toHaveLength(5);
    const panel = samplePanel(pool(2, 2, 1), 5, seededRng(1), { exclude: new Set(['core 1']), usedNames: new Set(['Muffin']) });
    expect(panel).toHaveLength(4);
    expect(panel.map((m) => m.role)).not.toContain('Core 1');
    expect(panel[0]!.name).toBe('Cupcake');
  });

  it('rejects a size below 1 with E_USAGE', () => {
    expect(() => samplePanel(pool(2, 2, 2), 0, seededRng(1))).toThrow(UserError);
    try {
      samplePanel(pool(2, 2, 2), 0, seededRng(1));
    } catch (err) {
      expect((err as UserError).code).toBe('E_USAGE');
    }
  });

  it('follows relevance: the heavier core expert is drawn far more often', () => {
    const p: Pool = {
      name: 't',
      domain: 'T',
      experts: [
        { role: 'heavy', tier: 'Core', relevance: 0.9 },
        { role: 'light', tier: 'Core', relevance: 0.1 },
        { role: 'adj', tier: 'Adjacent', relevance: 0.5 },
      ],
    };
    const rng = seededRng(9);
    let heavy = 0;
    for (let i = 0; i < 1000; i++) if (samplePanel(p, 1, rng)[0]!.role === 'heavy') heavy++;
    expect(heavy).toBeGreaterThan(850);
    expect(heavy).toBeLessThan(950);
  });
});

describe('drawFromPool', () => {
  it('draws unused experts of a tier with fresh names', () => {
    const p = pool(3, 3, 4);
    const drawn = drawFromPool(p, 2, seededRng(5), {
      exclude: new Set(['Wildcard 1']),
      tier: 'Wildcard',
      usedNames: new Set(['Muffin', 'Cupcake', 'Scone']),
    });
    expect(drawn).toHaveLength(2);
    expect(drawn.every((m) => m.tier === 'Wildcard' && m.role !== 'Wildcard 1')).toBe(true);
    expect(drawn.map((m) => m.name)).toEqual(['Eclair', 'Donut']);
  });

  it('applies prefer as a weight factor and returns fewer when the pool runs dry', () => {
    const p = pool(3, 0, 0);
    const pick = drawFromPool(p, 1, seededRng(5), { exclude: new Set(), usedNames: new Set(), prefer: (e) => (e.role === 'Core 3' ? 1 : 0) });
    expect(pick.map((m) => m.role)).toEqual(['Core 3']);
    expect(drawFromPool(p, 5, seededRng(5), { exclude: new Set(['Core 1']), usedNames: new Set() })).toHaveLength(2);
  });
});
