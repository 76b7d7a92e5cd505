/**
 * Small mdast builders. Every generated document is assembled from these so no Markdown
 * syntax is ever concatenated by hand: text goes into `text` nodes and remark escapes it.
 */
import type {
  AlignType,
  Blockquote,
  Code,
  Emphasis,
  Heading,
  InlineCode,
  Link,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  RootContent,
  Strong,
  Table,
  TableCell,
  TableRow,
  Text,
  ThematicBreak,
} from 'mdast';

/** Inline content accepted by builders: a plain string becomes a `text` node. */
export type Inline = string | PhrasingContent;

/** Collapses runs of whitespace (incl. newlines) so one-line constructs (cells, headings) stay one line. */
export function oneLineText(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** A `text` node; the value is kept as given (remark escapes it on output). */
export function text(value: string): Text {
  return { type: 'text', value };
}

function phrasing(parts: Inline[]): PhrasingContent[] {
  return parts.map((part) => (typeof part === 'string' ? text(part) : part));
}

/** `**…**` around the given inline parts. */
export function strong(...parts: Inline[]): Strong {
  return { type: 'strong', children: phrasing(parts) };
}

/** `*…*` around the given inline parts. */
export function emphasis(...parts: Inline[]): Emphasis {
  return { type: 'emphasis', children: phrasing(parts) };
}

/** `` `…` `` with the value verbatim. */
export function inlineCode(value: string): InlineCode {
  return { type: 'inlineCode', value };
}

/** `[label](url)`. */
export function link(url: string, ...parts: Inline[]): Link {
  return { type: 'link', url, children: phrasing(parts) };
}

/** A paragraph of inline parts. */
export function p(...parts: Inline[]): Paragraph {
  return { type: 'paragraph', children: phrasing(parts) };
}

/**
 * An ATX heading. Depth is clamped to 1..6; string parts are flattened to one line
 * because a newline would end the heading.
 */
export function heading(depth: number, ...parts: Inline[]): Heading {
  const clamped = Math.min(6, Math.max(1, Math.trunc(depth))) as Heading['depth'];
  const children = parts.map((part) => (typeof part === 'string' ? text(oneLineText(part)) : part));
  return { type: 'heading', depth: clamped, children };
}

/** A blockquote holding one paragraph. */
export function blockquote(...parts: Inline[]): Blockquote {
  return { type: 'blockquote', children: [p(...parts)] };
}

/** A fenced code block; `value` is the literal content (no escaping applies inside). */
export function code(lang: string, value: string): Code {
  return { type: 'code', lang, meta: null, value };
}

/** `---`. */
export function thematicBreak(): ThematicBreak {
  return { type: 'thematicBreak' };
}

/** A tight bullet (`ordered` false) or numbered list; each item is one paragraph of inline parts. */
export function list(ordered: boolean, items: Inline[][]): List {
  const children: ListItem[] = items.map((item) => ({ type: 'listItem', spread: false, children: [p(...item)] }));
  return { type: 'list', ordered, start: ordered ? 1 : null, spread: false, children };
}

/** A table cell; string parts are flattened to one line (a newline would break the row). */
function cell(content: Inline | Inline[]): TableCell {
  const parts = Array.isArray(content) ? content : [content];
  const children = parts
    .map((part) => (typeof part === 'string' ? text(oneLineText(part)) : part))
    .filter((node) => node.type !== 'text' || node.value !== '');
  // An empty cell would round-trip oddly; the dash marks "no value".
  return { type: 'tableCell', children: children.length === 0 ? [text('—')] : children };
}

/** A cell value: plain string, one inline node, or several inline nodes. */
export type CellContent = Inline | Inline[];

/**
 * A GFM table. `align` has one entry per column (`null` = default); every row must have
 * as many cells as `header` (callers build rows from the same column list).
 */
export function table(align: AlignType[], header: CellContent[], rows: CellContent[][]): Table {
  const toRow = (cells: CellContent[]): TableRow => ({ type: 'tableRow', children: cells.map(cell) });
  return { type: 'table', align, children: [toRow(header), ...rows.map(toRow)] };
}

/** Table when there are rows, otherwise the given sentence (empty tables read badly). */
export function tableOr(
  align: AlignType[],
  header: CellContent[],
  rows: CellContent[][],
  emptySentence: string,
): RootContent {
  return rows.length === 0 ? p(emptySentence) : table(align, header, rows);
}

/**
 * Expert prose for a one-line slot (table cell, list item): backtick code spans render as
 * code (experts quote identifiers a lot); everything else stays literal text, so prose can
 * never turn into HTML, links or emphasis. A span holding only spaces stays literal: an
 * empty code node would serialise as a bare two-backtick run that reads back as text. So does
 * a span with a backslash before a pipe (a table cell drops that backslash, also in code).
 */
export function inlineMarkdown(value: string): PhrasingContent[] {
  const flat = oneLineText(value);
  const out: PhrasingContent[] = [];
  let last = 0;
  for (const m of flat.matchAll(/(`+)(?!`)(.+?)(?<!`)\1(?!`)/g)) {
    const code = m[2]!.trim();
    // GFM tables drop a backslash before a pipe even inside code, so such a span could not read back.
    if (code === '' || /\\\|/.test(code)) continue;
    if (m.index > last) out.push(text(flat.slice(last, m.index)));
    out.push(inlineCode(code));
    last = m.index + m[0].length;
  }
  if (last < flat.length) out.push(text(flat.slice(last)));
  return out.length > 0 ? out : [text(flat)];
}
