/**
 * Panel evolution between rounds (blue RFC 0050 modes). Deterministic given the RNG:
 * graduated retains Core anchors and every expert holding an open tension, rotates out the
 * lowest scorers who hold none, and pulls pool experts whose role covers an uncovered tension.
 * Rotating an expert out never closes their tensions (no unanimity by attrition).
 */
import type { Rng } from '../core/index.ts';
import { normaliseLabel } from '../core/index.ts';
import { CONTRARIAN_ROLE } from '../experts/index.ts';
import { drawFromPool } from '../experts/index.ts';
import type { PanelMember, Pool, PoolExpert } from '../experts/index.ts';
import type { PanelEvolution } from '../markdown/index.ts';
import type { Rotation } from './settings.ts';

/** Inputs to plan the next panel. Names are capitalised display names. */
export interface RotationInput {
  mode: Rotation;
  current: PanelMember[];
  pool: Pool;
  rng: Rng;
  /** Every name ever used in the dialogue (stable identity: a returning role keeps its name). */
  namesByRole: Map<string, string>;
  openTensions: { id: string; label: string; raisedBy: string }[];
  /** This round's ALIGNMENT per expert (display name → total). */
  scores: Map<string, number>;
  /** Round 0 agreed too early: seat a contrarian for a premise check. */
  premiseCheck: boolean;
}

/** The planned panel and the reasons, for panel.yaml and the summary. */
export interface RotationPlan {
  next: PanelMember[];
  evolution: PanelEvolution;
  /** Display name → directive for that expert's prompt. */
  directives: Map<string, string>;
}

/** Plans the next round's panel. */
export function planNextPanel(input: RotationInput): RotationPlan {
  const plan = basePlan(input);
  if (input.premiseCheck) seatContrarian(input, plan);
  return plan;
}

function basePlan(input: RotationInput): RotationPlan {
  switch (input.mode) {
    case 'none':
      return retainAll(input.current, 'rotation none: fixed panel');
    case 'wildcards':
      return rotateWildcards(input);
    case 'full':
      return rotateFull(input);
    default:
      return graduated(input);
  }
}

function asRetained(members: PanelMember[]): PanelMember[] {
  return members.map((m) => ({ ...m, source: 'retained' }));
}

function retainAll(current: PanelMember[], reason: string): RotationPlan {
  return {
    next: asRetained(current),
    evolution: { retain: current.map((m) => ({ expert: m.name, reason })), rotateOut: [], add: [] },
    directives: new Map(),
  };
}

function holders(input: RotationInput): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of input.openTensions) out.set(t.raisedBy.toLowerCase(), [...(out.get(t.raisedBy.toLowerCase()) ?? []), t.id]);
  return out;
}

function usedRoles(input: RotationInput): Set<string> {
  return new Set(input.current.map((m) => m.role));
}

function withStableNames(members: PanelMember[], input: RotationInput): PanelMember[] {
  return members.map((m) => ({ ...m, name: input.namesByRole.get(m.role) ?? m.name }));
}

function draw(input: RotationInput, count: number, opts: { exclude: Set<string>; tier?: PoolExpert['tier']; prefer?: (e: PoolExpert) => number }): PanelMember[] {
  if (count <= 0) return [];
  const usedNames = new Set([...input.namesByRole.values()].map((n) => n.toLowerCase()));
  const drawn = drawFromPool(input.pool, count, input.rng, { ...opts, usedNames });
  return withStableNames(drawn, input);
}

function rotateWildcards(input: RotationInput): RotationPlan {
  const keep = input.current.filter((m) => m.tier !== 'Wildcard');
  const out = input.current.filter((m) => m.tier === 'Wildcard');
  const fresh = draw(input, out.length, { exclude: usedRoles(input), tier: 'Wildcard' });
  const stay = out.slice(fresh.length); // no unused wildcard left: keep the old one
  const leaving = out.slice(0, fresh.length);
  return {
    next: [...asRetained([...keep, ...stay]), ...fresh],
    evolution: {
      retain: [...keep, ...stay].map((m) => ({ expert: m.name, reason: m.tier === 'Wildcard' ? 'no unused wildcard in the pool' : `${m.tier} persists` })),
      rotateOut: leaving.map((m) => ({ expert: m.name, reason: 'wildcards rotate every round' })),
      add: fresh.map((m) => ({ expert: m.name, role: m.role, source: 'pool' as const, reason: 'fresh wildcard' })),
    },
    directives: new Map(),
  };
}

function rotateFull(input: RotationInput): RotationPlan {
  const fresh = draw(input, input.current.length, { exclude: usedRoles(input) });
  const stay = input.current.slice(fresh.length);
  return {
    next: [...asRetained(stay), ...fresh],
    evolution: {
      retain: stay.map((m) => ({ expert: m.name, reason: 'pool exhausted' })),
      rotateOut: input.current.slice(0, fresh.length).map((m) => ({ expert: m.name, reason: 'full rotation' })),
      add: fresh.map((m) => ({ expert: m.name, role: m.role, source: 'pool' as const, reason: 'full rotation' })),
    },
    directives: new Map(),
  };
}

function graduated(input: RotationInput): RotationPlan {
  const held = holders(input);
  const retain: PanelEvolution['retain'] = [];
  const candidates: PanelMember[] = [];
  for (const m of input.current) {
    const ids = held.get(m.name.toLowerCase());
    if (ids) retain.push({ expert: m.name, reason: `holds open tension ${ids.join(', ')}` });
    else if (m.tier === 'Core') retain.push({ expert: m.name, reason: 'core anchor' });
    else candidates.push(m);
  }
  const quota = Math.max(1, Math.floor(input.current.length / 4));
  const lowest = [...candidates].sort((a, b) => (input.scores.get(a.name) ?? 0) - (input.scores.get(b.name) ?? 0) || a.name.localeCompare(b.name));
  const exclude = usedRoles(input);
  const uncovered = input.openTensions.filter((t) => !input.current.some((m) => m.name.toLowerCase() === t.raisedBy.toLowerCase()));
  const add = coverTensions(input, uncovered, exclude);
  const outCount = Math.min(lowest.length, Math.max(quota, add.length));
  const leaving = lowest.slice(0, outCount);
  const extra = draw(input, Math.max(0, outCount - add.length), { exclude: new Set([...exclude, ...add.map((a) => a.member.role)]) });
  const leavingNames = new Set(leaving.slice(0, add.length + extra.length).map((m) => m.name));
  const staying = input.current.filter((m) => !leavingNames.has(m.name));
  for (const m of candidates) if (!leavingNames.has(m.name)) retain.push({ expert: m.name, reason: `ALIGNMENT ${input.scores.get(m.name) ?? 0} this round` });
  return {
    next: [...asRetained(staying), ...add.map((a) => a.member), ...extra],
    evolution: {
      retain: sortLike(retain, input.current),
      rotateOut: leaving
        .filter((m) => leavingNames.has(m.name))
        .map((m) => ({ expert: m.name, reason: `lowest ALIGNMENT this round (${input.scores.get(m.name) ?? 0}) and no open tension` })),
      add: [
        ...add.map((a) => ({ expert: a.member.name, role: a.member.role, source: 'pool' as const, reason: a.reason })),
        ...extra.map((m) => ({ expert: m.name, role: m.role, source: 'pool' as const, reason: 'fresh perspective from the pool' })),
      ],
    },
    directives: new Map(add.map((a) => [a.member.name, a.reason])),
  };
}

function sortLike<T extends { expert: string }>(rows: T[], order: PanelMember[]): T[] {
  const idx = new Map(order.map((m, i) => [m.name, i]));
  return [...rows].sort((a, b) => (idx.get(a.expert) ?? 0) - (idx.get(b.expert) ?? 0));
}

/** For each uncovered tension, the unused pool expert whose role and focus share the most words with it. */
function coverTensions(input: RotationInput, uncovered: RotationInput['openTensions'], exclude: Set<string>): { member: PanelMember; reason: string }[] {
  const out: { member: PanelMember; reason: string }[] = [];
  const taken = new Set(exclude);
  for (const t of uncovered.slice(0, 2)) {
    const words = new Set(normaliseLabel(t.label).split(' ').filter((w) => w.length > 3));
    const overlap = (e: PoolExpert) => normaliseLabel(`${e.role} ${e.focus ?? ''}`).split(' ').filter((w) => words.has(w)).length;
    const best = input.pool.experts.filter((e) => !taken.has(e.role) && overlap(e) > 0).sort((a, b) => overlap(b) - overlap(a))[0];
    if (!best) continue;
    const [member] = draw(input, 1, { exclude: new Set(input.pool.experts.filter((e) => e.role !== best.role).map((e) => e.role)) });
    if (!member) continue;
    taken.add(best.role);
    out.push({ member, reason: `covers ${t.id} (${t.label}), whose author left the panel` });
  }
  return out;
}

/** Premise check: make sure a contrarian sits on the next panel and tell them why. */
function seatContrarian(input: RotationInput, plan: RotationPlan): void {
  const seated = plan.next.find((m) => CONTRARIAN_ROLE.test(m.role));
  const directive = 'Premise check: the panel agreed in its first round. Challenge the shared assumptions before anyone converges.';
  if (seated) {
    plan.directives.set(seated.name, directive);
    return;
  }
  const [contrarian] = draw(input, 1, {
    exclude: new Set(input.pool.experts.filter((e) => !CONTRARIAN_ROLE.test(e.role) || usedRoles(input).has(e.role)).map((e) => e.role)),
  });
  if (!contrarian) return;
  plan.next.push(contrarian);
  plan.evolution.add.push({ expert: contrarian.name, role: contrarian.role, source: 'pool', reason: 'premise check: unanimous agreement came too early' });
  plan.directives.set(contrarian.name, directive);
}
