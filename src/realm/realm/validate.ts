/** Contract schema and value validation with ajv (JSON Schema draft-07 by default). */
import { Ajv } from 'ajv';
import { UserError } from '../../core/index.ts';

/** A validation failure in plain words: `value.read[0]: must be string`. */
export interface ValueProblem {
  path: string;
  message: string;
}

/**
 * Validates `value` against the JSON Schema `schema`.
 * @returns the problems (empty when valid).
 * @throws UserError E_REALM when `schema` itself is not a valid JSON Schema.
 */
export function validateValue(schema: Record<string, unknown>, value: unknown, file = 'schema'): ValueProblem[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(schema);
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
