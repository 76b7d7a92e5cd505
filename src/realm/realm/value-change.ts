/**
 * Value-level breaking changes (seed 004 Round 4): an entry removed from a contract's value
 * that an importer's binding source still mentions breaks that importer, even when the schema
 * is unchanged. Importer files are only read, never written.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stableJson } from './json-equal.ts';
import { repoCheckout, type DomainModel, type RealmModel } from './model.ts';

/** A string entry present in the old value and gone from the new one. */
export interface RemovedEntry {
  /** Where it was: `value.read`. */
  path: string;
  entry: string;
}

/** A removed entry that an importer's binding file mentions. */
export interface ValueBreak extends RemovedEntry {
  importer: string;
  /** The importer's binding file, relative to its repo. */
  file: string;
}

/** String entries of `before` that `after` no longer has (array members, replaced strings, dropped keys). Pure. */
export function removedEntries(before: unknown, after: unknown, at = 'value'): RemovedEntry[] {
  if (typeof before === 'string') return before === after ? [] : [{ path: at, entry: before }];
  if (Array.isArray(before)) {
    const kept = new Set((Array.isArray(after) ? after : []).map((x) => stableJson(x)));
    return before.filter((x) => !kept.has(stableJson(x))).flatMap((x) => leaves(x).map((entry) => ({ path: at, entry })));
  }
  if (before && typeof before === 'object') {
    const next = after && typeof after === 'object' && !Array.isArray(after) ? (after as Record<string, unknown>) : {};
    return Object.entries(before).flatMap(([k, v]) => removedEntries(v, next[k], `${at}.${k}`));
  }
  return [];
}

/** Every string inside a value. */
function leaves(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (v && typeof v === 'object') return Object.values(v).flatMap(leaves);
  return [];
}

/**
 * The removed entries each importer of `contract` in `domain` still mentions in its binding
 * file (read from its checkout, `repos/<r>.yaml` path). Importers without a reachable file are skipped.
 */
export function valueBreaks(model: RealmModel, domain: DomainModel, contract: string, removed: RemovedEntry[]): ValueBreak[] {
  if (removed.length === 0) return [];
  const out: ValueBreak[] = [];
  for (const b of domain.bindings.values()) {
    const imp = b.data.imports.find((i) => i.contract === contract);
    const root = imp?.binding ? repoCheckout(model, b.data.repo) : undefined;
    if (!imp?.binding || !root) continue;
    const abs = path.resolve(root, imp.binding);
    if (!abs.startsWith(root + path.sep) || !fs.existsSync(abs)) continue;
    const text = fs.readFileSync(abs, 'utf8');
    for (const r of removed) if (text.includes(r.entry)) out.push({ ...r, importer: b.data.repo, file: imp.binding });
  }
  return out;
}

/** `removed "training-runs/*" from value.read, still used by fungal (cdk/stack.py)`. */
export function describeBreak(b: ValueBreak): string {
  return `removed "${b.entry}" from ${b.path}, still used by ${b.importer} (${b.file})`;
}

/** sha256 of a value's canonical JSON, first 16 hex chars (recorded per evolution entry). */
export function valueDigest(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}
