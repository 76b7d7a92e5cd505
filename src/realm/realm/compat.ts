/**
 * Compatibility of two versions of a contract schema, with a definition:
 * - **backwards compatible**: every value valid under the new schema is valid under the old
 *   one (importers built on the old version keep working);
 * - **forwards compatible**: every value valid under the old schema is valid under the new one.
 * The contract's `compatibility: {backwards, forwards}` flags say which of the two a minor or
 * patch bump must keep; a change that breaks a required direction is BREAKING (major).
 *
 * Both schemas are normalized (`$ref` resolved, `allOf` merged), compared structurally
 * (compat-subset.ts) and cross-checked by sampling (compat-sample.ts); a sampled
 * counterexample makes a direction fail even where the structural rules saw no gap.
 * The report keeps the seed 003 Round 8 layout: one line per field, then the result.
 */
import { gaps, type Gap, type Schema } from './compat-subset.ts';
import { sameJson } from './json-equal.ts';
import type { BumpLevel } from './semver-range.ts';
import { draftOf, type Draft } from './validate.ts';

export { sameJson } from './json-equal.ts';

/** Marker per field: ✓ unchanged, + added, ~ changed compatibly, - removed compatibly, ✗ breaking. */
export type FieldMark = '✓' | '+' | '~' | '-' | '✗';

/** Which directions a non-major bump must keep (a contract's `compatibility`). */
export interface CompatFlags {
  backwards: boolean;
  forwards: boolean;
}

/** The default of a contract's `compatibility` (spec §4.2). */
export const DEFAULT_FLAGS: CompatFlags = { backwards: true, forwards: false };

/** One field's verdict. */
export interface FieldChange {
  /** Dotted path (`runs[].id`, `meta{^x-}`), `(root)` for the whole value, `(sample)` for a sampled counterexample. */
  field: string;
  mark: FieldMark;
  /** Plain description, e.g. `added (optional, default=[])`. */
  note: string;
  /** True when this field breaks a direction the flags require. */
  breaking: boolean;
}

/** Overall result: `unchanged` (schemas equal), `compatible` or `breaking`. */
export type Verdict = 'unchanged' | 'compatible' | 'breaking';

/** A value valid under one version and invalid under the other. */
export interface Counterexample {
  /** `backwards`: valid under the new schema, invalid under the old; `forwards`: the reverse. */
  direction: 'backwards' | 'forwards';
  value: unknown;
  /** True when the contract's flags require this direction (then the change is breaking). */
  breaking: boolean;
}

/** Result of {@link compareSchemas}. */
export interface SchemaDiff {
  fields: FieldChange[];
  verdict: Verdict;
  /** Whether each direction holds (no structural gap and no counterexample). */
  backwards: boolean;
  forwards: boolean;
  /** One per failing direction when the sampler found one. */
  counterexamples: Counterexample[];
}

/**
 * Compares `before` → `after` (JSON Schema objects) under `flags`.
 * @throws UserError E_REALM when a schema's `$ref`/`allOf` cannot be resolved (see normalizeSchema).
 */
export async function compareSchemas(before: Record<string, unknown>, after: Record<string, unknown>, flags: CompatFlags = DEFAULT_FLAGS, file?: string): Promise<SchemaDiff> {
  if (sameJson(before, after)) return unchanged(before, flags);
  // Loaded on first use: the CLI's other commands never pay for these libraries.
  const { normalizeSchema } = await import('./compat-normalize.ts');
  const [oldN, newN] = await Promise.all([normalizeSchema(before, file), normalizeSchema(after, file)]);
  return diffNormalized(oldN, newN, flags, draftOf(after), sameJson(before, after));
}

/** {@link compareSchemas} on normalized schemas. Deterministic (the sampler is seeded). */
export async function diffNormalized(oldS: Record<string, unknown>, newS: Record<string, unknown>, flags: CompatFlags, draft: Draft, rawSame = sameJson(oldS, newS)): Promise<SchemaDiff> {
  const { findCounterexample } = await import('./compat-sample.ts');
  const back = gaps(newS, oldS, draft);
  const fwd = gaps(oldS, newS, draft);
  const counterexamples: Counterexample[] = [];
  if (!sameJson(oldS, newS)) {
    const b = findCounterexample(newS, oldS, draft);
    if (b) counterexamples.push({ direction: 'backwards', value: b.value, breaking: flags.backwards });
    const f = findCounterexample(oldS, newS, draft);
    if (f) counterexamples.push({ direction: 'forwards', value: f.value, breaking: flags.forwards });
  }
  const has = (d: Counterexample['direction']) => counterexamples.some((c) => c.direction === d);
  const ctx: Ctx = { back: back.map(tag), fwd: fwd.map(tag), flags };
  const fields = [...objectLines(oldS, newS, '', ctx), ...leftoverLines(ctx)];
  for (const c of counterexamples) {
    const needed = flags[c.direction];
    const covered = (c.direction === 'backwards' ? back : fwd).length > 0;
    if (needed && !covered) fields.push({ field: '(sample)', mark: '✗', note: `${counterexampleText(c)}`, breaking: true });
  }
  const backwards = back.length === 0 && !has('backwards');
  const forwards = fwd.length === 0 && !has('forwards');
  const breaking = (flags.backwards && !backwards) || (flags.forwards && !forwards);
  const verdict: Verdict = breaking ? 'breaking' : rawSame ? 'unchanged' : 'compatible';
  return { fields, verdict, backwards, forwards, counterexamples };
}

/** Equal schemas: every field unchanged, both directions hold. */
function unchanged(schema: Record<string, unknown>, flags: CompatFlags): SchemaDiff {
  const fields = objectLines(schema, schema, '', { back: [], fwd: [], flags });
  return { fields, verdict: 'unchanged', backwards: true, forwards: true, counterexamples: [] };
}

/** `{"read":[]} is valid under the new schema, not under the old (backwards)`. */
export function counterexampleText(c: Counterexample): string {
  const [valid, invalid] = c.direction === 'backwards' ? ['new', 'old'] : ['old', 'new'];
  return `${JSON.stringify(c.value)} is valid under the ${valid} schema, not under the ${invalid} (${c.direction})`;
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
 * `Checking c 1.2.0 → 1.3.0`, one line per field, a counterexample line per failing
 * required direction, then `Result: COMPATIBLE (minor version bump OK)` or
 * `Result: BREAKING (major version bump required, got minor)`.
 */
export function formatDiff(contract: string, from: string, to: string, diff: Pick<SchemaDiff, 'fields' | 'verdict'> & Partial<SchemaDiff>, level: BumpLevel): string {
  const lines = [`Checking ${contract} ${from} → ${to}`];
  for (const f of diff.fields) lines.push(`${f.mark} ${f.field}: ${f.note}${f.mark === '✓' ? '' : ` - ${f.breaking ? 'BREAKING' : 'COMPATIBLE'}`}`);
  for (const c of diff.counterexamples ?? []) if (c.breaking) lines.push(`  counterexample: ${counterexampleText(c)}`);
  const verdict = diff.verdict === 'breaking' ? 'BREAKING' : diff.verdict === 'compatible' ? 'COMPATIBLE' : 'UNCHANGED';
  const ok = bumpMatches(diff.verdict, level);
  const need = diff.verdict === 'unchanged' ? 'patch or minor' : requiredLevel(diff.verdict);
  lines.push(`Result: ${verdict} (${ok ? `${level} version bump OK` : `${need} version bump required, got ${level}`})`);
  return `${lines.join('\n')}\n`;
}

type Json = Record<string, unknown>;
type Tagged = Gap & { used: boolean };
type Found = Tagged & { dir: 'backwards' | 'forwards' };
interface Ctx {
  back: Tagged[];
  fwd: Tagged[];
  flags: CompatFlags;
}

function tag(g: Gap): Tagged {
  return { ...g, used: false };
}

/** Lines for the properties of two object schemas at `prefix` ('' = root). */
function objectLines(oldS: Schema | undefined, newS: Schema | undefined, prefix: string, ctx: Ctx): FieldChange[] {
  const o = asObj(oldS);
  const n = asObj(newS);
  const out: FieldChange[] = [];
  const own = take(ctx, prefix, false);
  if (prefix === '' && own.length > 0) out.push(line('(root)', 'changed', own, ctx));
  const oldReq = new Set(strings(o.required));
  const newReq = new Set(strings(n.required));
  const names = [...Object.keys(props(o)), ...Object.keys(props(n)).filter((k) => !(k in props(o)))];
  for (const name of names) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push(...fieldLines(props(o)[name], props(n)[name], path, { was: oldReq.has(name), now: newReq.has(name) }, ctx));
  }
  return out;
}

function fieldLines(o: Schema | undefined, n: Schema | undefined, path: string, req: { was: boolean; now: boolean }, ctx: Ctx): FieldChange[] {
  if (o === undefined && n !== undefined) {
    const dflt = typeof n === 'object' && 'default' in n ? `, default=${JSON.stringify(n.default)}` : '';
    return [line(path, `added (${req.now ? 'required' : 'optional'}${dflt})`, take(ctx, path, true), ctx, '+')];
  }
  if (n === undefined) return [line(path, `removed (was ${req.was ? 'required' : 'optional'})`, take(ctx, path, true), ctx, '-')];
  const oo = asObj(o);
  const nn = asObj(n);
  const head = headOf(oo, nn, req);
  const nested = hasProps(oo) || hasProps(nn);
  const itemsNested = hasProps(asObj(oo.items)) || hasProps(asObj(nn.items));
  if (sameJson(o, n) && req.was === req.now && !pending(ctx, path)) return [line(path, 'unchanged', [], ctx, '✓')];
  if (!nested && !itemsNested) return [line(path, head, take(ctx, path, true), ctx)];
  const out: FieldChange[] = [];
  const own = take(ctx, path, false);
  if (own.length > 0 || head !== 'changed') out.push(line(path, head, own, ctx));
  if (nested) out.push(...objectLines(oo, nn, path, ctx));
  if (itemsNested) out.push(...objectLines(asObj(oo.items), asObj(nn.items), `${path}[]`, ctx));
  return out;
}

/** What changed about a field itself: its type, whether it is required, else `changed`. */
function headOf(o: Json, n: Json, req: { was: boolean; now: boolean }): string {
  const parts: string[] = [];
  if (typeOf(o) !== typeOf(n)) parts.push(`type changed ${typeOf(o)} → ${typeOf(n)}`);
  if (req.was !== req.now) parts.push(req.now ? 'now required' : 'no longer required');
  return parts.join(', ') || 'changed';
}

/** A line; `✗` when a gap breaks a required direction, else `mark` (or `~`). */
function line(field: string, head: string, found: Found[], ctx: Ctx, mark: FieldMark = '~'): FieldChange {
  const breaking = found.filter((g) => ctx.flags[g.dir]);
  if (breaking.length === 0) return { field, mark, note: head, breaking: false };
  // The field's own gaps say the most; deeper ones only when it has none. Two at most.
  const own = breaking.filter((g) => g.path === field || (field === '(root)' && g.path === ''));
  const shown = (own.length > 0 ? own : breaking).slice(0, 2);
  const why = shown.map((g) => `new schema ${g.dir === 'backwards' ? 'accepts' : 'rejects'} ${g.what}${g.path !== field && g.path ? ` at ${g.path}` : ''}`);
  return { field, mark: '✗', note: `${head}; ${[...new Set(why)].join('; ')}`, breaking: true };
}

/** Gaps at `path` (and below it when `subtree`), marked used, with their direction. */
function take(ctx: Ctx, path: string, subtree: boolean): Found[] {
  const match = (g: Tagged) => !g.used && (g.path === path || (subtree && isBelow(g.path, path)));
  const pick = (list: Tagged[], dir: 'backwards' | 'forwards') =>
    list.filter(match).map((g) => {
      g.used = true;
      return { ...g, dir };
    });
  return [...pick(ctx.back, 'backwards'), ...pick(ctx.fwd, 'forwards')];
}

function pending(ctx: Ctx, path: string): boolean {
  return [...ctx.back, ...ctx.fwd].some((g) => !g.used && (g.path === path || isBelow(g.path, path)));
}

function isBelow(p: string, parent: string): boolean {
  if (parent === '') return true;
  return p.startsWith(parent) && ['.', '[', '{'].includes(p[parent.length] ?? '');
}

/** Gaps no property line took (tuple positions, patterns, additionalProperties), one line per path. */
function leftoverLines(ctx: Ctx): FieldChange[] {
  const paths = [...new Set([...ctx.back, ...ctx.fwd].filter((g) => !g.used).map((g) => g.path))];
  return paths.map((p) => line(p || '(root)', 'changed', take(ctx, p, false), ctx));
}

function asObj(s: unknown): Json {
  return s && typeof s === 'object' && !Array.isArray(s) ? (s as Json) : {};
}

function props(s: Json): Record<string, Schema> {
  return asObj(s.properties) as Record<string, Schema>;
}

function hasProps(s: Json): boolean {
  return Object.keys(props(s)).length > 0;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `string`, `array<string>`, `integer|null`, or `any` when absent. */
function typeOf(schema: Json): string {
  const t = Array.isArray(schema.type) ? [...schema.type].sort().join('|') : typeof schema.type === 'string' ? schema.type : 'any';
  const items = schema.items;
  if (t === 'array' && items && typeof items === 'object' && !Array.isArray(items)) return `array<${typeOf(items as Json)}>`;
  return t;
}
