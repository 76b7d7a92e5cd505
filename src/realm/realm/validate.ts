/**
 * Contract schema and value validation with ajv: JSON Schema draft-07 by default, 2020-12
 * when the schema's `$schema` says so; formats (`email`, `date-time`, …) are checked.
 */
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Ajv2020 as Ajv2020Class } from 'ajv/dist/2020.js';
import { UserError } from '../../core/index.ts';

/** A validation failure in plain words: `value.read[0]: must be string`. */
export interface ValueProblem {
  path: string;
  message: string;
}

/** The JSON Schema dialect of a contract schema: `2020-12` when `$schema` names it, else `07`. */
export type Draft = '07' | '2020-12';

/** The dialect `schema` declares (draft-07 unless its `$schema` mentions 2020-12). */
export function draftOf(schema: unknown): Draft {
  const id = schema && typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined;
  return typeof id === 'string' && id.includes('2020-12') ? '2020-12' : '07';
}

// Both are CommonJS and only needed once a schema is compiled: required on first use.
const requireCjs = createRequire(import.meta.url);
let extras: { Ajv2020: typeof Ajv2020Class; addFormats: (ajv: Ajv) => Ajv } | undefined;
function loadExtras(): NonNullable<typeof extras> {
  if (!extras) {
    const formats = requireCjs('ajv-formats') as { default?: unknown };
    extras = {
      Ajv2020: (requireCjs('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class }).Ajv2020,
      addFormats: (formats.default ?? formats) as (ajv: Ajv) => Ajv,
    };
  }
  return extras;
}

/**
 * Compiles `schema` (a whole schema or a sub-schema) for the dialect `draft`.
 * @throws Error from ajv when the schema is invalid.
 */
export function compileSchema(schema: unknown, draft: Draft = draftOf(schema)): ValidateFunction {
  const { $schema: _ignored, ...rest } = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
  const body = typeof schema === 'boolean' ? schema : rest;
  // One instance per dialect; a schema with its own `$id` gets a fresh one (ids must be unique per instance).
  const fresh = JSON.stringify(body).includes('"$id"');
  return ajvFor(draft, fresh).compile(body);
}

const shared = new Map<Draft, Ajv>();

function ajvFor(draft: Draft, fresh: boolean): Ajv {
  const cached = shared.get(draft);
  if (cached && !fresh) return cached;
  const { Ajv2020, addFormats } = loadExtras();
  const opts = { allErrors: true, strict: false } as const;
  const ajv = (draft === '2020-12' ? new Ajv2020(opts) : new Ajv(opts)) as Ajv;
  addFormats(ajv);
  if (!fresh) shared.set(draft, ajv);
  return ajv;
}

/**
 * Validates `value` against the JSON Schema `schema`.
 * @returns the problems (empty when valid).
 * @throws UserError E_REALM when `schema` itself is not a valid JSON Schema.
 */
export function validateValue(schema: Record<string, unknown>, value: unknown, file = 'schema'): ValueProblem[] {
  let validate;
  try {
    validate = compileSchema(schema);
  } catch (err) {
    throw new UserError('E_REALM', `invalid JSON Schema: ${(err as Error).message.split('\n')[0]}`, { where: { file } });
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => ({
    path: `value${e.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`,
    message: e.message ?? 'invalid',
  }));
}

/**
 * Throws when `value` does not conform to `schema`.
 * @throws UserError E_REALM `value fails its schema: value.read[0] must be string` (first problem).
 */
export function assertValueValid(schema: Record<string, unknown>, value: unknown, file: string): void {
  const problems = validateValue(schema, value, file);
  const first = problems[0];
  if (first) {
    throw new UserError('E_REALM', `value fails its schema: ${first.path} ${first.message}`, {
      where: { file, field: first.path },
    });
  }
}

/** The value made of each top-level property's `default` (a fresh contract's starting value). */
export function defaultsOf(schema: Record<string, unknown>): Record<string, unknown> {
  const props = schema.properties;
  if (!props || typeof props !== 'object') return {};
  return Object.fromEntries(
    Object.entries(props as Record<string, Record<string, unknown>>)
      .filter(([, p]) => p && typeof p === 'object' && 'default' in p)
      .map(([k, p]) => [k, p.default]),
  );
}
