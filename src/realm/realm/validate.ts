/**
 * Contract schema and value validation with ajv: JSON Schema draft-07 by default, 2020-12
 * when the schema's `$schema` says so; formats (`email`, `date-time`, …) are checked.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
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

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * Compiles `schema` (a whole schema or a sub-schema) for the dialect `draft`.
 * @throws Error from ajv when the schema is invalid.
 */
export function compileSchema(schema: unknown, draft: Draft = draftOf(schema)): ValidateFunction {
  const opts = { allErrors: true, strict: false, validateSchema: false } as const;
  const ajv = draft === '2020-12' ? new Ajv2020(opts) : new Ajv(opts);
  addFormats(ajv as Ajv);
  const { $schema: _ignored, ...rest } = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
  return ajv.compile(typeof schema === 'boolean' ? schema : rest);
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
