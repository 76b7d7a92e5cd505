/**
 * The compatibility definition, table-driven: each schema change is checked old → new and
 * new → old (the reverse swaps the two directions). Backwards: every new value is an old
 * value; forwards: every old value is a new value. Every failing direction must also be
 * confirmed by a sampled counterexample that ajv accepts under one schema and rejects under
 * the other.
 */
import { describe, expect, it } from 'vitest';
import { compareSchemas, compileSchema, formatDiff, type SchemaDiff } from '../../src/realm/realm/index.ts';

type J = Record<string, unknown>;
const str = { type: 'string' };
const strs = { type: 'array', items: str };
const obj = (properties: J, required: string[] = [], extra: J = {}): J => ({ type: 'object', properties, required, ...extra });
const v2020 = 'https://json-schema.org/draft/2020-12/schema';

/** [change, old, new, backwards holds, forwards holds] */
const TABLE: [string, J, J, boolean, boolean][] = [
  ['optional field added (default [])', obj({ read: strs }, ['read']), obj({ read: strs, delete: { ...strs, default: [] } }, ['read']), true, false],
  ['required field removed', obj({ read: strs, write: strs }, ['read']), obj({ write: strs }), false, true],
  ['optional field removed', obj({ read: strs, write: strs }, ['read']), obj({ read: strs }, ['read']), false, true],
  ['required field added (no default)', obj({ read: strs }, ['read']), obj({ read: strs, owner: str }, ['read', 'owner']), true, false],
  ['required → optional', obj({ read: strs }, ['read']), obj({ read: strs }), false, true],
  ['type changed string → integer', obj({ n: str }), obj({ n: { type: 'integer' } }), false, false],
  ['type widened string → string|null', obj({ n: str }), obj({ n: { type: ['string', 'null'] } }), false, true],
  ['enum narrowed', obj({ k: { enum: ['a', 'b', 'c'] } }), obj({ k: { enum: ['a', 'b'] } }), true, false],
  ['enum widened', obj({ k: { enum: ['a', 'b'] } }), obj({ k: { enum: ['a', 'b', 'c'] } }), false, true],
  ['const changed', obj({ v: { const: 1 } }), obj({ v: { const: 2 } }), false, false],
  ['property removed inside array items', obj({ runs: { type: 'array', items: obj({ id: str, n: { type: 'integer' } }, ['id']) } }), obj({ runs: { type: 'array', items: obj({ n: { type: 'integer' } }) } }), false, true],
  ['property retyped inside array items', obj({ runs: { type: 'array', items: obj({ id: str }, ['id']) } }), obj({ runs: { type: 'array', items: obj({ id: { type: 'integer' } }, ['id']) } }), false, false],
  ['type change behind $ref in $defs', { ...obj({ p: { $ref: '#/$defs/path' } }), $defs: { path: str } }, { ...obj({ p: { $ref: '#/$defs/path' } }), $defs: { path: { type: 'integer' } } }, false, false],
  ['allOf adds a required field', obj({ a: str }), { allOf: [obj({ a: str }), { required: ['a'] }] }, true, false],
  ['oneOf branch removed', obj({ v: { oneOf: [str, { type: 'integer' }] } }), obj({ v: { oneOf: [str] } }), true, false],
  ['anyOf branch added', obj({ v: { anyOf: [str] } }), obj({ v: { anyOf: [str, { type: 'boolean' }] } }), false, true],
  ['patternProperties retyped', obj({}, [], { patternProperties: { '^x-': str } }), obj({}, [], { patternProperties: { '^x-': { type: 'integer' } } }), false, false],
  ['patternProperties added', obj({ a: str }), obj({ a: str }, [], { patternProperties: { '^x-': { type: 'integer' } } }), true, false],
  ['tuple prefixItems retyped (2020-12)', { $schema: v2020, type: 'array', prefixItems: [str, { type: 'integer' }] }, { $schema: v2020, type: 'array', prefixItems: [str, str] }, false, false],
  ['tuple additionalItems false → allowed (draft-07)', { type: 'array', items: [str], additionalItems: false }, { type: 'array', items: [str] }, false, true],
  ['additionalProperties false removed', obj({ a: str }, [], { additionalProperties: false }), obj({ a: str }), false, true],
  ['additionalProperties retyped', obj({}, [], { additionalProperties: str }), obj({}, [], { additionalProperties: { type: 'integer' } }), false, false],
  ['maxLength tightened', obj({ s: { type: 'string', maxLength: 20 } }), obj({ s: { type: 'string', maxLength: 10 } }), true, false],
  ['minimum raised', obj({ n: { type: 'integer', minimum: 0 } }), obj({ n: { type: 'integer', minimum: 10 } }), true, false],
  ['multipleOf 2 → 4', obj({ n: { type: 'integer', multipleOf: 2 } }), obj({ n: { type: 'integer', multipleOf: 4 } }), true, false],
  ['format email added', obj({ e: str }), obj({ e: { type: 'string', format: 'email' } }), true, false],
  ['pattern changed (letters → digits)', obj({ s: { type: 'string', pattern: '^[a-z]+$' } }), obj({ s: { type: 'string', pattern: '^[0-9]+$' } }), false, false],
  ['minItems added', obj({ l: strs }), obj({ l: { ...strs, minItems: 1 } }), true, false],
  ['uniqueItems added', obj({ l: strs }), obj({ l: { ...strs, uniqueItems: true } }), true, false],
  ['description only', obj({ a: str }), obj({ a: { ...str, description: 'the a' } }), true, true],
];

const verdictOf = (b: boolean): 'breaking' | 'compatible' => (b ? 'compatible' : 'breaking');

/** The sampled counterexample really separates the two schemas. */
function confirm(diff: SchemaDiff, direction: 'backwards' | 'forwards', oldS: J, newS: J): void {
  const c = diff.counterexamples.find((x) => x.direction === direction);
  expect(c, `counterexample for ${direction}`).toBeDefined();
  const [valid, invalid] = direction === 'backwards' ? [newS, oldS] : [oldS, newS];
  expect(compileSchema(valid)(c!.value)).toBe(true);
  expect(compileSchema(invalid)(c!.value)).toBe(false);
}

describe('compatibility table (backwards: new ⊆ old, forwards: old ⊆ new)', () => {
  expect(TABLE.length).toBeGreaterThanOrEqual(20);
  for (const [name, oldS, newS, back, fwd] of TABLE) {
    for (const reversed of [false, true]) {
      const [a, b] = reversed ? [newS, oldS] : [oldS, newS];
      const [eb, ef] = reversed ? [fwd, back] : [back, fwd];
      it(`${name}${reversed ? ' (reversed)' : ''}`, async () => {
        const diff = await compareSchemas(a, b);
        expect({ backwards: diff.backwards, forwards: diff.forwards }).toEqual({ backwards: eb, forwards: ef });
        // Default flags {backwards: true, forwards: false}: only backwards decides.
        const expected = eb ? 'compatible' : 'breaking';
        expect(diff.verdict).toBe(expected);
        const both = await compareSchemas(a, b, { backwards: true, forwards: true });
        expect(both.verdict).toBe(verdictOf(eb && ef));
        // Each field line agrees with the verdict.
        expect(diff.fields.some((f) => f.breaking)).toBe(diff.verdict === 'breaking');
        expect(diff.fields.every((f) => (f.mark === '✗') === f.breaking)).toBe(true);
        if (!eb) confirm(diff, 'backwards', a, b);
        if (!ef) confirm(diff, 'forwards', a, b);
        if (eb) expect(diff.counterexamples.some((c) => c.direction === 'backwards')).toBe(false);
        if (ef) expect(diff.counterexamples.some((c) => c.direction === 'forwards')).toBe(false);
        if (!eb) expect(formatDiff('c', '1.0.0', '1.1.0', diff, 'minor')).toContain('counterexample: ');
      });
    }
  }
});
