/**
 * Reading JSON columns back from the database: every stored document is parsed with its zod
 * schema on read, so a hand-edited or foreign row fails once, where it is read, with the row and
 * the field named, instead of as an `undefined` deep inside the engine.
 */
import type { z } from 'zod';
import { BlueError } from './errors.ts';
import { formatFieldPath } from './yaml-load.ts';

/** Which stored value is read: table, the row's key and the JSON column. */
export interface StoredColumn {
  /** Table name, e.g. `dialogues`. */
  table: string;
  /** The row's key (a dialogue id), shown in the error. */
  key: string;
  /** The JSON column, e.g. `settings_json`. */
  column: string;
}

/**
 * A stored row does not hold what this version of Blue wrote there (edited by hand, written by an
 * incompatible version, or truncated). `where.field` is `table[key].column.path`.
 */
export class StoredDataError extends BlueError {
  constructor(at: StoredColumn, path: readonly (string | number)[], reason: string) {
    super('E_STORED', `stored value is malformed: ${reason}`, {
      where: { field: `${at.table}[${JSON.stringify(at.key)}].${formatFieldPath([at.column, ...path])}` },
      expected: 'the value Blue wrote (restore .blue/blue.db from a backup or re-create the dialogue)',
    });
  }
}

/**
 * Parses the JSON text of a stored column and validates it with `schema`.
 * @returns the schema's output.
 * @throws StoredDataError (E_STORED) naming the row and the field path of the first problem, for
 *   text that is not JSON or a value the schema rejects.
 */
export function parseStoredJson<S extends z.ZodType>(text: string, schema: S, at: StoredColumn): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StoredDataError(at, [], `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  const issue = result.error.issues[0]!;
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  throw new StoredDataError(at, path, issue.message);
}
