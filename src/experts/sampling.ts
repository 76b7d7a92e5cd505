/**
 * Panel sampling from a pool, exactly as blue does it (spec §1.3: `tier_split`,
 * `weighted_sample`, `sample_panel_from_pool`), plus a draw helper for panel rotation.
 */
import { UserError, type Rng } from '../core/index.ts';
import { nextPastryName } from './names.ts';
import type { PanelMember, Pool, PoolExpert, Tier } from './types.ts';

/** Slots per tier for a panel of `n`. */
export interface TierSplit {
  core: number;
  adjacent: number;
  wildcard: number;
}

/**
 * Per-tier slots (blue `tier_split`, integer division): n ≤ 2 → all Core; 3..5 → core =
 * max(1, ⌊n/3⌋), wildcard = 1, adjacent = the rest; n ≥ 6 → wildcard = ⌊n/4⌋, core = ⌊n/3⌋,
 * adjacent = the rest. E.g. 6→(2,3,1), 8→(2,4,2), 12→(4,5,3).
 */
export function tierSplit(n: number): TierSplit {
  if (n <= 2) return { core: Math.max(0, n), adjacent: 0, wildcard: 0 };
  if (n <= 5) {
    const core = Math.max(1, Math.floor(n / 3));
    return { core, adjacent: n - core - 1, wildcard: 1 };
  }
  const wildcard = Math.floor(n / 4);
  const core = Math.floor(n / 3);
  return { core, adjacent: n - core - wildcard, wildcard };
}

/**
 * Weighted sampling without replacement (blue `weighted_sample`): each pick has probability
 * ∝ weight among the remaining items; uniform when the remaining weights sum to ≤ 0; the
 * whole list (in order) when it has ≤ `k` items. Consumes one `rng.next()` per pick.
 */
export function weightedSample<T>(items: readonly T[], k: number, weight: (item: T) => number, rng: Rng): T[] {
  if (items.length <= k) return [...items];
  const rest = [...items];
  const picked: T[] = [];
  while (picked.length < k && rest.length > 0) {
    const weights = rest.map((it) => Math.max(0, weight(it)));
    const total = weights.reduce((a, b) => a + b, 0);
    let index: number;
    if (total <= 0) index = Math.min(rest.length - 1, Math.floor(rng.next() * rest.length));
    else {
      let r = rng.next() * total;
      index = weights.findIndex((w) => (r -= w) < 0);
      if (index < 0) index = lastPositive(weights); // float rounding at the top end
    }
    picked.push(rest.splice(index, 1)[0]!);
  }
  return picked;
}

/** Options of {@link samplePanel}. */
export interface SampleOptions {
  /** Roles not to sample (compared trimmed, case-insensitively). */
  exclude?: ReadonlySet<string>;
  /** Names already taken in the dialogue; new members get the next free pastry names. Not mutated. */
  usedNames?: ReadonlySet<string>;
}

/**
 * Samples a panel of `size` from `pool` (blue spec §1.3): per-tier weighted sampling by
 * relevance, concatenated Core → Adjacent → Wildcard, then topped up by weight from all unused
 * roles; pastry names assigned in that order; `source: 'pool'`. Deterministic for a given rng.
 * `size` is clamped to the number of available (non-excluded) experts.
 * @throws UserError `E_USAGE` when `size` is not an integer ≥ 1.
 */
export function samplePanel(pool: Pool, size: number, rng: Rng, opts: SampleOptions = {}): PanelMember[] {
  if (!Number.isInteger(size) || size < 1) {
    throw new UserError('E_USAGE', `panel size must be a whole number of at least 1, got ${size}`, { expected: 'an integer ≥ 1' });
  }
  const excluded = roleKeys(opts.exclude);
  const available = pool.experts.filter((e) => !excluded.has(roleKey(e.role)));
  const n = Math.min(size, available.length);
  const split = tierSplit(n);
  const chosen: PoolExpert[] = [];
  const want: [Tier, number][] = [['Core', split.core], ['Adjacent', split.adjacent], ['Wildcard', split.wildcard]];
  for (const [tier, count] of want) {
    const inTier = available.filter((e) => e.tier === tier);
    chosen.push(...weightedSample(inTier, count, (e) => e.relevance, rng));
  }
  while (chosen.length < n) {
    const unused = available.filter((e) => !chosen.includes(e));
    if (unused.length === 0) break;
    chosen.push(...weightedSample(unused, 1, (e) => e.relevance, rng));
  }
  return nameMembers(chosen, opts.usedNames);
}

/** Options of {@link drawFromPool}. */
export interface DrawOptions {
  /** Roles already on the panel or otherwise unavailable (trimmed, case-insensitive). */
  exclude: ReadonlySet<string>;
  /** Restrict the draw to one tier. */
  tier?: Tier;
  /** Names already taken in the dialogue. Not mutated. */
  usedNames: ReadonlySet<string>;
  /** Extra weight factor per expert (multiplies relevance), e.g. to favour a focus. */
  prefer?: (e: PoolExpert) => number;
}

/**
 * Draws up to `count` unused experts (rotation helper): weighted by relevance × `prefer`,
 * without replacement, optionally within one tier. Returns fewer when the pool runs dry.
 * @throws UserError `E_USAGE` when `count` is negative or not an integer.
 */
export function drawFromPool(pool: Pool, count: number, rng: Rng, opts: DrawOptions): PanelMember[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new UserError('E_USAGE', `draw count must be a whole number ≥ 0, got ${count}`, { expected: 'an integer ≥ 0' });
  }
  const excluded = roleKeys(opts.exclude);
  const candidates = pool.experts.filter((e) => !excluded.has(roleKey(e.role)) && (!opts.tier || e.tier === opts.tier));
  const prefer = opts.prefer ?? (() => 1);
  const drawn = weightedSample(candidates, count, (e) => e.relevance * prefer(e), rng);
  return nameMembers(drawn, opts.usedNames);
}

function nameMembers(experts: PoolExpert[], usedNames: ReadonlySet<string> | undefined): PanelMember[] {
  const used = new Set(usedNames ?? []);
  return experts.map((e) => {
    const name = nextPastryName(used);
    used.add(name);
    return {
      name,
      role: e.role,
      tier: e.tier,
      relevance: e.relevance,
      source: 'pool' as const,
      ...(e.focus !== undefined ? { focus: e.focus } : {}),
    };
  });
}

function roleKey(role: string): string {
  return role.trim().toLowerCase();
}

function roleKeys(roles: ReadonlySet<string> | undefined): Set<string> {
  return new Set([...(roles ?? [])].map(roleKey));
}

function lastPositive(weights: number[]): number {
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return weights.length - 1;
}
