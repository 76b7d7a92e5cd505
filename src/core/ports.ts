/**
 * Injected side effects. Production code receives these; tests pass fixed ones so
 * nothing depends on real time, real randomness or the process's working directory.
 */
import prand from 'pure-rand';

/** Wall clock. */
export interface Clock {
  /** Current instant. */
  now(): Date;
}

/** Random source: `next()` returns a float in [0, 1). */
export interface Rng {
  next(): number;
}

/** Identifier source, e.g. for dialogue ids or request ids. */
export interface IdSource {
  /** A fresh id, optionally prefixed. */
  next(prefix?: string): string;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at `iso` that advances `stepMs` on every read (tests, replays). */
export function fixedClock(iso: string, stepMs = 0): Clock {
  let t = Date.parse(iso);
  return {
    now: () => {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
  };
}

/** A deterministic RNG (xoroshiro128+ from pure-rand) seeded with a 32-bit integer. */
export function seededRng(seed: number): Rng {
  let gen = prand.xoroshiro128plus(seed | 0);
  return {
    next: () => {
      const [value, nextGen] = prand.uniformIntDistribution(0, 0xffffffff, gen);
      gen = nextGen;
      return value / 0x100000000;
    },
  };
}

/** Sequential ids `prefix-1`, `prefix-2`, … (deterministic). */
export function counterIds(): IdSource {
  let n = 0;
  return { next: (prefix = 'id') => `${prefix}-${++n}` };
}

/** Random ids from crypto (production). */
export const randomIds: IdSource = {
  next: (prefix) => `${prefix ? `${prefix}-` : ''}${globalThis.crypto.randomUUID().slice(0, 8)}`,
};
