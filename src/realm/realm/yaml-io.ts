/**
 * Reading and writing realm YAML with the `yaml` Document API: parse errors and schema
 * errors carry the file, line and column; rewrites keep the existing key order and
 * comments, and fresh files follow the order of the object given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type LineCounter, type Node } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../../core/index.ts';
import { parseYamlWith } from '../../core/index.ts';
import { writeFileAtomic } from '../../core/index.ts';

/** A parsed file: the validated data plus its Document (for comment-preserving rewrites) and line counter (for locating fields). */
export interface Loaded<T> {
  data: T;
  doc: Document;
  lines: LineCounter;
}

/**
 * Parses YAML text and validates it against `schema`.
 * @param display file name used in messages (relative to the realm or repo root).
 * @throws UserError E_REALM for malformed YAML (line/column from the parser) or a value the
 *   schema rejects (line/column and field path, from core's YAML loader).
 */
export function parseYaml<S extends z.ZodType>(text: string, schema: S, display: string): Loaded<z.infer<S>> {
  const { data, doc, lines } = parseYamlWith(text, schema, { code: 'E_REALM', display, label: 'malformed YAML' });
  return { data, doc, lines };
}

/**
 * Reads and validates a YAML file.
 * @throws UserError E_NOT_FOUND when the file is missing; E_REALM as {@link parseYaml}.
 */
export function readYamlFile<S extends z.ZodType>(file: string, schema: S, display: string): Loaded<z.infer<S>> {
  if (!fs.existsSync(file)) throw new UserError('E_NOT_FOUND', `${display} does not exist`, { where: { file: display } });
  return parseYaml(fs.readFileSync(file, 'utf8'), schema, display);
}

/**
 * Writes `value` as YAML to `file` (absolute), atomically, creating its folder. With `previous`,
 * the old Document is updated in place so its key order and comments survive; otherwise keys
 * follow `value`'s own order.
 */
export function writeYamlFile(file: string, value: unknown, previous?: Document): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, toYamlText(value, previous));
}

/** Renders `value` as YAML text, merging into `previous` when given (see {@link writeYamlFile}). */
export function toYamlText(value: unknown, previous?: Document): string {
  if (!previous || !isMap(previous.contents)) {
    const doc = parseDocument('{}');
    doc.contents = doc.createNode(stripUndefined(value)) as typeof doc.contents;
    return doc.toString({ lineWidth: 0 });
  }
  mergeInto(previous, previous.contents, stripUndefined(value));
  return previous.toString({ lineWidth: 0 });
}

/** Recursively updates `node` to equal `value`, touching only what changed. */
function mergeInto(doc: Document, node: Node, value: unknown): boolean {
  if (isMap(node) && isPlainObject(value)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!(key in value)) node.delete(key);
    }
    for (const [key, v] of Object.entries(value)) {
      const child = node.get(key, true) as Node | undefined;
      if (!child || !mergeInto(doc, child, v)) node.set(key, doc.createNode(v));
    }
    return true;
  }
  if (isSeq(node) && Array.isArray(value)) {
    while (node.items.length > value.length) node.items.pop();
    value.forEach((v, i) => {
      const child = node.items[i] as Node | undefined;
      if (!child) node.items.push(doc.createNode(v));
      else if (!mergeInto(doc, child, v)) node.items[i] = doc.createNode(v);
    });
    return true;
  }
  if (isScalar(node) && !isPlainObject(value) && !Array.isArray(value)) {
    if (node.value !== value) node.value = value;
    return true;
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops `undefined` members so optional fields are omitted, not written as null. */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stripUndefined(v)]),
    );
  }
  return value;
}
