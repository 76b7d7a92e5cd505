/**
 * The structural half of the compatibility definition: `gaps(sub, sup)` lists where a value
 * valid under `sub` may be invalid under `sup` (empty: every `sub` value is a `sup` value).
 * Both schemas are normalized first (no `$ref`, no `allOf`). The rules are sound for the
 * keywords they read and conservative elsewhere: a keyword they do not model counts as a gap
 * when it differs. The sampled cross-check (compat-sample.ts) backs them up.
 */
import { sameJson } from './json-equal.ts';
import { compileSchema, type Draft } from './validate.ts';

type Json = Record<string, unknown>;
/** A schema or sub-schema: an object or `true`/`false`. */
export type Schema = Json | boolean;

/** One place where `sub` accepts values that `sup` rejects. */
export interface Gap {
  /** Field path: `read`, `runs[].id`, `pair[1]`, `meta{^x-}` (pattern), `meta{*}` (additional); '' is the root. */
  path: string;
  /** What `sub` accepts there that `sup` rejects, e.g. `objects without "read"`, `value "c"`. */
  what: string;
}

const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer'] as const;
/** Keywords that never affect validation. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', '$schema', '$id', '$comment', 'readOnly', 'writeOnly', 'deprecated', '$defs', 'definitions']);
/** Keywords the rules below model (anything else must be equal). */
const MODELLED = new Set([
  'type', 'enum', 'const', 'anyOf', 'oneOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'format', 'items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems',
  'uniqueItems', 'properties', 'required', 'patternProperties', 'additionalProperties', 'minProperties', 'maxProperties',
]);

/** Where values valid under `sub` may fail `sup`, for the dialect `draft`. Pure. */
export function gaps(sub: Schema, sup: Schema, draft: Draft, path = ''): Gap[] {
  if (sup === true || sub === false || isEmpty(sup)) return [];
  if (sup === false) return [{ path, what: 'any value' }];
  const a: Json = sub === true ? {} : sub;
  const b: Json = sup;
  if ('enum' in a || 'const' in a) return enumGaps(a, b, draft, path);
  const unionA = union(a);
  if (unionA) return unionA.branches.flatMap((br) => gaps(merge(unionA.base, br), b, draft, path));
  const unionB = union(b);
  if (unionB) return unionGaps(a, unionB, draft, path);
  const out: Gap[] = [];
  const shared = typeGaps(a, b, path, out);
  if ('enum' in b || 'const' in b) out.push({ path, what: `values outside ${JSON.stringify(b.enum ?? [b.const])}` });
  if (shared.has('number') || shared.has('integer')) numberGaps(a, b, path, out);
  if (shared.has('string')) stringGaps(a, b, path, out);
  if (shared.has('array')) arrayGaps(a, b, draft, path, out);
  if (shared.has('object')) objectGaps(a, b, draft, path, out);
  for (const k of Object.keys(b)) {
    if (!MODELLED.has(k) && !ANNOTATIONS.has(k) && !sameJson(a[k], b[k])) out.push({ path, what: `values outside the changed "${k}"` });
  }
  return out;
}

/** `sub` lists its values: each must validate under `sup` (exact). */
function enumGaps(a: Json, b: Json, draft: Draft, path: string): Gap[] {
  const values = 'const' in a ? [a.const] : Array.isArray(a.enum) ? a.enum : [];
  const check = compileSchema(b, draft);
  return values.filter((v) => !check(v)).map((v) => ({ path, what: `value ${JSON.stringify(v)}` }));
}

/** `sup` is a union: `sub` must fit its base and, type by type, one branch. */
function unionGaps(a: Json, u: Union, draft: Draft, path: string): Gap[] {
  const out = gaps(a, u.base, draft, path);
  const parts = splitByType(a);
  for (const part of parts) {
    if (u.branches.some((br) => gaps(part, br, draft, path).length === 0)) continue;
    out.push({ path, what: `${typeLabel(part)} values matching no ${u.kind} branch` });
  }
  return out;
}

interface Union {
  kind: 'anyOf' | 'oneOf';
  base: Json;
  branches: Schema[];
}

function union(s: Json): Union | undefined {
  const kind = Array.isArray(s.oneOf) ? 'oneOf' : Array.isArray(s.anyOf) ? 'anyOf' : undefined;
  if (!kind) return undefined;
  const { [kind]: branches, ...base } = s;
  return { kind, base, branches: branches as Schema[] };
}

/** A branch with its parent's other keywords (for objects: both sets of keywords apply). */
function merge(base: Json, branch: Schema): Schema {
  if (typeof branch === 'boolean') return branch ? base : false;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(branch)) {
    if (k === 'properties' && isObj(base.properties) && isObj(v)) out.properties = { ...base.properties, ...v };
    else if (k === 'required' && Array.isArray(base.required) && Array.isArray(v)) out.required = [...new Set([...base.required, ...v])];
    else out[k] = v;
  }
  return out;
}

function splitByType(a: Json): Json[] {
  const t = types(a);
  if (!t || t.size <= 1) return [a];
  return [...t].map((type) => ({ ...a, type }));
}

/** Reports types of `a` that `b` rejects; returns the types both accept. */
function typeGaps(a: Json, b: Json, path: string, out: Gap[]): Set<string> {
  const ta = types(a) ?? new Set<string>(TYPES);
  const tb = types(b);
  if (!tb) return ta;
  const accepts = (t: string) => tb.has(t) || (t === 'integer' && tb.has('number'));
  const lost = [...ta].filter((t) => !accepts(t));
  if (lost.length > 0) out.push({ path, what: types(a) ? `${lost.join('|')} values` : `values that are not ${[...tb].join('|')}` });
  return new Set([...ta].filter(accepts).concat(ta.has('number') && tb.has('integer') ? ['integer'] : []));
}

function numberGaps(a: Json, b: Json, path: string, out: Gap[]): void {
  const lowA = bound(a, 'minimum', 'exclusiveMinimum', 'max');
  const lowB = bound(b, 'minimum', 'exclusiveMinimum', 'max');
  if (lowB && (!lowA || lowA.v < lowB.v || (lowA.v === lowB.v && lowB.excl && !lowA.excl))) {
    out.push({ path, what: `numbers ${lowB.excl ? '<=' : '<'} ${lowB.v}` });
  }
  const highA = bound(a, 'maximum', 'exclusiveMaximum', 'min');
  const highB = bound(b, 'maximum', 'exclusiveMaximum', 'min');
  if (highB && (!highA || highA.v > highB.v || (highA.v === highB.v && highB.excl && !highA.excl))) {
    out.push({ path, what: `numbers ${highB.excl ? '>=' : '>'} ${highB.v}` });
  }
  const mb = num(b.multipleOf);
  const ma = num(a.multipleOf);
  if (mb !== undefined && (ma === undefined || !Number.isInteger(ma / mb))) out.push({ path, what: `numbers that are not multiples of ${mb}` });
}

/** The tighter of an inclusive and an exclusive bound (draft-06+ numeric `exclusive*`). */
function bound(s: Json, incl: string, excl: string, pick: 'max' | 'min'): { v: number; excl: boolean } | undefined {
  const i = num(s[incl]);
  const e = num(s[excl]);
  if (i === undefined) return e === undefined ? undefined : { v: e, excl: true };
  if (e === undefined) return { v: i, excl: false };
  const eTighter = pick === 'max' ? e >= i : e <= i;
  return eTighter ? { v: e, excl: true } : { v: i, excl: false };
}

function stringGaps(a: Json, b: Json, path: string, out: Gap[]): void {
  const minB = num(b.minLength) ?? 0;
  if ((num(a.minLength) ?? 0) < minB) out.push({ path, what: `strings shorter than ${minB}` });
  const maxB = num(b.maxLength);
  if (maxB !== undefined && (num(a.maxLength) ?? Infinity) > maxB) out.push({ path, what: `strings longer than ${maxB}` });
  if (b.pattern !== undefined && a.pattern !== b.pattern) out.push({ path, what: `strings not matching ${String(b.pattern)}` });
  if (b.format !== undefined && a.format !== b.format) out.push({ path, what: `strings not in format ${String(b.format)}` });
}

/** Tuple view of an array schema: positional schemas, then the schema of the rest. */
function tuple(s: Json, draft: Draft): { prefix: Schema[]; rest: Schema } {
  if (draft === '2020-12') return { prefix: (s.prefixItems as Schema[] | undefined) ?? [], rest: (s.items as Schema | undefined) ?? true };
  if (Array.isArray(s.items)) return { prefix: s.items as Schema[], rest: (s.additionalItems as Schema | undefined) ?? true };
  return { prefix: [], rest: (s.items as Schema | undefined) ?? true };
}

function arrayGaps(a: Json, b: Json, draft: Draft, path: string, out: Gap[]): void {
  const ta = tuple(a, draft);
  const tb = tuple(b, draft);
  const n = Math.max(ta.prefix.length, tb.prefix.length);
  for (let i = 0; i < n; i++) out.push(...gaps(ta.prefix[i] ?? ta.rest, tb.prefix[i] ?? tb.rest, draft, `${path}[${i}]`));
  out.push(...gaps(ta.rest, tb.rest, draft, `${path}[]`));
  const minB = num(b.minItems) ?? 0;
  if ((num(a.minItems) ?? 0) < minB) out.push({ path, what: `arrays with fewer than ${minB} items` });
  const maxB = num(b.maxItems);
  if (maxB !== undefined && (num(a.maxItems) ?? Infinity) > maxB) out.push({ path, what: `arrays with more than ${maxB} items` });
  if (b.uniqueItems === true && a.uniqueItems !== true) out.push({ path, what: 'arrays with duplicate items' });
}

function objectGaps(a: Json, b: Json, draft: Draft, path: string, out: Gap[]): void {
  const reqA = new Set(strings(a.required));
  for (const r of strings(b.required)) if (!reqA.has(r)) out.push({ path: child(path, r), what: `objects without "${r}"` });
  const propsA = objOf(a.properties);
  const propsB = objOf(b.properties);
  for (const k of new Set([...Object.keys(propsA), ...Object.keys(propsB)])) {
    const sa = propFor(a, k);
    if (sa === false) continue;
    out.push(...gaps(sa, propFor(b, k), draft, child(path, k)));
  }
  const patA = objOf(a.patternProperties);
  const patB = objOf(b.patternProperties);
  const addA = (a.additionalProperties as Schema | undefined) ?? true;
  const addB = (b.additionalProperties as Schema | undefined) ?? true;
  for (const [p, sb] of Object.entries(patB)) out.push(...gaps(patA[p] ?? addA, sb as Schema, draft, `${path}{${p}}`));
  for (const [p, sa] of Object.entries(patA)) if (!(p in patB)) out.push(...gaps(sa as Schema, addB, draft, `${path}{${p}}`));
  out.push(...gaps(addA, addB, draft, `${path}{*}`));
  const minB = num(b.minProperties) ?? 0;
  if ((num(a.minProperties) ?? 0) < minB) out.push({ path, what: `objects with fewer than ${minB} properties` });
  const maxB = num(b.maxProperties);
  if (maxB !== undefined && (num(a.maxProperties) ?? Infinity) > maxB) out.push({ path, what: `objects with more than ${maxB} properties` });
}

/** The schema a property `k` must satisfy: its own, else a matching pattern's, else additionalProperties. */
function propFor(s: Json, k: string): Schema {
  const own = objOf(s.properties)[k];
  if (own !== undefined) return own as Schema;
  for (const [p, sp] of Object.entries(objOf(s.patternProperties))) if (safeRegex(p)?.test(k)) return sp as Schema;
  return (s.additionalProperties as Schema | undefined) ?? true;
}

function types(s: Json): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(strings(s.type));
  return undefined;
}

function typeLabel(s: Json): string {
  return [...(types(s) ?? ['all'])].join('|');
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isEmpty(s: Schema): boolean {
  return typeof s === 'object' && Object.keys(s).every((k) => ANNOTATIONS.has(k));
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objOf(v: unknown): Record<string, Schema> {
  return isObj(v) ? (v as Record<string, Schema>) : {};
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function safeRegex(p: string): RegExp | undefined {
  try {
    return new RegExp(p, 'u');
  } catch {
    return undefined;
  }
}
