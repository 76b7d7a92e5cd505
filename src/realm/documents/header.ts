/**
 * Reading and editing the header region of a document: the H1 and the key/value rows before the
 * first `##` heading, in any of the three syntaxes found in blue's corpus (reference §1.6):
 * `| **Status** | X |`, `**Status**: X`, `**Status:** X`. Edits touch only the one line they
 * change, so a hand-written file keeps its bytes (blue's writer rewrote the first match anywhere,
 * the body included, and only one word of `In Progress`: reference §1.5, §8.1.4).
 */

/** Which syntax a header row uses. */
export type HeaderSyntax = 'table' | 'inline-outside' | 'inline-inside';

/** One `key: value` row of the header region. `line` is 1-based. */
export interface HeaderField {
  key: string;
  value: string;
  line: number;
  syntax: HeaderSyntax;
  /** Text before and after the value on its line, kept verbatim on rewrite. */
  prefix: string;
  suffix: string;
}

/** The parsed header region of a document. */
export interface DocHeader {
  /** Title from `# RFC 0001: Title` (or the whole H1 text), null when there is no H1. */
  title: string | null;
  /** Number from the H1, null when absent. */
  number: number | null;
  /** 1-based line of the H1, 0 when absent. */
  titleLine: number;
  fields: HeaderField[];
  /** Number of lines in the header region (lines 1..regionEnd). */
  regionEnd: number;
}

const PATTERNS: readonly { syntax: HeaderSyntax; re: RegExp }[] = [
  { syntax: 'table', re: /^(\s*\|\s*\*\*([^*|]+?)\*\*\s*\|\s*)(.*?)(\s*\|\s*)$/ },
  { syntax: 'inline-inside', re: /^(\s*\*\*([^*]+?):\*\*[ \t]*)(.*?)(\s*\\?\s*)$/ },
  { syntax: 'inline-outside', re: /^(\s*\*\*([^*]+?)\*\*:[ \t]*)(.*?)(\s*\\?\s*)$/ },
];

/** Splits text into lines (LF; a CR stays at the end of its line and is kept on rewrite). */
function lines(text: string): string[] {
  return text.split('\n');
}

/** Parses one line as a header row, or null. */
export function parseFieldLine(line: string, lineNo: number): HeaderField | null {
  for (const { syntax, re } of PATTERNS) {
    const m = re.exec(line);
    if (m) {
      return { key: (m[2] ?? '').trim(), value: (m[3] ?? '').trim(), line: lineNo, syntax, prefix: m[1] ?? '', suffix: m[4] ?? '' };
    }
  }
  return null;
}

/** Parses the header region of `text`. Pure; never throws. */
export function parseHeader(text: string): DocHeader {
  const all = lines(text);
  let regionEnd = all.length;
  for (let i = 0; i < all.length; i++) {
    if (/^##\s/.test(all[i] ?? '')) {
      regionEnd = i;
      break;
    }
  }
  let title: string | null = null;
  let number: number | null = null;
  let titleLine = 0;
  const fields: HeaderField[] = [];
  for (let i = 0; i < regionEnd; i++) {
    const line = all[i] ?? '';
    const h1 = /^#\s+(.*?)\s*$/.exec(line);
    if (h1 && titleLine === 0) {
      titleLine = i + 1;
      const m = /^(?:RFC|ADR|Dialogue)\s+(\d+)\s*:\s*(.+)$/i.exec(h1[1] ?? '');
      number = m ? Number(m[1]) : null;
      title = m ? (m[2] ?? '') : (h1[1] ?? '');
      continue;
    }
    const field = parseFieldLine(line, i + 1);
    if (field) fields.push(field);
  }
  return { title, number, titleLine, fields, regionEnd };
}

/** First header field named `key` (case-insensitive), if any. */
export function findField(header: DocHeader, key: string): HeaderField | undefined {
  const k = key.toLowerCase();
  return header.fields.find((f) => f.key.toLowerCase() === k);
}

/** Renders a new row in `syntax`. */
function renderField(syntax: HeaderSyntax, key: string, value: string): string {
  if (syntax === 'table') return `| **${key}** | ${value} |`;
  if (syntax === 'inline-inside') return `**${key}:** ${value}`;
  return `**${key}**: ${value}`;
}

/** A table row's text after the value, re-padded so the column stays aligned when it can. */
function resized(field: HeaderField, value: string): string {
  if (field.syntax !== 'table') return field.suffix;
  const pad = /^[ \t]*/.exec(field.suffix)?.[0].length ?? 0;
  const width = field.value.length + pad;
  return ' '.repeat(Math.max(1, width - value.length)) + field.suffix.slice(pad);
}

/** Result of a header edit: the new text, or why it could not be made. */
export type HeaderEdit = { ok: true; text: string } | { ok: false; reason: string };

/**
 * A value made safe for one header line: whitespace runs (newlines included) become one space,
 * and in a table a bare `|` is escaped, since it would otherwise start a new cell (values
 * such as Superseded By carry document titles, which may hold one).
 */
function lineSafe(syntax: HeaderSyntax, value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return syntax === 'table' ? flat.replace(/(?<!\\)\|/g, '\\|') : flat;
}

/**
 * Sets header row `key` to `value`: rewrites the existing row in place (its syntax kept), or
 * inserts a row after the `after` row (default `Status`) in that row's syntax. The value is
 * kept to one line, with `|` escaped in a table. Pure.
 */
export function setHeaderField(text: string, key: string, value: string, after = 'Status'): HeaderEdit {
  const header = parseHeader(text);
  const all = lines(text);
  const existing = findField(header, key);
  if (existing) {
    const safe = lineSafe(existing.syntax, value);
    all[existing.line - 1] = existing.prefix + safe + resized(existing, safe);
    return { ok: true, text: all.join('\n') };
  }
  const anchor = findField(header, after) ?? header.fields[header.fields.length - 1];
  if (!anchor) return { ok: false, reason: 'no header rows to insert after' };
  const cr = (all[anchor.line - 1] ?? '').endsWith('\r') ? '\r' : '';
  all.splice(anchor.line, 0, renderField(anchor.syntax, key, lineSafe(anchor.syntax, value)) + cr);
  return { ok: true, text: all.join('\n') };
}

/**
 * Rewrites the header's Status value (first Status row of the header region only).
 * Returns `ok: false` when the header has no Status row.
 */
export function rewriteStatus(text: string, titleWord: string): HeaderEdit {
  const field = findField(parseHeader(text), 'Status');
  if (!field) return { ok: false, reason: 'no Status row in the header' };
  return setHeaderField(text, 'Status', titleWord);
}
