/**
 * Compatibility diff of two JSON Schemas, per the algorithm agreed in the cross-repo realms
 * dialogue (seed 003, Round 8, Erik Meijer):
 * - a field required in the old schema and missing in the new → BREAKING;
 * - a type change → BREAKING;
 * - a new required field without a default → BREAKING;
 * - a new optional field (or one with a default) → COMPATIBLE.
 * Nested `properties` are compared recursively with dotted names (`a.b`).
 */
import type { BumpLevel } from './semver-range.ts';

/** Marker per field: ✓ unchanged, + added, ~ changed compatibly, - removed compatibly, ✗ breaking. */
export type FieldMark = '✓' | '+' | '~' | '-' | '✗';

/** One field's verdict. */
export interface FieldChange {
  field: string;
  mark: FieldMark;
  /** Plain description, e.g. `added (optional, default=[])`. */
  note: string;
  breaking: boolean;
}

/** Overall result: `unchanged` (schemas equal), `compatible` or `breaking`. */
export type Verdict = 'unchanged' | 'compatible' | 'breaking';

/** Result of {@link diffSchemas}. */
export interface SchemaDiff {
  fields: FieldChange[];
  verdict: Verdict;
}

type Json = Record<string, unknown>;

/** Diffs `before` → `after` (JSON Schema objects). Pure. */
export function diffSchemas(before: Json, after: Json): SchemaDiff {
  const fields: FieldChange[] = [];
  const rootBefore = typeOf(before);
  const rootAfter = typeOf(after);
  if (rootBefore !== rootAfter) {
    fields.push({ field: '(root)', mark: '✗', note: `type changed ${rootBefore} → ${rootAfter}`, breaking: true });
  }
  diffObject(before, after, '', fields);
  const breaking = fields.some((f) => f.breaking);
  const changed = fields.some((f) => f.mark !== '✓') || !sameJson(before, after);
  return { fields, verdict: breaking ? 'breaking' : changed ? 'compatible' : 'unchanged' };
}

/** The bump level a verdict requires: breaking → major, compatible → minor, unchanged → patch. */
export function requiredLevel(verdict: Verdict): BumpLevel {
  return verdict === 'breaking' ? 'major' : verdict === 'compatible' ? 'minor' : 'patch';
}

/**
 * True when a bump at `level` matches `verdict`: exactly major for breaking, exactly minor for
 * compatible; a patch or minor for an unchanged schema (a value-only change).
 */
export function bumpMatches(verdict: Verdict, level: BumpLevel): boolean {
  if (verdict === 'unchanged') return level !== 'major';
  return level === requiredLevel(verdict);
}

/**
 * Renders the report as in seed 003 Round 8:
 * `Checking c 1.2.0 → 1.3.0`, one line per field, then
 * `Result: COMPATIBLE (minor version bump OK)` or `Result: BREAKING (major version bump required, got minor)`.
 */
export function formatDiff(contract: string, from: string, to: string, diff: SchemaDiff, level: BumpLevel): string {
  const lines = [`Checking ${contract} ${from} → ${to}`];
  for (const f of diff.fields) lines.push(`${f.mark} ${f.field}: ${f.note}${f.mark === '✓' ? '' : ` - ${f.breaking ? 'BREAKING' : 'COMPATIBLE'}`}`);
  const verdict = diff.verdict === 'breaking' ? 'BREAKING' : diff.verdict === 'compatible' ? 'COMPATIBLE' : 'UNCHANGED';
  const ok = bumpMatches(diff.verdict, level);
  const need = diff.verdict === 'unchanged' ? 'patch or minor' : requiredLevel(diff.verdict);
  lines.push(`Result: ${verdict} (${ok ? `${level} version bump OK` : `${need} version bump required, got ${level}`})`);
  return `${lines.join('\n')}\n`;
}

function diffObject(before: Json, after: Json, prefix: string, out: FieldChange[]): void {
  const oldProps = props(before);
  const newProps = props(after);
  const oldReq = new Set(required(before));
  const newReq = new Set(required(after));
  for (const [name, oldField] of Object.entries(oldProps)) {
    const field = prefix + name;
    const newField = newProps[name];
    if (!newField) {
      out.push(
        oldReq.has(name)
          ? { field, mark: '✗', note: 'removed (was required)', breaking: true }
          : { field, mark: '-', note: 'removed (was optional)', breaking: false },
      );
      continue;
    }
    diffField(field, oldField, newField, !oldReq.has(name) && newReq.has(name), out);
  }
  for (const [name, newField] of Object.entries(newProps)) {
    if (name in oldProps) continue;
    out.push(addedField(prefix + name, newField, newReq.has(name)));
  }
}

function diffField(field: string, before: Json, after: Json, nowRequired: boolean, out: FieldChange[]): void {
  const tb = typeOf(before);
  const ta = typeOf(after);
  if (tb !== ta) {
    out.push({ field, mark: '✗', note: `type changed ${tb} → ${ta}`, breaking: true });
    return;
  }
  if (nowRequired && !('default' in after)) {
    out.push({ field, mark: '✗', note: 'now required (no default)', breaking: true });
    return;
  }
  if (Object.keys(props(before)).length > 0 || Object.keys(props(after)).length > 0) {
    const nested: FieldChange[] = [];
    diffObject(before, after, `${field}.`, nested);
    if (nested.every((n) => n.mark === '✓') && sameJson(before, after)) {
      out.push({ field, mark: '✓', note: 'unchanged', breaking: false });
    } else out.push(...nested);
    return;
  }
  if (sameJson(before, after)) out.push({ field, mark: '✓', note: 'unchanged', breaking: false });
  else out.push({ field, mark: '~', note: 'constraints changed', breaking: false });
}

function addedField(field: string, schema: Json, isRequired: boolean): FieldChange {
  const hasDefault = 'default' in schema;
  const dflt = hasDefault ? `, default=${JSON.stringify(schema.default)}` : '';
  if (isRequired && !hasDefault) return { field, mark: '✗', note: 'added (required, no default)', breaking: true };
  return { field, mark: '+', note: `added (${isRequired ? 'required' : 'optional'}${dflt})`, breaking: false };
}

function props(schema: Json): Record<string, Json> {
  const p = schema.properties;
  return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, Json>) : {};
}

function required(schema: Json): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
}

/** `string`, `array<string>`, `integer|null`, or `any` when absent. */
function typeOf(schema: Json): string {
  const t = Array.isArray(schema.type) ? [...schema.type].sort().join('|') : typeof schema.type === 'string' ? schema.type : 'any';
  const items = schema.items;
  if (t === 'array' && items && typeof items === 'object' && !Array.isArray(items)) return `array<${typeOf(items as Json)}>`;
  return t;
}

/** True when two JSON values are equal regardless of object key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

/** Canonical JSON (sorted keys) for equality. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Json;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
