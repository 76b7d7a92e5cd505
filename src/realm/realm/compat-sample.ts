/**
 * The sampled half of the compatibility definition: look for a value valid under one schema
 * and invalid under the other. Seeds come from json-schema-faker (seeded, so a run is
 * repeatable); each seed is then varied at every position with values taken from both
 * schemas (their property names, enum members, bounds, pattern strings), because the sampler
 * alone never writes extra or pattern-named keys and rarely reaches a bound. Every candidate
 * is checked with ajv against both schemas, so a reported counterexample is real.
 */
import { generateSync } from 'json-schema-faker';
import type { Schema } from './compat-subset.ts';
import { compileSchema, type Draft } from './validate.ts';

type Json = Record<string, unknown>;

/** How hard to look: seeds drawn per search, positions varied per seed. */
const SEEDS = 12;
const MAX_PATHS = 24;
const BASE_POOL: unknown[] = [null, true, 0, 1, -1, 0.5, '', 'a', [], {}];

/**
 * A value valid under `from` and invalid under `to`, or undefined when none was found.
 * Deterministic for given schemas.
 */
export function findCounterexample(from: Json, to: Json, draft: Draft): { value: unknown } | undefined {
  const validFrom = compileSchema(from, draft);
  const validTo = compileSchema(to, draft);
  const hit = (v: unknown) => validFrom(v) && !validTo(v);
  const pool = poolOf([from, to]);
  const names = namesOf([from, to]);
  if (pool.some(hit)) return { value: pool.find(hit) };
  for (const seed of seeds(from)) {
    if (hit(seed)) return { value: seed };
    for (const p of paths(seed).slice(0, MAX_PATHS)) {
      for (const candidate of variants(seed, p, pool, names)) if (hit(candidate)) return { value: candidate };
    }
  }
  return undefined;
}

function seeds(schema: Json): unknown[] {
  const out: unknown[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    try {
      out.push(generateSync(schema as never, { seed, optionalsProbability: seed % 3 === 0 ? 1 : 0.5, maxDepth: 5 }));
    } catch {
      // A schema the sampler cannot draw from: the pool values still get checked.
    }
  }
  return out;
}

type Path = (string | number)[];

/** Every position inside a value (the root first), depth-first. */
function paths(v: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

/** Copies of `root` changed at `p`: replaced, and by the kind of value found there. */
function* variants(root: unknown, p: Path, pool: unknown[], names: string[]): Generator<unknown> {
  const here = get(root, p);
  for (const x of pool) yield set(root, p, x);
  if (Array.isArray(here)) {
    yield set(root, p, []);
    for (let i = 0; i < Math.min(here.length, 3); i++) yield set(root, p, here.filter((_, j) => j !== i));
    if (here.length > 0) yield set(root, p, [...here, here[0]]);
    for (const x of pool) yield set(root, p, [...here, x]);
  } else if (here && typeof here === 'object') {
    for (const k of Object.keys(here)) yield set(root, p, Object.fromEntries(Object.entries(here).filter(([key]) => key !== k)));
    for (const n of names) for (const x of pool) yield set(root, p, { ...(here as Json), [n]: x });
  } else if (typeof here === 'string') {
    for (const len of [0, 1, here.length + 1, here.length * 2 + 1]) yield set(root, p, here.padEnd(len, here[0] ?? 'a').slice(0, len));
  }
}

/** Values worth trying: basics plus each schema's enum members, bounds and pattern strings. */
function poolOf(schemas: Json[]): unknown[] {
  const out = [...BASE_POOL];
  walk(schemas, (s) => {
    if (Array.isArray(s.enum)) out.push(...s.enum);
    if ('const' in s) out.push(s.const);
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
      const n = s[k];
      if (typeof n === 'number') out.push(n - 1, n - 0.5, n, n + 0.5, n + 1);
    }
    if (typeof s.multipleOf === 'number') out.push(s.multipleOf, s.multipleOf * 2, s.multipleOf * 3);
    for (const k of ['minLength', 'maxLength']) {
      const n = s[k];
      if (typeof n === 'number') for (const len of [n - 1, n, n + 1]) if (len >= 0) out.push('a'.repeat(len));
    }
    if (typeof s.pattern === 'string') out.push(...patternStrings(s.pattern));
    if (typeof s.format === 'string') out.push(...formatStrings(s.format));
  });
  return dedupe(out);
}

/** Property names of both schemas, plus names matching their patternProperties. */
function namesOf(schemas: Json[]): string[] {
  const out: string[] = ['x-extra'];
  walk(schemas, (s) => {
    if (s.properties && typeof s.properties === 'object') out.push(...Object.keys(s.properties));
    if (s.patternProperties && typeof s.patternProperties === 'object') {
      for (const p of Object.keys(s.patternProperties)) out.push(...patternStrings(p));
    }
  });
  return [...new Set(out.filter((n) => typeof n === 'string'))];
}

function patternStrings(pattern: string): string[] {
  const out: string[] = [];
  for (let seed = 1; seed <= 3; seed++) {
    try {
      out.push(String(generateSync({ type: 'string', pattern } as never, { seed })));
    } catch {
      // An unsupported pattern: nothing to add.
    }
  }
  return out;
}

function formatStrings(format: string): string[] {
  try {
    return [String(generateSync({ type: 'string', format } as never, { seed: 1 }))];
  } catch {
    return [];
  }
}

/** Calls `f` on every schema object inside `schemas`. */
function walk(schemas: Schema[], f: (s: Json) => void): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    f(node as Json);
    Object.values(node as Json).forEach(visit);
  };
  schemas.forEach(visit);
}

function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function get(root: unknown, p: Path): unknown {
  return p.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], root);
}

function set(root: unknown, p: Path, value: unknown): unknown {
  if (p.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  const parent = get(copy, p.slice(0, -1)) as Record<string | number, unknown>;
  parent[p[p.length - 1]!] = value;
  return copy;
}
