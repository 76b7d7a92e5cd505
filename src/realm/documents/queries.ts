/**
 * Read queries on the document index (`blue rfc list|show`). Apart from store.ts, which
 * rebuilds the index by parsing Markdown, so that listing loads no Markdown parser.
 */
import type { Db } from '../../store/index.ts';
import type { DocStatus, DocType } from './model.ts';

/** One row of the index. */
export interface IndexedDocument {
  file: string;
  type: DocType;
  number: number | null;
  slug: string;
  title: string;
  status: DocStatus | null;
  headerStatus: string | null;
  date: string | null;
}

/** Kinds of links kept in `document_links`. */
export type LinkKind = 'link' | 'supersedes' | 'superseded_by' | 'rfc_to_adr' | 'dialogue_to_rfc' | 'dialogue_amends_rfc';

/** One link row. `target` is a relative path for `link`, else `<type>:<number>`. */
export interface DocumentLink {
  source: string;
  kind: LinkKind;
  target: string;
  line: number | null;
}

/** `rfc:3`-style key of a numbered document. */
export function docKey(type: DocType, number: number): string {
  return `${type}:${number}`;
}

/** A `documents` row: {@link IndexedDocument} with the column's spelling of `headerStatus`. */
type DocRow = Omit<IndexedDocument, 'headerStatus'> & { header_status: string | null };

function fromRow(r: DocRow): IndexedDocument {
  return { file: r.file, type: r.type, number: r.number, slug: r.slug, title: r.title, status: r.status, headerStatus: r.header_status, date: r.date };
}

/** Indexed documents of `type` (optionally one status), by number then file. */
export function listIndexed(db: Db, type: DocType, status?: DocStatus): IndexedDocument[] {
  const rows = status
    ? db.prepare(`SELECT * FROM documents WHERE type = ? AND status = ? ORDER BY number, file`).all(type, status)
    : db.prepare(`SELECT * FROM documents WHERE type = ? ORDER BY number, file`).all(type);
  return (rows as DocRow[]).map(fromRow);
}

/** Indexed documents of `type` numbered `number` (more than one means a duplicate number). */
export function findIndexed(db: Db, type: DocType, number: number): IndexedDocument[] {
  return (db.prepare(`SELECT * FROM documents WHERE type = ? AND number = ? ORDER BY file`).all(type, number) as DocRow[]).map(fromRow);
}

/** Highest indexed number of `type` (0 when none). */
export function maxIndexedNumber(db: Db, type: DocType): number {
  const r = db.prepare(`SELECT MAX(number) AS n FROM documents WHERE type = ?`).get(type) as { n: number | null };
  return r.n ?? 0;
}

/** Links whose source or target is `key` (a file path, `dialogue:<id>` or `<type>:<n>`). */
export function linksTouching(db: Db, key: string): DocumentLink[] {
  return db.prepare(`SELECT source, kind, target, line FROM document_links WHERE source = ? OR target = ? ORDER BY source, kind, target`).all(key, key) as DocumentLink[];
}
