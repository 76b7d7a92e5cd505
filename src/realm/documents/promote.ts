/**
 * Promotion of a converged dialogue into an RFC (`blue dialogue promote`). Blue never built this
 * (reference §3.1); the mapping follows the conventions its RFCs use by hand (reference §3.2–3.3):
 * Summary from question and answer, Resolved Design Decisions table, Resolved Tensions with global
 * ids, Open Questions from accepted/open tensions and dissent, a Dialogue Provenance section, the
 * `Dialogue` and `Alignment` header rows, and a back-link in the dialogue record.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { UserError } from '../../core/index.ts';
import { parseMarkdown } from '../../markdown/index.ts';
import type { DocIndex } from './queries.ts';
import { findField, parseHeader, setHeaderField } from './header.ts';
import { type DocFs, Journal, nodeFs } from './journal.ts';
import { cleanTitle, newDocumentPath, nextNumber, requireDocument, requireSlug } from './lifecycle.ts';
import { withDocumentLock } from './lock.ts';
import { ENDED_UNCONVERGED, type PromotionInput, renderAmendment, renderPromotedRfc } from './promote-render.ts';
import { scanDocuments } from './scan.ts';
import { linksOf, rebuildIndex } from './store.ts';

export * from './promote-render.ts';

/** Promotion flags: `--allow-forced`, `--rfc N` (amend instead of create). */
export interface PromotionOptions {
  allowForced?: boolean;
  rfc?: number;
}

/** Where the promotion went. `file` is relative to the root. */
export interface PromotionResult {
  file: string;
  number: number;
  amended: boolean;
  /** Existing RFCs the question or constraints name (`RFC 0058`), when a new RFC was drafted. */
  related: { number: number; file: string }[];
}

/**
 * Promotes a dialogue: creates `rfcs/NNNN-<slug of question>.draft.md` (reporting the existing RFCs
 * its question names), or with `opts.rfc` inserts an `## Amendment: <id> (<date>)` section after
 * that RFC's Summary; then writes the back-link into the record
 * and re-indexes (links table: `dialogue:<id>` → `rfc:N`). All under the document lock, all undone
 * on failure. `deps.now` (ISO time for index stamps) defaults to the promotion date.
 * @throws UserError E_STATE when the outcome is not converged (forced needs `allowForced`),
 *   E_EXISTS when the dialogue was already promoted (names the RFC), E_NOT_FOUND for a missing
 *   record or RFC, E_USAGE for a question without letters or digits.
 */
export function promoteDialogue(
  root: string,
  index: DocIndex,
  input: PromotionInput,
  opts: PromotionOptions = {},
  deps: { now?: string; fs?: DocFs } = {},
): PromotionResult {
  checkOutcome(input, opts);
  const fsPort = deps.fs ?? nodeFs;
  const now = deps.now ?? `${input.date}T00:00:00.000Z`;
  const found = { ...input, recordFile: recordOnDisk(root, input, fsPort) };
  const recordAbs = path.join(root, found.recordFile);
  return withDocumentLock(root, () => {
    refuseSecondPromotion(root, found.dialogueId);
    return Journal.run(fsPort, (j) => {
      const result = opts.rfc === undefined ? { ...writeNewRfc(root, index, found, j), related: namedRfcs(root, found) } : writeAmendment(root, found, opts.rfc, j);
      j.write(recordAbs, withBackLink(fsPort.readFile(recordAbs), found.recordFile, result.file));
      rebuildIndex(root, index, now);
      return result;
    });
  });
}

/**
 * The record's file: `input.recordFile`, else the same dialogue's record under another status
 * (a published `.dialogue.pub.md`).
 * @throws UserError E_NOT_FOUND when the dialogue has no record on disk.
 */
function recordOnDisk(root: string, input: PromotionInput, fsPort: DocFs): string {
  if (fsPort.exists(path.join(root, input.recordFile))) return input.recordFile;
  const dir = path.posix.dirname(input.recordFile);
  const other = scanDocuments(root, ['dialogue']).find((d) => d.slug === input.dialogueId && path.posix.dirname(d.file) === dir);
  if (other) return other.file;
  throw new UserError('E_NOT_FOUND', `dialogue record ${input.recordFile} not found`);
}

function checkOutcome(input: PromotionInput, opts: PromotionOptions): void {
  const outcome = input.verdict.outcome;
  if (outcome === 'converged' || (ENDED_UNCONVERGED.has(outcome) && opts.allowForced)) return;
  const hint = ENDED_UNCONVERGED.has(outcome)
    ? 'pass --allow-forced to promote a dialogue that ended without convergence'
    : 'only converged dialogues (or ended ones with --allow-forced) can be promoted';
  throw new UserError('E_STATE', `dialogue ${input.dialogueId} ended ${outcome}, not converged; ${hint}`);
}

function refuseSecondPromotion(root: string, id: string): void {
  for (const doc of scanDocuments(root, ['rfc'])) {
    const hit = linksOf(doc).find((l) => l.source === `dialogue:${id}` && (l.kind === 'dialogue_to_rfc' || l.kind === 'dialogue_amends_rfc'));
    if (hit) throw new UserError('E_EXISTS', `dialogue ${id} was already promoted to ${doc.file}`);
  }
}

/** Existing RFCs that the question or a constraint names as `RFC 58`, `RFC 0058` or `rfc-0058`. */
export function namedRfcs(root: string, input: PromotionInput): { number: number; file: string }[] {
  const said = [input.verdict.question, ...(input.constraints ?? [])].join('\n');
  const numbers = new Set([...said.matchAll(/\bRFC[-\s]?0*(\d{1,4})\b/gi)].map((m) => Number(m[1])));
  return scanDocuments(root, ['rfc'])
    .filter((d) => d.number !== null && numbers.has(d.number))
    .map((d) => ({ number: d.number ?? 0, file: d.file }));
}

function writeNewRfc(root: string, index: DocIndex, input: PromotionInput, j: Journal): Omit<PromotionResult, 'related'> {
  const title = cleanTitle(input.verdict.question);
  const slug = requireSlug(title);
  const number = nextNumber(root, index, 'rfc');
  const file = newDocumentPath(root, 'rfc', number, slug, 'draft');
  fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true }); // an empty folder needs no undo
  j.write(path.join(root, file), renderPromotedRfc(number, title, input, path.posix.dirname(file)));
  return { file, number, amended: false };
}

function writeAmendment(root: string, input: PromotionInput, rfc: number, j: Journal): PromotionResult {
  const doc = requireDocument(root, 'rfc', rfc);
  if (doc.status === 'superseded' || doc.status === 'rejected') {
    throw new UserError('E_STATE', `RFC ${String(rfc).padStart(4, '0')} is ${doc.status}; a closed RFC is not amended`, {
      where: { file: doc.file },
      expected: 'an open RFC, or promote without --rfc to draft a new one',
    });
  }
  const abs = path.join(root, doc.file);
  const rfcDir = path.posix.dirname(doc.file);
  const link = dialogueLink(rfcDir, input);
  const existing = findField(parseHeader(doc.text), 'Amendment');
  const value = existing?.value ? `${existing.value}, ${link}` : link;
  const edit = setHeaderField(doc.text, 'Amendment', value);
  if (!edit.ok) throw new UserError('E_DOCUMENT', `cannot add the Amendment row: ${edit.reason}`, { where: { file: doc.file } });
  j.write(abs, insertAfterSummary(edit.text, renderAmendment(input, rfcDir)));
  return { file: doc.file, number: rfc, amended: true, related: [] };
}

function isHeading(node: RootContent | undefined, maxDepth: number): boolean {
  return node?.type === 'heading' && node.depth <= maxDepth;
}

/**
 * Inserts `section` (Markdown ending in a newline) after the RFC's `## Summary` and any amendments
 * already there, before the next section, as blue's RFC 0058 carries its amendment. Without a
 * Summary it goes before the first `##` section; with nothing after, before a closing `---` or at
 * the end. The rest of the file keeps its bytes. Pure.
 */
export function insertAfterSummary(text: string, section: string): string {
  const nodes = parseMarkdown(text).children;
  const summary = nodes.findIndex((n) => isHeading(n, 2) && n.type === 'heading' && n.depth === 2 && /^summary$/i.test(toString(n).trim()));
  let i = summary < 0 ? nodes.findIndex((n) => isHeading(n, 2) && n.type === 'heading' && n.depth === 2) : summary + 1;
  if (i < 0) i = nodes.length;
  if (summary >= 0) {
    while (i < nodes.length && !(isHeading(nodes[i], 2) && !/^amendment:/i.test(toString(nodes[i] as RootContent).trim()))) i++;
  }
  let at = nodes[i]?.position?.start.offset;
  if (at === undefined) {
    const rule = nodes.findLastIndex((n, k) => k > summary && n.type === 'thematicBreak');
    at = rule >= 0 && summary >= 0 ? nodes[rule]?.position?.start.offset : undefined;
  }
  if (at === undefined) return `${text.replace(/\s*$/, '')}\n\n${section}`;
  return `${text.slice(0, at)}${section}\n${text.slice(at)}`;
}

/** `[<id>](../dialogues/<id>/<file>)` relative to `fromDir`, as Markdown text. */
function dialogueLink(fromDir: string, input: PromotionInput): string {
  return `[${input.dialogueId}](${path.posix.relative(fromDir, input.recordFile)})`;
}

/**
 * Writes `**Promoted To**: [rfcs/…](../../rfcs/…)` into a dialogue record: rewrites an existing
 * Promoted To row (any header syntax), else inserts one after the Status row in its syntax, else
 * after the H1. Edits one line so the verbatim expert contributions keep their bytes. Pure.
 */
export function withBackLink(recordText: string, recordFile: string, rfcFile: string): string {
  const value = `[${rfcFile}](${path.posix.relative(path.posix.dirname(recordFile), rfcFile)})`;
  const header = parseHeader(recordText);
  if (header.fields.length > 0) {
    const edit = setHeaderField(recordText, 'Promoted To', value, 'Status');
    if (edit.ok) return edit.text;
  }
  const lines = recordText.split('\n');
  const at = header.titleLine > 0 ? header.titleLine : 0;
  lines.splice(at, 0, ...(at > 0 ? [''] : []), `**Promoted To**: ${value}`, ...(at > 0 ? [] : ['']));
  return lines.join('\n');
}
