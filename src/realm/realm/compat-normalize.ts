/**
 * Puts a contract schema into the form the compatibility rules read: every internal `$ref`
 * replaced by its target (@apidevtools/json-schema-ref-parser; external refs are refused, so
 * nothing is fetched) and every `allOf` folded into its parent (json-schema-merge-allof).
 */
import { dereference } from '@apidevtools/json-schema-ref-parser';
import mergeAllOf from 'json-schema-merge-allof';
import { UserError } from '../../core/index.ts';
import { sameJson } from './json-equal.ts';

type Json = Record<string, unknown>;

/**
 * The schema with `$ref` resolved and `allOf` merged; `$defs`/`definitions` are dropped
 * (their content now sits where it is used). The input is not modified.
 * @throws UserError E_REALM for an external or dangling `$ref`, a recursive schema, or an
 *   `allOf` whose parts cannot be merged.
 */
export async function normalizeSchema(schema: Json, file = 'schema'): Promise<Json> {
  const copy = structuredClone(schema);
  let flat: Json;
  try {
    flat = (await dereference(copy as never, {
      resolve: { external: false },
      dereference: { circular: false },
    })) as unknown as Json;
  } catch (err) {
    throw new UserError('E_REALM', `schema $ref cannot be resolved: ${firstLine(err)}`, {
      where: { file },
      expected: 'internal references such as "#/$defs/name", not recursive',
    });
  }
  assertNoRef(flat, file);
  try {
    flat = mergeAllOf(structuredClone(flat), { ignoreAdditionalProperties: false, resolvers: { defaultResolver: sameOrFail } });
  } catch (err) {
    throw new UserError('E_REALM', `schema allOf cannot be merged: ${firstLine(err)}`, { where: { file } });
  }
  const { $defs: _d, definitions: _defs, ...rest } = flat;
  return rest;
}

/** Unknown keywords merge only when every part agrees. */
function sameOrFail(values: unknown[], paths: string[][]): unknown {
  if (values.every((v) => sameJson(v, values[0]))) return values[0];
  throw new Error(`conflicting "${paths[0]?.join('.') ?? 'keyword'}"`);
}

/** ref-parser leaves an external `$ref` untouched when `external: false`; refuse it here. */
function assertNoRef(node: unknown, file: string): void {
  if (Array.isArray(node)) return node.forEach((n) => assertNoRef(n, file));
  if (!node || typeof node !== 'object') return;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string') {
    throw new UserError('E_REALM', `schema $ref "${ref}" is external`, { where: { file }, expected: 'internal references such as "#/$defs/name"' });
  }
  Object.values(node as Json).forEach((n) => assertNoRef(n, file));
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0] ?? 'unknown error';
}
