/**
 * Reading documents from disk: which files are documents, their parsed name and header, and the
 * links they contain. The files are the truth; everything else (index, lint) is derived from here.
 */
import { LRUCache } from 'lru-cache';
import fs from 'node:fs';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { parseMarkdown } from '../../markdown/index.ts';
import { type DocHeader, type HeaderField, findField, parseHeader } from './header.ts';
import { dialogueFolders, docsDir, typeFolder } from './layout.ts';
import { type DocName, type DocStatus, type DocType, TYPE_WORDS, nameAdmits, parseName, parseStatusWord } from './model.ts';

/** A document read from disk. `file` is a posix path relative to the workspace root. */
export interface DocumentInfo {
  file: string;
  type: DocType;
  name: DocName;
  number: number | null;
  slug: string;
  /** Title from the H1, else the slug. */
  title: string;
  /**
   * Effective status: the header's when the name admits it (a bare name, or blue's letter `A` with
   * an In Progress header), else the name's (a bare dialogue record: recorded); null when neither says.
   */
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
  const status = headerStatus && nameAdmits(name, headerStatus) ? headerStatus : (name.status ?? bareDefault(name.type));
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

/** A bare `<id>.dialogue.md` predates blue's lifecycle tokens; records had one state then. */
function bareDefault(type: DocType): DocStatus | null {
  return type === 'dialogue' ? 'recorded' : null;
}

function listDir(abs: string): string[] {
  try {
    return fs.readdirSync(abs).sort();
  } catch {
    return [];
  }
}

function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** Relative paths of document files of `type` under the workspace `root` (document names only). */
export function documentFiles(root: string, type: DocType): string[] {
  const dir = docsDir(root);
  if (type !== 'dialogue') {
    const folder = typeFolder(dir, type);
    return listDir(path.join(root, folder))
      .filter((f) => parseName(type, f) !== null)
      .map((f) => `${folder}/${f}`);
  }
  const out: string[] = [];
  for (const folder of dialogueFolders(dir)) {
    for (const entry of listDir(path.join(root, folder))) {
      if (parseName('dialogue', entry)) {
        if (isFile(path.join(root, folder, entry))) out.push(`${folder}/${entry}`); // blue's flat record
        continue;
      }
      for (const f of listDir(path.join(root, folder, entry))) {
        if (parseName('dialogue', f)) out.push(`${folder}/${entry}/${f}`);
      }
    }
  }
  return out;
}

/** Files in the document folders that are not read as documents, by why. Paths relative to the root. */
export interface StrayFiles {
  /** Markdown whose name is no document name of the folder (lint reports each one). */
  unrecognised: string[];
  /** `NNNN-slug.plan.md` task companions of RFCs (reference §2), read by no document command. */
  companions: string[];
  /** Files that are not Markdown (a PDF beside an RFC, say). */
  other: string[];
}

/** Every file of the RFC, ADR and (flat) dialogue folders that is not a document, reported, never dropped. */
export function strayFiles(root: string): StrayFiles {
  const dir = docsDir(root);
  const out: StrayFiles = { unrecognised: [], companions: [], other: [] };
  const folders: [DocType, string][] = [
    ['rfc', typeFolder(dir, 'rfc')],
    ['adr', typeFolder(dir, 'adr')],
    ...dialogueFolders(dir).map((f): [DocType, string] => ['dialogue', f]),
  ];
  for (const [type, folder] of folders) {
    for (const f of listDir(path.join(root, folder))) {
      const rel = `${folder}/${f}`;
      if (!isFile(path.join(root, rel)) || parseName(type, f)) continue;
      if (f.startsWith('.')) continue; // editor and OS files (.DS_Store, swap files)
      if (!f.endsWith('.md')) out.other.push(rel);
      else if (type === 'rfc' && /^\d{4}-.+\.plan\.md$/.test(f)) out.companions.push(rel);
      else out.unrecognised.push(rel);
    }
  }
  return out;
}

/** What an unrecognised name should have looked like, for the lint message. */
export function expectedNameHint(type: DocType): string {
  if (type === 'dialogue') return 'expected <id>.dialogue.<status>.md';
  const forms = type === 'rfc' ? 'NNNN-slug.<status>.md, NNNN-{D|A|I|S}-slug.md or NNNN-slug.md' : 'NNNN-slug.<status>.md or NNNN-slug.md';
  return `not an ${TYPE_WORDS[type]} name; expected ${forms}`;
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
  for (const f of listDir(path.join(root, typeFolder(docsDir(root), type)))) {
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

/**
 * Parsed links by file text. Parsing is the cost of every index, lint and transition (blue's 104
 * documents are 1.4 MB of Markdown); one command reads each text several times (scan, relink,
 * index), and an unchanged text always has the same links.
 */
const linkCache = new LRUCache<string, readonly FoundLink[]>({ max: 512 });

/** Relative links to local files (`http:`, `mailto:`, `#…` and absolute paths are skipped). */
export function localLinks(text: string): FoundLink[] {
  const hit = linkCache.get(text);
  if (hit) return [...hit];
  const out = parseLocalLinks(text);
  linkCache.set(text, out);
  return [...out];
}

function parseLocalLinks(text: string): FoundLink[] {
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

/** True for a relative link to a local file: not empty, a fragment, an absolute path or a URL with a scheme. */
export function isLocal(url: string): boolean {
  return url !== '' && !url.startsWith('#') && !url.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(url);
}

/** `decodeURI(url)`, or `url` itself when it is not valid percent-encoding. */
export function decodeSafe(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
