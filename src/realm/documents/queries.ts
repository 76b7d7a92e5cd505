/**
 * The document index in the documents engine's words (`blue rfc list|show`): its rows typed with
 * this engine's types, statuses and link kinds. Apart from store.ts, which rebuilds the index by
 * parsing Markdown, so that listing loads no Markdown parser.
 */
import { DocumentIndex, type DocumentLink as StoredLink, type IndexedDocument as StoredDocument } from '../../store/index.ts';
import type { DocStatus, DocType } from './model.ts';

/** Kinds of links kept in `document_links`. */
export type LinkKind = 'link' | 'supersedes' | 'superseded_by' | 'rfc_to_adr' | 'dialogue_to_rfc' | 'dialogue_amends_rfc';

/** One row of the index. */
export type IndexedDocument = StoredDocument<DocType, DocStatus>;

/** One link row. `target` is a relative path for `link`, else `<type>:<number>`. */
export type DocumentLink = StoredLink<LinkKind>;

/** The document index (store/document-index.ts) with this engine's vocabulary. */
export type DocIndex = DocumentIndex<DocType, DocStatus, LinkKind>;

/**
 * Opens the index of the workspace at `root` (creating and migrating `.blue/blue.db`), or an empty
 * in-memory one for `':memory:'`. The caller closes it.
 * @throws BlueError E_INTERNAL when a migration fails.
 */
export function openDocIndex(rootOrMemory: string): DocIndex {
  return DocumentIndex.open<DocType, DocStatus, LinkKind>(rootOrMemory);
}

/**
 * Runs `fn` on the index opened as {@link openDocIndex} does, closing it afterwards.
 * @throws BlueError E_INTERNAL when a migration fails.
 */
export function withDocIndex<T>(rootOrMemory: string, fn: (index: DocIndex) => T): T {
  const index = openDocIndex(rootOrMemory);
  try {
    return fn(index);
  } finally {
    index.close();
  }
}

/** `rfc:3`-style key of a numbered document. */
export function docKey(type: DocType, number: number): string {
  return `${type}:${number}`;
}
