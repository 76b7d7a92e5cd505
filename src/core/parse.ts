/**
 * Reading user-supplied JSON and YAML with located one-line errors. Every failure — a syntax
 * error, a YAML alias bomb, a binary file — is a {@link UserError} naming the file, line and
 * column, never a stack trace. The YAML library is loaded on the first YAML read, so the core
 * barrel stays light for commands that read none (`blue --help`, `blue rfc list`).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Document, LineCounter } from 'yaml';
import { type ErrorCode, UserError } from './errors.ts';

let yamlLib: typeof import('yaml') | undefined;
/** The `yaml` package, required synchronously on first use (its CommonJS build, the one Node resolves for `import` too). */
export function yaml(): typeof import('yaml') {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlLib;
}

/** YAML aliases allowed per document; far above any real file, far below a billion laughs. */
export const MAX_YAML_ALIASES = 100;

/** A parsed YAML file: plain data plus the Document and line counter for locating fields. */
export interface ParsedYaml {
  data: unknown;
  doc: Document;
  lines: LineCounter;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/**
 * Rejects text that is not text: NUL bytes or invalid UTF-8 (decoded as U+FFFD).
 * @throws UserError `code` naming `display`.
 */
export function assertText(text: string, display: string, code: ErrorCode): void {
  const bad = text.search(/[\u0000\uFFFD]/);
  if (bad === -1) return;
  const { line, col } = linePos(text, bad);
  throw new UserError(code, 'binary content, not a text file', { where: { file: display, line, column: col }, expected: 'a UTF-8 text file' });
}

/** 1-based line and column of `offset` in `text`. */
function linePos(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/**
 * Parses JSON text.
 * @throws UserError `code` with `display:line:col` and JSON.parse's reason.
 */
export function parseJsonText(text: string, display: string, code: ErrorCode): unknown {
  assertText(text, display, code);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? firstLine(err.message) : String(err);
    // V8 names a position for most errors and none for a truncated file (the end, then).
    const at = /at position (\d+)/.exec(message)?.[1];
    const offset = at !== undefined ? Number(at) : /end of JSON input/.test(message) ? text.length : undefined;
    const pos = offset === undefined ? undefined : linePos(text, offset);
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'unexpected end of input');
    throw new UserError(code, `invalid JSON: ${reason}`, { where: { file: display, ...(pos ? { line: pos.line, column: pos.col } : {}) } });
  }
}

/**
 * Parses YAML text (one document) to plain data, refusing alias bombs.
 * @param label how messages name the fault (`invalid YAML: …`; the realm says `malformed YAML`).
 * @throws UserError `code` with `display:line:col` for a syntax error, too many aliases or binary content.
 */
export function parseYamlText(text: string, display: string, code: ErrorCode, label = 'invalid YAML'): ParsedYaml {
  assertText(text, display, code);
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    const message = firstLine(first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(code, `${label}: ${message}`, { where: { file: display, line: pos.line, column: pos.col } });
  }
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown, doc, lines };
  } catch (err) {
    // The yaml library throws a ReferenceError for an alias bomb ("Excessive alias count…").
    const reason = err instanceof Error ? firstLine(err.message) : String(err);
    throw new UserError(code, `${label}: ${reason}`, { where: { file: display }, expected: `at most ${MAX_YAML_ALIASES} aliases` });
  }
}

/**
 * Reads a UTF-8 file for {@link parseJsonText} / {@link parseYamlText}.
 * @throws UserError `code` when it is missing, a directory or unreadable.
 */
export function readTextFile(file: string, display: string, code: ErrorCode): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code;
    const message = why === 'ENOENT' ? 'file not found' : why === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${why ?? 'read error'})`;
    throw new UserError(code, message, { where: { file: display }, expected: 'a readable file' });
  }
}

/** Reads and parses a JSON file. @throws UserError `code` as {@link readTextFile} and {@link parseJsonText}. */
export function readJsonFile(file: string, display: string, code: ErrorCode): unknown {
  return parseJsonText(readTextFile(file, display, code), display, code);
}

/** Reads and parses a YAML file. @throws UserError `code` as {@link readTextFile} and {@link parseYamlText}. */
export function readYamlData(file: string, display: string, code: ErrorCode): unknown {
  return parseYamlText(readTextFile(file, display, code), display, code).data;
}
