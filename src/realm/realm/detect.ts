/**
 * Export detection (seed 003): an export binding's `detect:` patterns locate the exported
 * value in the exporter's code — globs of files plus a regex whose first capture group is one
 * value — so `check --mode exporter` can tell when the code's values drifted from the
 * contract's `value` at `field`. Per-file captures go through the `export` cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { UserError } from '../../core/index.ts';
import { cacheKey, cached, type RealmCache } from './cache.ts';
import type { DetectEntry } from './schemas.ts';

/** One value found in code, with where it was found (repo-relative file, 1-based line). */
export interface Detected {
  value: string;
  file: string;
  line: number;
}

/** How the code's values differ from the contract's: values only in code, only in the contract. */
export interface Drift {
  field: string;
  added: Detected[];
  removed: string[];
}

/**
 * Compiles a detect pattern.
 * @throws UserError E_USAGE when it is no valid regular expression.
 */
export function detectRegex(pattern: string, field = '--detect-pattern'): RegExp {
  try {
    return new RegExp(pattern, 'gm');
  } catch (err) {
    throw new UserError('E_USAGE', `invalid regular expression: ${(err as Error).message}`, { where: { field }, expected: 'a JavaScript regex with one capture group' });
  }
}

/** Every capture of `entry.pattern` in the files matching `entry.files` under `repoRoot`, in file order. */
export async function detectValues(repoRoot: string, entry: DetectEntry, cache?: RealmCache): Promise<Detected[]> {
  const re = detectRegex(entry.pattern, 'detect.pattern');
  const files = globSync(entry.files, { cwd: repoRoot, onlyFiles: true, dot: false, ignore: ['.git/**', 'node_modules/**', '.blue/**'] }).sort();
  const out: Detected[] = [];
  for (const rel of files) {
    const abs = path.join(repoRoot, rel);
    const st = fs.statSync(abs);
    const key = cacheKey('detect', abs, String(st.mtimeMs), String(st.size), entry.pattern);
    out.push(...(await cached(cache, 'export', key, () => capture(fs.readFileSync(abs, 'utf8'), re, rel))));
  }
  return out;
}

function capture(text: string, re: RegExp, file: string): Detected[] {
  const out: Detected[] = [];
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ value: m[1] ?? m[0], file, line });
  }
  return out;
}

/**
 * The drift between `found` and the contract's `value` at the dotted `field` (an array of
 * scalars or one scalar; compared as strings, as sets), or undefined when they agree.
 */
export function driftOf(field: string, value: Record<string, unknown>, found: Detected[]): Drift | undefined {
  const inContract = new Set(scalars(at(value, field)));
  const inCode = new Set(found.map((d) => d.value));
  const added = found.filter((d, i) => !inContract.has(d.value) && found.findIndex((x) => x.value === d.value) === i);
  const removed = [...inContract].filter((v) => !inCode.has(v));
  return added.length || removed.length ? { field, added, removed } : undefined;
}

/** One line about a drift: what the code has that the contract lacks, and the reverse. */
export function describeDrift(contract: string, d: Drift): string {
  const parts = [
    ...d.added.map((a) => `"${a.value}" (${a.file}:${a.line}) is in the code`),
    ...d.removed.map((r) => `"${r}" is only in the contract`),
  ];
  return `value of "${contract}" changed in code but not in the contract: ${d.field}: ${parts.join('; ')}; bump the contract (\`blue realm contract bump ${contract} --value …\`) or fix the code`;
}

function at(value: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

function scalars(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(scalars);
  return typeof v === 'object' ? [] : [String(v)];
}
