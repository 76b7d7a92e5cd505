/** Document-specific mdast builders (task lists, plain tables, Blue's header table) over the shared builders. */
import type { List, PhrasingContent, Table, TableCell, TableRow } from 'mdast';
import { p as para, strong, text } from '../../markdown/index.ts';

export { heading, inlineCode as code, link, oneLineText, p as para, strong, text, thematicBreak as rule } from '../../markdown/index.ts';

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
