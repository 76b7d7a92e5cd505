/**
 * `blue lint` for documents: duplicate numbers, name/header disagreement, unknown or missing
 * statuses, H1 number mismatches, legacy names and broken relative links, each with file:line.
 * These are exactly the drifts found in blue's corpus (reference §8.1.1, §8.1.5, §8.1.6).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../core/index.ts';
import { type DocType, type NameForm, TYPE_WORDS, formatNumber, nameAdmits, parseName } from './model.ts';
import { type DocumentInfo, expectedNameHint, linkTarget, localLinks, scanDocuments, strayFiles } from './scan.ts';
import { docKey } from './store.ts';

/** Rules of the document lint. */
export type DocLintRule =
  | 'duplicate-number'
  | 'missing-status'
  | 'unknown-status'
  | 'name-header-mismatch'
  | 'title-number-mismatch'
  | 'legacy-name'
  | 'unrecognised-name'
  | 'broken-link';

/** One lint finding (core's {@link Finding}, always naming its file). */
export type LintFinding = Finding<DocLintRule> & { file: string };

/** Lints every document under `root`; findings ordered by file, then line. Reads files only. */
export function lintDocuments(root: string): LintFinding[] {
  const docs = scanDocuments(root);
  const findings: LintFinding[] = [...unrecognisedNames(root), ...duplicates(docs), ...legacyNames(docs)];
  for (const doc of docs) findings.push(...headerFindings(doc), ...brokenLinks(root, doc, docs));
  return findings.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
}

/** True when any finding is an error (the check failed). */
export function hasErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** `rfcs/x.md:3:5 error unknown-status: …`. */
export function formatFinding(f: LintFinding): string {
  const at = f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : '';
  return `${f.file}${at} ${f.severity} ${f.rule}: ${f.message}`;
}

function unrecognisedNames(root: string): LintFinding[] {
  return strayFiles(root).unrecognised.map((file) => {
    const type: DocType = /(^|\/)dialogues\/[^/]+$/.test(file) ? 'dialogue' : /(^|\/)adrs\/[^/]+$/.test(file) ? 'adr' : 'rfc';
    return { severity: 'warning', rule: 'unrecognised-name', file, message: expectedNameHint(type) };
  });
}

/**
 * One summary line per folder holding blue's older name forms: a transition keeps a file's form,
 * so they are a choice, not a defect per file.
 */
function legacyNames(docs: readonly DocumentInfo[]): LintFinding[] {
  const byFolder = new Map<string, Record<NameForm, number>>();
  for (const d of docs) {
    if (d.type === 'dialogue' || d.name.form === 'dotted') continue;
    const folder = path.posix.dirname(d.file);
    const counts = byFolder.get(folder) ?? { dotted: 0, letter: 0, bare: 0 };
    counts[d.name.form] += 1;
    byFolder.set(folder, counts);
  }
  return [...byFolder].map(([folder, c]) => {
    const parts = [c.letter ? `${c.letter} in blue's letter form (NNNN-{D|A|I|S}-slug.md)` : '', c.bare ? `${c.bare} bare (NNNN-slug.md)` : ''].filter(Boolean);
    return {
      severity: 'warning',
      rule: 'legacy-name',
      file: `${folder}/`,
      message: `${parts.join(', ')} names; a transition keeps each file's form, --rename-style dotted modernises it`,
    };
  });
}

function duplicates(docs: readonly DocumentInfo[]): LintFinding[] {
  const byKey = new Map<string, DocumentInfo[]>();
  for (const d of docs) {
    if (d.number === null) continue;
    const key = docKey(d.type, d.number);
    byKey.set(key, [...(byKey.get(key) ?? []), d]);
  }
  const out: LintFinding[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    for (const d of group) {
      const others = group.filter((o) => o !== d).map((o) => o.file).join(', ');
      out.push({ severity: 'error', rule: 'duplicate-number', file: d.file, message: `${TYPE_WORDS[d.type]} ${formatNumber(d.number ?? 0)} is also used by ${others}` });
    }
  }
  return out;
}

function headerFindings(doc: DocumentInfo): LintFinding[] {
  if (doc.type === 'dialogue') return [];
  const out: LintFinding[] = [];
  const field = doc.statusField;
  if (doc.header.number !== null && doc.header.number !== doc.number) {
    out.push({ severity: 'error', rule: 'title-number-mismatch', file: doc.file, line: doc.header.titleLine, message: `title says ${formatNumber(doc.header.number)} but the file name says ${formatNumber(doc.number ?? 0)}` });
  }
  if (!field) {
    out.push({ severity: 'error', rule: 'missing-status', file: doc.file, line: doc.header.titleLine || 1, message: 'header has no Status row' });
  } else if (!doc.headerStatus) {
    out.push({ severity: 'error', rule: 'unknown-status', file: doc.file, line: field.line, message: `"${field.value}" is not an ${TYPE_WORDS[doc.type]} status` });
  } else if (!nameAdmits(doc.name, doc.headerStatus)) {
    out.push({ severity: 'error', rule: 'name-header-mismatch', file: doc.file, line: field.line, message: `file name says ${doc.name.status} but header says ${doc.headerStatus}` });
  }
  return out;
}

function brokenLinks(root: string, doc: DocumentInfo, docs: readonly DocumentInfo[]): LintFinding[] {
  const out: LintFinding[] = [];
  for (const l of localLinks(doc.text)) {
    const target = linkTarget(doc.file, l.url);
    if (fs.existsSync(path.join(root, target))) continue;
    const moved = renamedTo(target, docs);
    const hint = moved ? ` (renamed to ${path.posix.relative(path.posix.dirname(doc.file), moved)}?)` : '';
    out.push({ severity: 'error', rule: 'broken-link', file: doc.file, line: l.line, column: l.column, message: `link target ${l.url} does not exist${hint}` });
  }
  return out;
}

/**
 * Dead links whose target is a document under another name form, as renames to undo
 * (`from` the dead target, `to` the document), de-duplicated. Reads files only.
 */
export function renamedLinkMoves(root: string): { from: string; to: string }[] {
  const docs = scanDocuments(root);
  const moves = new Map<string, string>();
  for (const doc of docs) {
    for (const l of localLinks(doc.text)) {
      const target = linkTarget(doc.file, l.url);
      if (moves.has(target) || fs.existsSync(path.join(root, target))) continue;
      const to = renamedTo(target, docs);
      if (to) moves.set(target, to);
    }
  }
  return [...moves].map(([from, to]) => ({ from, to }));
}

/**
 * The document a dead link most likely meant: same folder, type, number and slug under another
 * name form (blue renamed on every transition and left the links behind: reference §8.1.6).
 */
export function renamedTo(target: string, docs: readonly DocumentInfo[]): string | undefined {
  const dir = path.posix.dirname(target);
  const base = path.posix.basename(target);
  for (const type of ['rfc', 'adr', 'dialogue'] as const) {
    const name = parseName(type, base);
    if (!name) continue;
    const hit = docs.find((d) => d.type === type && path.posix.dirname(d.file) === dir && d.slug === name.slug && d.number === name.number);
    if (hit) return hit.file;
  }
  return undefined;
}
