/** Tiny mdast builders shared by the document templates (kept here so templates read as outlines). */
import type { Heading, List, Paragraph, PhrasingContent, RootContent, Table, TableCell, TableRow } from 'mdast';

/** A text node. */
export const text = (value: string): PhrasingContent => ({ type: 'text', value });
/** `**value**`. */
export const strong = (value: string): PhrasingContent => ({ type: 'strong', children: [text(value)] });
/** `[label](url)`. */
export const link = (url: string, label: string): PhrasingContent => ({ type: 'link', url, children: [text(label)] });
/** `` `value` ``. */
export const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });

/** A paragraph of phrasing nodes (strings become text). */
export function para(...children: (PhrasingContent | string)[]): Paragraph {
  return { type: 'paragraph', children: children.map((c) => (typeof c === 'string' ? text(c) : c)) };
}

/** A heading of `depth` (1–6). */
export function heading(depth: 1 | 2 | 3 | 4 | 5 | 6, value: string): Heading {
  return { type: 'heading', depth, children: [text(value)] };
}

/** A tight bullet list; `checked` makes task items. */
export function bullets(items: (PhrasingContent | string)[][], checked?: boolean): List {
  return {
    type: 'list',
    ordered: false,
    spread: false,
    children: items.map((item) => ({
      type: 'listItem',
      spread: false,
      ...(checked === undefined ? {} : { checked }),
      children: [para(...item)],
    })),
  };
}

function cell(content: PhrasingContent[] | string): TableCell {
  return { type: 'tableCell', children: typeof content === 'string' ? (content ? [text(content)] : []) : content };
}

function row(cells: (PhrasingContent[] | string)[]): TableRow {
  return { type: 'tableRow', children: cells.map(cell) };
}

/** A GFM table with a header row. */
export function table(headers: string[], rows: (PhrasingContent[] | string)[][]): Table {
  return { type: 'table', align: headers.map(() => null), children: [row(headers), ...rows.map(row)] };
}

/** Blue's header block: a header-less two-column table of `**Key** | value` rows (reference §1.6). */
export function headerTable(rows: [string, PhrasingContent[] | string][]): Table {
  return {
    type: 'table',
    align: [null, null],
    children: [row(['', '']), ...rows.map(([k, v]) => row([[strong(k)], v]))],
  };
}

/** `---`. */
export const rule = (): RootContent => ({ type: 'thematicBreak' });
