/**
 * Reading documents from disk: which files are documents, their parsed name and header, and the
 * links they contain. The files are the truth; everything else (index, lint) is derived from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { parseMarkdown } from '../../markdown/processor.ts';
import { type DocHeader, type HeaderField, findField, parseHeader } from './header.ts';
import { type DocName, type DocStatus, type DocType, FOLDERS, parseName, parseStatusWord } from './model.ts';

/** A document read from disk. `file` is a posix path relative to the workspace root. */
export interface DocumentInfo {
  file: string;
  type: DocType;
  name: DocName;
  number: number | null;
  slug: string;
  /** Title from the H1, else the slug. */
  title: string;
  /** Effective status: from the name, else (bare legacy names) from the header; null when unknown. */
  status: DocStatus | null;
  header: DocHeader;
  /** The header's Status row, when present. */
  statusField: HeaderField | undefined;
  /** The header's Status parsed for this type; null when absent or not a status of the type. */
  headerStatus: DocStatus | null;
  date: string | null;
  text: string;
}

/** Reads one document file (`rel` relative to `root`); null when its name is not a document name. */
export function readDocument(root: string, rel: string, type: DocType): DocumentInfo | null {
  const name = parseName(type, path.posix.basename(rel));
  if (!name) return null;
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  return describe(rel, name, text);
}

/** Builds a {@link DocumentInfo} from a name and file text. Pure. */
export function describe(file: string, name: DocName, text: string): DocumentInfo {
  const header = parseHeader(text);
  const statusField = findField(header, 'Status');
  const headerStatus = statusField ? parseStatusWord(name.type, statusField.value) : null;
  const status = name.status ?? (name.type === 'dialogue' ? null : headerStatus);
  return {
    file,
    type: name.type,
    name,
    number: name.number,
    slug: name.slug,
    title: header.title ?? name.slug,
    status,
    header,
    statusField,
    headerStatus,
    date: findField(header, 'Date')?.value ?? null,
    text,
  };
}

function listDir(abs: string): string[] {
  try {
    return fs.readdirSync(abs).sort();
  } catch {
    return [];
  }
}

/** Relative paths of candidate document files of `type` (document names only). */
export function documentFiles(root: string, type: DocType): string[] {
  const folder = FOLDERS[type];
  if (type !== 'dialogue') {
    return listDir(path.join(root, folder))
      .filter((f) => parseName(type, f) !== null)
      .map((f) => `${folder}/${f}`);
  }
  const out: string[] = [];
  for (const dir of listDir(path.join(root, folder))) {
    for (const f of listDir(path.join(root, folder, dir))) {
      if (parseName('dialogue', f)) out.push(`${folder}/${dir}/${f}`);
    }
  }
  return out;
}

/** Every document of `types` on disk, ordered by type, number, file. */
export function scanDocuments(root: string, types: readonly DocType[] = ['rfc', 'adr', 'dialogue']): DocumentInfo[] {
  const docs: DocumentInfo[] = [];
  for (const type of types) {
    for (const rel of documentFiles(root, type)) {
      const doc = readDocument(root, rel, type);
      if (doc) docs.push(doc);
    }
  }
  return docs;
}

/** Highest number among files of `type` whose name starts with `NNNN-`, any form (0 when none). */
export function maxNumberOnDisk(root: string, type: 'rfc' | 'adr'): number {
  let max = 0;
  for (const f of listDir(path.join(root, FOLDERS[type]))) {
    const m = /^(\d{4})-.*\.md$/.exec(f);
    if (m && !f.endsWith('.plan.md')) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/** A link found in a document. `url` has no fragment or query; line/column are 1-based. */
export interface FoundLink {
  url: string;
  line: number;
  column: number;
}

/** Relative links to local files (`http:`, `mailto:`, `#…` and absolute paths are skipped). */
export function localLinks(text: string): FoundLink[] {
  const out: FoundLink[] = [];
  const visit = (node: Nodes): void => {
    if ((node.type === 'link' || node.type === 'definition') && isLocal(node.url)) {
      const url = decodeSafe(node.url.replace(/[#?].*$/, ''));
      if (url) out.push({ url, line: node.position?.start.line ?? 0, column: node.position?.start.column ?? 0 });
    }
    if ('children' in node) for (const c of node.children) visit(c as Nodes);
  };
  visit(parseMarkdown(text));
  return out;
}

/** Workspace-relative posix path a relative link `url` in document `file` points to. */
export function linkTarget(file: string, url: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), url));
}

function isLocal(url: string): boolean {
  return url !== '' && !url.startsWith('#') && !url.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(url);
}

function decodeSafe(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
