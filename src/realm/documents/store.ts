/**
 * The document index in `.blue/blue.db` (migration 002). It is always rebuilt from the files
 * inside one transaction, so it can never hold something the files do not say (blue's three
 * disagreeing sources of status: reference §0, §8.1.1).
 */
import { findField } from './header.ts';
import { type DocIndex, type DocumentLink, type LinkKind, docKey } from './queries.ts';
import { type DocStatus, type DocType, statusesOf } from './model.ts';
import { type DocumentInfo, type StrayFiles, linkTarget, localLinks, scanDocuments, strayFiles } from './scan.ts';

export * from './queries.ts';

function numbersIn(value: string, word: 'RFC' | 'ADR'): number[] {
  return [...value.matchAll(new RegExp(`${word}\\s*(\\d{1,4})`, 'gi'))].map((m) => Number(m[1]));
}

/** Dialogue id from a link to `…/dialogues/<id>/<file>` or to blue's flat `…/dialogues/<id>.dialogue[.<status>].md`. */
export function dialogueIdFromUrl(url: string): string | null {
  const flat = /(?:^|\/)dialogues\/([^/]+?)\.dialogue(?:\.[a-z-]+)?\.md(?:[#?)]|$)/.exec(url);
  if (flat?.[1]) return flat[1];
  const m = /(?:^|\/)dialogues\/([^/]+)\//.exec(url);
  return m?.[1] ?? null;
}

/** Typed and plain links a document declares. Pure. */
export function linksOf(doc: DocumentInfo): DocumentLink[] {
  const links: DocumentLink[] = [];
  const word = doc.type === 'adr' ? 'ADR' : 'RFC';
  const push = (source: string, kind: LinkKind, target: string, line: number | null): void => {
    if (!links.some((l) => l.source === source && l.kind === kind && l.target === target)) links.push({ source, kind, target, line });
  };
  for (const l of localLinks(doc.text)) {
    push(doc.file, 'link', linkTarget(doc.file, l.url), l.line);
  }
  if (doc.type === 'dialogue') return links;
  const sup = findField(doc.header, 'Supersedes');
  if (sup) for (const n of numbersIn(sup.value, word)) push(doc.file, 'supersedes', docKey(doc.type, n), sup.line);
  const by = findField(doc.header, 'Superseded By');
  if (by) for (const n of numbersIn(by.value, word)) push(doc.file, 'superseded_by', docKey(doc.type, n), by.line);
  const rfc = doc.type === 'adr' ? findField(doc.header, 'RFC') : undefined;
  if (rfc) for (const n of numbersIn(rfc.value, 'RFC')) push(doc.file, 'rfc_to_adr', docKey('rfc', n), rfc.line);
  if (doc.type === 'rfc' && doc.number !== null) {
    const dlg = findField(doc.header, 'Dialogue');
    const id = dlg ? dialogueIdFromUrl(dlg.value) : null;
    if (dlg && id) push(`dialogue:${id}`, 'dialogue_to_rfc', docKey('rfc', doc.number), dlg.line);
    doc.text.split('\n').forEach((line, i) => {
      const m = /^## Amendment: (\S+) \(/.exec(line);
      if (m?.[1] && doc.number !== null) push(`dialogue:${m[1]}`, 'dialogue_amends_rfc', docKey('rfc', doc.number), i + 1);
    });
  }
  return links;
}

/** What `blue index` read: counts written, documents per type and status, files not read as documents. */
export interface IndexReport {
  documents: number;
  links: number;
  /** Per type, per status (`unknown` when neither name nor header says), in table order. */
  statuses: Partial<Record<DocType, Record<string, number>>>;
  stray: StrayFiles;
}

/** Documents per type and status. Pure. */
export function countByStatus(docs: readonly { type: DocType; status: DocStatus | null }[]): IndexReport['statuses'] {
  const out: IndexReport['statuses'] = {};
  for (const d of docs) {
    const counts = (out[d.type] ??= {});
    const key = d.status ?? 'unknown';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  for (const type of Object.keys(out) as DocType[]) {
    const order = [...statusesOf(type), 'unknown'];
    out[type] = Object.fromEntries(Object.entries(out[type] ?? {}).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
  }
  return out;
}

/**
 * Replaces both index tables with what the files under `root` say, in one transaction.
 * `now` is the ISO time stamped on every row. Returns the counts written, by status, and the
 * files of the document folders that were not read as documents (reported, never dropped).
 */
export function rebuildIndex(root: string, index: DocIndex, now: string): IndexReport {
  const docs = scanDocuments(root);
  const rows = docs.map((d) => ({
    file: d.file,
    type: d.type,
    number: d.number,
    slug: d.slug,
    title: d.title,
    status: d.status,
    headerStatus: d.statusField?.value ?? null,
    date: d.date,
  }));
  const links = index.replaceAll(rows, docs.flatMap(linksOf), now);
  return { documents: docs.length, links, statuses: countByStatus(docs), stray: strayFiles(root) };
}
