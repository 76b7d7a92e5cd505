/**
 * Creating numbered documents and moving them through their lifecycle. Every mutation runs under
 * the document lock, through a {@link Journal} (rolled back on failure), and ends by rebuilding
 * the index from the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, slugify, stripControls } from '../../core/index.ts';
import type { DocIndex } from './queries.ts';
import { type HeaderEdit, findField, rewriteStatus, setHeaderField } from './header.ts';
import { type DocFs, Journal, nodeFs } from './journal.ts';
import { withDocumentLock } from './lock.ts';
import { relinkWorkspace } from './relink.ts';
import { oneLineText } from './mdast.ts';
import { docsDir, typeFolder } from './layout.ts';
import { type DocStatus, type NameForm, TYPE_WORDS, formCanWrite, formatName, formatNumber, nameAdmits, statusTitle } from './model.ts';
import { type DocumentInfo, maxNumberOnDisk, scanDocuments } from './scan.ts';
import { rebuildIndex } from './store.ts';
import { renderAdrTemplate, renderRfcTemplate } from './templates.ts';
import { checkTransition, requireStatus } from './transitions.ts';

/** Numbered document types. */
export type NumberedType = 'rfc' | 'adr';

/** Injected effects of document mutations. `now` is an ISO date-time (index stamps). */
export interface DocDeps {
  now: string;
  fs?: DocFs;
}

/**
 * Turns a user title into a slug.
 * @throws UserError E_USAGE when nothing alphanumeric remains (slugs are `[a-z0-9-]` only, so a
 *   title can never name a path outside the folder).
 */
export function requireSlug(title: string): string {
  const slug = slugify(title);
  if (!slug) throw new UserError('E_USAGE', `title "${title}" has no letters or digits to make a file name from`);
  return slug;
}

/** One line, single-spaced, no terminal control sequences: titles end up in an H1. */
export function cleanTitle(title: string): string {
  return oneLineText(stripControls(title));
}

/**
 * Where a new `type` document goes and in which name form: the type folder of the docs root, in
 * the form most of its documents use when that is blue's letter form (so a new RFC among blue's
 * `NNNN-D-…` files is `NNNN-D-slug.md`), else the dotted form.
 */
export function newDocumentPath(root: string, type: NumberedType, number: number, slug: string, status: DocStatus): string {
  const folder = typeFolder(docsDir(root), type);
  const forms = scanDocuments(root, [type]).map((d) => d.name.form);
  const letters = forms.filter((f) => f === 'letter').length;
  const form: NameForm = letters * 2 > forms.length && formCanWrite(type, 'letter', status) ? 'letter' : 'dotted';
  return `${folder}/${formatName({ type, number, slug, status }, form)}`;
}

/** Next free number of `type`: max(index, any `NNNN-` file on disk) + 1 (reference §1.7). Call under the lock. */
export function nextNumber(root: string, index: DocIndex, type: NumberedType): number {
  const n = Math.max(index.maxNumber(type), maxNumberOnDisk(root, type)) + 1;
  if (n > 9999) throw new UserError('E_STATE', `no ${type} numbers left (9999 used)`);
  return n;
}

/**
 * Creates `NNNN-<slug>.<initial>.md` (see {@link newDocumentPath}) with text `render(number)`,
 * under the lock, and re-indexes.
 * @throws UserError E_EXISTS if the file exists (cannot happen under the lock unless the disk changed).
 */
export function createNumbered(
  root: string,
  index: DocIndex,
  type: NumberedType,
  slug: string,
  render: (n: number) => string,
  deps: DocDeps,
): { file: string; number: number } {
  const status: DocStatus = type === 'rfc' ? 'draft' : 'proposed';
  return withDocumentLock(root, () => {
    const number = nextNumber(root, index, type);
    const file = newDocumentPath(root, type, number, slug, status);
    const abs = path.join(root, file);
    const fsPort = deps.fs ?? nodeFs;
    if (fsPort.exists(abs)) throw new UserError('E_EXISTS', `${file} already exists`);
    Journal.run(fsPort, (j) => {
      j.write(abs, render(number));
      rebuildIndex(root, index, deps.now);
    });
    return { file, number };
  });
}

/** Ensures the type folder exists (a fresh workspace has none); an empty folder needs no undo. */
function ensureFolder(root: string, type: NumberedType): void {
  fs.mkdirSync(path.join(root, typeFolder(docsDir(root), type)), { recursive: true });
}

/**
 * `blue rfc create`: a Draft RFC from the template. `date` is YYYY-MM-DD.
 * @throws UserError E_USAGE for a title without letters or digits.
 */
export function createRfc(root: string, index: DocIndex, title: string, date: string, deps: DocDeps): { file: string; number: number } {
  const t = cleanTitle(title);
  const slug = requireSlug(t);
  ensureFolder(root, 'rfc');
  return createNumbered(root, index, 'rfc', slug, (number) => renderRfcTemplate({ number, title: t, date }), deps);
}

/**
 * `blue adr create [--rfc N]`: a Proposed ADR; `rfc` must name an existing RFC.
 * @throws UserError E_USAGE (title), E_NOT_FOUND (RFC), E_DOCUMENT (duplicate RFC number).
 */
export function createAdr(
  root: string,
  index: DocIndex,
  title: string,
  date: string,
  deps: DocDeps,
  opts: { rfc?: number } = {},
): { file: string; number: number } {
  const t = cleanTitle(title);
  const slug = requireSlug(t);
  const rfc = opts.rfc === undefined ? undefined : requireDocument(root, 'rfc', opts.rfc);
  ensureFolder(root, 'adr');
  const rfcRef = rfc ? `RFC ${formatNumber(rfc.number ?? 0)}: ${rfc.title}` : undefined;
  return createNumbered(root, index, 'adr', slug, (number) => renderAdrTemplate({ number, title: t, date, ...(rfcRef ? { rfc: rfcRef } : {}) }), deps);
}

/**
 * The one document of `type` numbered `number` on disk.
 * @throws UserError E_NOT_FOUND when none, E_DOCUMENT when the number is used twice.
 */
export function requireDocument(root: string, type: NumberedType, number: number): DocumentInfo {
  const found = scanDocuments(root, [type]).filter((d) => d.number === number);
  const label = `${TYPE_WORDS[type]} ${formatNumber(number)}`;
  if (found.length === 0) throw new UserError('E_NOT_FOUND', `${label} not found in ${typeFolder(docsDir(root), type)}/`);
  if (found.length > 1) {
    throw new UserError('E_DOCUMENT', `${label} is used by ${found.length} files: ${found.map((d) => d.file).join(', ')}`, {
      expected: 'one file per number (see blue lint)',
    });
  }
  return found[0] as DocumentInfo;
}

/**
 * The status a document is in, after checking its name and header agree.
 * @throws UserError E_DOCUMENT for a missing/unknown header status or a name/header disagreement.
 */
export function currentStatus(doc: DocumentInfo): DocStatus {
  const field = doc.statusField;
  const where = { file: doc.file, line: field?.line ?? doc.header.titleLine };
  if (!field) throw new UserError('E_DOCUMENT', 'header has no Status row', { where: { file: doc.file }, expected: '| **Status** | Draft | or **Status**: Draft' });
  if (!doc.headerStatus) {
    throw new UserError('E_DOCUMENT', `unknown ${doc.type} status "${field.value}" in the header`, { where });
  }
  if (!nameAdmits(doc.name, doc.headerStatus)) {
    throw new UserError('E_DOCUMENT', `file name says ${doc.name.status} but header says ${doc.headerStatus}`, { where });
  }
  return doc.headerStatus;
}

/** Result of a status change. Paths are relative to the root. */
export interface StatusChange {
  from: DocStatus;
  to: DocStatus;
  previousFile: string;
  file: string;
  /** The superseding document's file, when `to` is superseded. */
  by?: string;
}

/** How a transition names the file: in the form it has (`keep`, the default) or in another one. */
export type RenameStyle = 'keep' | NameForm;

/** Options of a status change: the superseding document, the naming style. */
export interface StatusOptions {
  by?: number;
  renameStyle?: RenameStyle;
}

/**
 * The file a transition of `doc` to `to` moves to: same folder, the name in `style` (`keep`: the
 * file's own form, so a folder of blue's letter names stays one style).
 * @throws UserError E_USAGE when that form cannot say `to` (letters: RFCs only, no rejected).
 */
export function transitionFile(doc: DocumentInfo, to: DocStatus, style: RenameStyle = 'keep'): string {
  const form = style === 'keep' ? doc.name.form : style;
  if (!formCanWrite(doc.type, form, to)) {
    const label = `${TYPE_WORDS[doc.type]} ${formatNumber(doc.number ?? 0)}`;
    const why = doc.type === 'rfc' ? `blue's letter names (NNNN-{D|A|I|S}-slug.md) have no letter for ${to}` : `letter names are for RFCs only`;
    throw new UserError('E_USAGE', `${label}: ${why}`, { where: { file: doc.file }, expected: '--rename-style dotted' });
  }
  const base = formatName({ type: doc.type, number: doc.number, slug: doc.slug, status: to }, form);
  return path.posix.join(path.posix.dirname(doc.file), base);
}

/**
 * `blue rfc|adr status <n> --set <status> [--by N] [--rename-style S]`: checks the transition
 * table, renames the file in its own naming style unless told otherwise (git mv when tracked),
 * rewrites the header Status in its own syntax, writes Superseded By / Supersedes rows on both
 * documents, rewrites every inbound relative link of the workspace's Markdown to the new name
 * (see relink.ts), and re-indexes; undoes every step if one fails.
 * @throws UserError E_USAGE (unknown status, --by misuse, a style that cannot say the status),
 *   E_NOT_FOUND, E_DOCUMENT (bad header, name/header disagreement, duplicates), E_TRANSITION
 *   (illegal move).
 */
export function setDocumentStatus(
  root: string,
  index: DocIndex,
  type: NumberedType,
  number: number,
  statusWord: string,
  deps: DocDeps,
  opts: StatusOptions = {},
): StatusChange {
  const to = requireStatus(type, statusWord);
  if (to === 'superseded' && opts.by === undefined) throw new UserError('E_USAGE', 'superseded requires --by N (the superseding document)');
  if (to !== 'superseded' && opts.by !== undefined) throw new UserError('E_USAGE', '--by is only valid with --set superseded');
  if (opts.by === number) throw new UserError('E_USAGE', 'a document cannot supersede itself');
  return withDocumentLock(root, () => {
    const doc = requireDocument(root, type, number);
    const from = currentStatus(doc);
    checkTransition(type, from, to);
    const by = opts.by === undefined ? undefined : requireDocument(root, type, opts.by);
    const file = transitionFile(doc, to, opts.renameStyle);
    const text = editHeader(doc, rewriteStatus(doc.text, statusTitle(to)));
    const word = TYPE_WORDS[type];
    const pending = new Map<string, string>();
    pending.set(file, by ? editHeader(doc, setHeaderField(text, 'Superseded By', `${word} ${formatNumber(opts.by ?? 0)}: ${by.title}`)) : text);
    if (by) pending.set(by.file, addSupersedes(by, `${word} ${formatNumber(number)}: ${doc.title}`));
    const moves = file === doc.file ? [] : [{ from: doc.file, to: file }];
    const writes = relinkWorkspace(root, moves, pending);
    const fsPort = deps.fs ?? nodeFs;
    Journal.run(fsPort, (j) => {
      for (const m of moves) j.move(path.join(root, m.from), path.join(root, m.to));
      for (const [rel, t] of writes) j.write(path.join(root, rel), t);
      rebuildIndex(root, index, deps.now);
    });
    return { from, to, previousFile: doc.file, file, ...(by ? { by: by.file } : {}) };
  });
}

function editHeader(doc: DocumentInfo, edit: HeaderEdit): string {
  if (edit.ok) return edit.text;
  throw new UserError('E_DOCUMENT', `cannot edit the header: ${edit.reason}`, { where: { file: doc.file } });
}

/** Adds `ref` to the Supersedes row of `doc` (appending when the row lists others). */
function addSupersedes(doc: DocumentInfo, ref: string): string {
  const existing = findField(doc.header, 'Supersedes');
  const prefix = ref.split(':')[0] ?? ref;
  if (existing?.value.includes(prefix)) return doc.text;
  const value = existing && existing.value ? `${existing.value}, ${ref}` : ref;
  return editHeader(doc, setHeaderField(doc.text, 'Supersedes', value));
}
