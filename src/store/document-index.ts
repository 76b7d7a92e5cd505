/**
 * The document index in `.blue/blue.db` (tables `documents` and `document_links`, migration
 * 002): the rows src/realm/documents writes when it rebuilds the index from the files, and the
 * reads behind `blue rfc list|show`. The vocabularies (document types, statuses, link kinds) are
 * the documents engine's: it names them as the type parameters, and only it writes the rows.
 */
import { type Db, openDatabase } from './db.ts';

/** One row of the index. */
export interface IndexedDocument<Type extends string = string, Status extends string = string> {
  /** Posix path relative to the workspace root. */
  file: string;
  type: Type;
  /** Null for dialogue records. */
  number: number | null;
  slug: string;
  title: string;
  /** From the file name (the header for bare legacy names); null when unknown. */
  status: Status | null;
  /** The Status row verbatim, null when absent. */
  headerStatus: string | null;
  /** The Date row verbatim. */
  date: string | null;
}

/** One link row. `target` is a relative path for a plain link, else `<type>:<number>`. */
export interface DocumentLink<Kind extends string = string> {
  /** A document file, or `dialogue:<id>`. */
  source: string;
  kind: Kind;
  target: string;
  /** 1-based line in the source file, when known. */
  line: number | null;
}

/** A `documents` row: {@link IndexedDocument} with the column's spelling of `headerStatus`. */
type DocRow = Omit<IndexedDocument, 'headerStatus'> & { header_status: string | null };

/**
 * Typed access to the document index. Opened on its own ({@link DocumentIndex.open}, closed by
 * {@link DocumentIndex.close}) or on a dialogue store's connection ({@link DocumentIndex.on},
 * which leaves closing to the store).
 */
export class DocumentIndex<Type extends string = string, Status extends string = string, Kind extends string = string> {
  private constructor(
    private readonly db: Db,
    private readonly owned: boolean,
  ) {}

  /**
   * Opens `<root>/.blue/blue.db` (created and migrated when missing), or an empty in-memory index
   * for `':memory:'`.
   * @throws BlueError E_INTERNAL when a migration fails.
   */
  static open<T extends string = string, S extends string = string, K extends string = string>(rootOrMemory: string): DocumentIndex<T, S, K> {
    return new DocumentIndex<T, S, K>(openDatabase(rootOrMemory), true);
  }

  /** The index on an open workspace connection (the dialogue store's); {@link close} leaves it open. */
  static on<T extends string = string, S extends string = string, K extends string = string>(db: Db): DocumentIndex<T, S, K> {
    return new DocumentIndex<T, S, K>(db, false);
  }

  /**
   * Replaces both tables with `docs` and `links` in one transaction; `now` (ISO) is stamped on
   * every document row. A document listed twice keeps its last row; a link listed twice is one row.
   * @returns the number of link rows written.
   */
  replaceAll(docs: readonly IndexedDocument<Type, Status>[], links: readonly DocumentLink<Kind>[], now: string): number {
    const insertDoc = this.db.prepare(
      `INSERT OR REPLACE INTO documents (file, type, number, slug, title, status, header_status, date, indexed_at)
       VALUES (@file, @type, @number, @slug, @title, @status, @headerStatus, @date, @now)`,
    );
    const insertLink = this.db.prepare(`INSERT OR IGNORE INTO document_links (source, kind, target, line) VALUES (?, ?, ?, ?)`);
    let written = 0;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM documents; DELETE FROM document_links;');
      for (const d of docs) insertDoc.run({ ...d, now });
      for (const l of links) written += insertLink.run(l.source, l.kind, l.target, l.line).changes;
    })();
    return written;
  }

  /** Documents of `type` (optionally one status), by number then file. */
  list(type: Type, status?: Status): IndexedDocument<Type, Status>[] {
    const rows = status
      ? this.db.prepare(`SELECT * FROM documents WHERE type = ? AND status = ? ORDER BY number, file`).all(type, status)
      : this.db.prepare(`SELECT * FROM documents WHERE type = ? ORDER BY number, file`).all(type);
    return (rows as DocRow[]).map((r) => this.fromRow(r));
  }

  /** Documents of `type` numbered `number` (more than one means a duplicate number), by file. */
  find(type: Type, number: number): IndexedDocument<Type, Status>[] {
    const rows = this.db.prepare(`SELECT * FROM documents WHERE type = ? AND number = ? ORDER BY file`).all(type, number) as DocRow[];
    return rows.map((r) => this.fromRow(r));
  }

  /** Highest number of `type` in the index (0 when none). */
  maxNumber(type: Type): number {
    const r = this.db.prepare(`SELECT MAX(number) AS n FROM documents WHERE type = ?`).get(type) as { n: number | null };
    return r.n ?? 0;
  }

  /** Links whose source or target is `key` (a file path, `dialogue:<id>` or `<type>:<n>`), sorted. */
  linksTouching(key: string): DocumentLink<Kind>[] {
    return this.db.prepare(`SELECT source, kind, target, line FROM document_links WHERE source = ? OR target = ? ORDER BY source, kind, target`).all(key, key) as DocumentLink<Kind>[];
  }

  /** Every link of `kinds` (all kinds when empty), by kind then source. */
  links(...kinds: Kind[]): DocumentLink<Kind>[] {
    const where = kinds.length ? `WHERE kind IN (${kinds.map(() => '?').join(', ')})` : '';
    return this.db.prepare(`SELECT source, kind, target, line FROM document_links ${where} ORDER BY kind, source, target`).all(...kinds) as DocumentLink<Kind>[];
  }

  /** Closes the connection when this index opened it (idempotent). */
  close(): void {
    if (this.owned && this.db.open) this.db.close();
  }

  // The engine wrote these rows with its own vocabulary: reading them back as it is is sound.
  private fromRow(r: DocRow): IndexedDocument<Type, Status> {
    return { file: r.file, type: r.type as Type, number: r.number, slug: r.slug, title: r.title, status: r.status as Status | null, headerStatus: r.header_status, date: r.date };
  }
}
