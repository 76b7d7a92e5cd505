/** Panel evolution rules (graduated, wildcards, full, none) and the premise-check contrarian. */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/core/index.ts';
import type { PanelMember, Pool } from '../../src/experts/types.ts';
import { planNextPanel, type RotationInput } from '../../src/orchestrator/rotation.ts';

const POOL: Pool = {
  name: 't',
  domain: 'Storage',
  experts: [
    { role: 'Database Architect', tier: 'Core', relevance: 0.95 },
    { role: 'Platform Engineer', tier: 'Core', relevance: 0.9 },
    { role: 'Cost Analyst', tier: 'Adjacent', relevance: 0.8 },
    { role: 'SRE Lead', tier: 'Adjacent', relevance: 0.75 },
    { role: 'Encryption Specialist', tier: 'Adjacent', relevance: 0.7, focus: 'key rotation and envelope encryption' },
    { role: 'Developer Advocate', tier: 'Adjacent', relevance: 0.6 },
    { role: 'Startup CTO', tier: 'Wildcard', relevance: 0.4 },
    { role: 'Contrarian (Challenge All Assumptions)', tier: 'Wildcard', relevance: 0.3 },
  ],
};

const member = (name: string, i: number): PanelMember => ({ name, ...POOL.experts[i]!, source: 'pool' });
const current = [member('Muffin', 0), member('Cupcake', 2), member('Scone', 3), member('Eclair', 5), member('Donut', 6)];

function input(over: Partial<RotationInput> = {}): RotationInput {
  return {
    mode: 'graduated',
    current,
    pool: POOL,
    rng: seededRng(7),
    namesByRole: new Map(current.map((m) => [m.role, m.name])),
    openTensions: [],
    scores: new Map([['Muffin', 10], ['Cupcake', 3], ['Scone', 8], ['Eclair', 1], ['Donut', 6]]),
    premiseCheck: false,
    ...over,
  };
}

describe('graduated rotation', () => {
  it('retains Core anchors and tension holders, rotates out the lowest scorer without a tension', () => {
    const plan = planNextPanel(input({ openTensions: [{ id: 'T0001', label: 'cost at scale', raisedBy: 'Cupcake' }] }));
    expect(plan.evolution.rotateOut.map((r) => r.expert)).toEqual(['Eclair']);
    expect(plan.evolution.rotateOut[0]!.reason).toContain('lowest ALIGNMENT');
    const retain = new Map(plan.evolution.retain.map((r) => [r.expert, r.reason]));
    expect(retain.get('Muffin')).toBe('core anchor');
    expect(retain.get('Cupcake')).toBe('holds open tension T0001');
    expect(plan.next).toHaveLength(5);
    expect(plan.next.filter((m) => m.source === 'retained').map((m) => m.name)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Donut']);
    const added = plan.next.find((m) => m.source === 'pool')!;
    expect(current.map((m) => m.role)).not.toContain(added.role);
    expect(plan.evolution.add[0]!.expert).toBe(added.name);
  });

  it('pulls the pool expert whose role covers a tension whose author left', () => {
    const plan = planNextPanel(input({ openTensions: [{ id: 'T0102', label: 'Encryption key rotation is unspecified', raisedBy: 'Galette' }] }));
    const add = plan.evolution.add.find((a) => a.reason.startsWith('covers T0102'));
    expect(add?.role).toBe('Encryption Specialist');
    expect(plan.directives.get(add!.expert)).toContain('T0102');
  });

  it('never reuses a name: a new role gets the next free pastry name', () => {
    const plan = planNextPanel(input());
    const names = plan.next.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('Eclair');
  });

  it('seats a contrarian with a directive for a premise check', () => {
    const plan = planNextPanel(input({ premiseCheck: true }));
    const contrarian = plan.next.find((m) => m.role.startsWith('Contrarian'));
    expect(contrarian).toBeDefined();
    expect(plan.directives.get(contrarian!.name)).toMatch(/Premise check/);
  });
});

describe('other modes', () => {
  it('none keeps the panel', () => {
    const plan = planNextPanel(input({ mode: 'none' }));
    expect(plan.next.map((m) => m.name)).toEqual(current.map((m) => m.name));
    expect(plan.evolution.rotateOut).toEqual([]);
  });

  it('wildcards replaces only wildcards, from unused wildcards', () => {
    const plan = planNextPanel(input({ mode: 'wildcards' }));
    expect(plan.evolution.rotateOut.map((r) => r.expert)).toEqual(['Donut']);
    expect(plan.next.find((m) => m.source === 'pool')?.role).toBe('Contrarian (Challenge All Assumptions)');
  });

  it('full replaces as many as the pool has unused roles', () => {
    const plan = planNextPanel(input({ mode: 'full' }));
    expect(plan.evolution.add).toHaveLength(3); // 8 roles − 5 seated
    expect(plan.next).toHaveLength(5);
  });
});
