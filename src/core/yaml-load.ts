/**
 * The one YAML + zod loader: parse (located syntax errors, alias limit, binary refusal, from
 * {@link parseYamlText}), validate against a zod schema, and turn the first schema issue into a
 * one-line {@link UserError} with `file:line:col` and the field path. Pools, settings, realm
 * files and the realm membership all load through it; each only words its own messages.
 */
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { type ErrorCode, UserError } from './errors.ts';
import { type ParsedYaml, parseYamlText, yaml } from './parse.ts';

/** A field path as zod reports it: keys and list indexes. */
export type FieldPath = (string | number)[];

/** The first schema issue of a file, located. */
export interface LocatedIssue {
  issue: z.core.$ZodIssue;
  /** Every issue zod reported (the first is `issue`). */
  issues: readonly z.core.$ZodIssue[];
  /** Path of the offending field from the document root: the issue's path plus the first unknown key. */
  path: FieldPath;
  /** Unknown keys of an `unrecognized_keys` issue, else empty. */
  unknownKeys: string[];
  /** The value found at `path` (undefined when missing). */
  value: unknown;
}

/** How one caller words and places its schema errors. */
export interface YamlSchemaOptions {
  /** Error code of every failure. */
  code: ErrorCode;
  /** File name shown in messages (workspace- or realm-relative). */
  display: string;
  /** Prefix of syntax errors (`invalid YAML: …`; the realm says `malformed YAML`). */
  label?: string;
  /** Path of the sub-tree the schema validates (the membership validates `realm`). Default: the root. */
  at?: FieldPath;
  /** Whether an empty document counts as `{}` (default true). */
  emptyIsObject?: boolean;
  /** Message and `expected` for the first issue. Default: zod's message; `unknown field "x"` for unknown keys. */
  describe?: (located: LocatedIssue) => { message: string; expected?: string };
}

/** Validated data plus the parsed document, for comment-preserving rewrites. */
export interface LoadedYaml<T> extends ParsedYaml {
  data: T;
  /** The whole document as plain data (equal to `data` unless `at` is set). */
  raw: unknown;
}

/**
 * Parses YAML text and validates it (or its sub-tree at `opts.at`) against `schema`.
 * @throws UserError `opts.code` at `display:line:col` with the field path, for a syntax error,
 *   too many aliases, binary content or the first value the schema rejects.
 */
export function parseYamlWith<S extends z.ZodType>(text: string, schema: S, opts: YamlSchemaOptions): LoadedYaml<z.infer<S>> {
  return validateYaml(parseYamlText(text, opts.display, opts.code, opts.label), schema, opts);
}

/**
 * Validates an already parsed document (see {@link parseYamlWith}).
 * @throws UserError `opts.code` located at the first issue.
 */
export function validateYaml<S extends z.ZodType>(parsed: ParsedYaml, schema: S, opts: YamlSchemaOptions): LoadedYaml<z.infer<S>> {
  const at = opts.at ?? [];
  const value = valueAt(parsed.data, at);
  const result = schema.safeParse(value == null && opts.emptyIsObject !== false ? {} : value);
  if (result.success) return { ...parsed, data: result.data as z.infer<S>, raw: parsed.data };
  const issue = result.error.issues[0]!;
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...at, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol'), ...unknownKeys.slice(0, 1)];
  const located: LocatedIssue = { issue, issues: result.error.issues, path, unknownKeys, value: valueAt(parsed.data, path) };
  const { message, expected } = (opts.describe ?? defaultDescribe)(located);
  const pos = positionOf(parsed.doc, parsed.lines, path, unknownKeys.length > 0);
  throw new UserError(opts.code, message, {
    where: { file: opts.display, ...(pos ? { line: pos.line, column: pos.col } : {}), ...(path.length ? { field: formatFieldPath(path) } : {}) },
    ...(expected ? { expected } : {}),
  });
}

function defaultDescribe({ issue, unknownKeys }: LocatedIssue): { message: string; expected?: string } {
  return { message: unknownKeys.length > 0 ? `unknown field "${unknownKeys.join('", "')}"` : issue.message };
}

/** `experts[1].tier`, `models.expert`. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The plain value at `path` in `data`, or undefined. */
function valueAt(data: unknown, path: FieldPath): unknown {
  let cur: unknown = data;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/**
 * 1-based line/column of the field at `path`: the key of an unknown key, else the value's node,
 * else (a missing field) the first key of the nearest mapping that exists.
 */
function positionOf(doc: Document, lines: LineCounter, path: FieldPath, unknownKey: boolean): { line: number; col: number } | undefined {
  const { isMap, isNode, isScalar } = yaml();
  if (unknownKey) {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const last = String(path[path.length - 1]);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last) : undefined;
    if (pair && isScalar(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]);
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    const first = n < path.length && isMap(node) && isNode(node.items[0]?.key) ? node.items[0].key.range?.[0] : undefined;
    return lines.linePos(first ?? node.range[0]);
  }
  return undefined;
}
