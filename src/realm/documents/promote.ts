/**
 * Promotion of a converged dialogue into an RFC (`blue dialogue promote`). Blue never built this
 * (reference §3.1); the mapping follows the conventions its RFCs use by hand (reference §3.2–3.3):
 * Summary from question and answer, Resolved Design Decisions table, Resolved Tensions with global
 * ids, Open Questions from accepted/open tensions and dissent, a Dialogue Provenance section, the
 * `Dialogue` and `Alignment` header rows, and a back-link in the dialogue record.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BlockContent, RootContent } from 'mdast';
import { UserError } from '../../core/index.ts';
import type { TensionRow, VerdictView } from '../../markdown/views.ts';
import { stringifyMarkdown } from '../../markdown/processor.ts';
import type { Db } from '../../store/db.ts';
import { findField, parseHeader, setHeaderField } from './header.ts';
import { type DocFs, Journal, nodeFs } from './journal.ts';
import { cleanTitle, nextNumber, requireDocument, requireSlug } from './lifecycle.ts';
import { withDocumentLock } from './lock.ts';
import { bullets, heading, link, oneLineText, para, strong, table } from './mdast.ts';
import { docsDir } from './layout.ts';
import { FOLDERS, documentPath, statusTitle } from './model.ts';
import { scanDocuments } from './scan.ts';
import { linksOf, rebuildIndex } from './store.ts';
import { documentHead } from './templates.ts';

/** What the lead builds from the dialogue store. */
export interface PromotionInput {
  /** Folder name, e.g. `2026-02-06T1839Z-rfc-0058-supersession`. */
  dialogueId: string;
  /** Relative to root: `dialogues/<id>/<id>.dialogue.recorded.md`. */
  recordFile: string;
  verdict: VerdictView;
  /** ISO date (YYYY-MM-DD) of the promotion, from the injected clock. */
  date: string;
  /** Realm contracts the dialogue was grounded on (`domain/contract`), listed in the header. */
  contracts?: string[];
}

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
}

/**
 * Promotes a dialogue: creates `rfcs/NNNN-<slug of question>.draft.md`, or with `opts.rfc` appends
 * an `## Amendment: <id> (<date>)` section to that RFC; then writes the back-link into the record
 * and re-indexes (links table: `dialogue:<id>` → `rfc:N`). All under the document lock, all undone
 * on failure. `deps.now` (ISO time for index stamps) defaults to the promotion date.
 * @throws UserError E_STATE when the outcome is not converged (forced needs `allowForced`),
 *   E_EXISTS when the dialogue was already promoted (names the RFC), E_NOT_FOUND for a missing
 *   record or RFC, E_USAGE for a question without letters or digits.
 */
export function promoteDialogue(
  root: string,
  db: Db,
  input: PromotionInput,
  opts: PromotionOptions = {},
  deps: { now?: string; fs?: DocFs } = {},
): PromotionResult {
  checkOutcome(input, opts);
  const fsPort = deps.fs ?? nodeFs;
  const now = deps.now ?? `${input.date}T00:00:00.000Z`;
  input = { ...input, recordFile: recordOnDisk(root, input, fsPort) };
  const recordAbs = path.join(root, input.recordFile);
  return withDocumentLock(root, () => {
    refuseSecondPromotion(root, input.dialogueId);
    return Journal.run(fsPort, (j) => {
      const result = opts.rfc === undefined ? writeNewRfc(root, db, input, j) : writeAmendment(root, input, opts.rfc, j);
      j.write(recordAbs, withBackLink(fsPort.readFile(recordAbs), input.recordFile, result.file));
      rebuildIndex(root, db, now);
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

/** Endings that `--allow-forced` may promote: the dialogue finished its run without converging. */
const ENDED_UNCONVERGED: ReadonlySet<string> = new Set(['forced', 'recording_exhausted', 'budget_exhausted']);

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

function writeNewRfc(root: string, db: Db, input: PromotionInput, j: Journal): PromotionResult {
  const title = cleanTitle(input.verdict.question);
  const slug = requireSlug(title);
  const number = nextNumber(root, db, 'rfc');
  const file = documentPath({ type: 'rfc', number, slug, status: 'draft' }, docsDir(root));
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
  j.write(abs, `${edit.text.replace(/\s*$/, '')}\n\n${renderAmendment(input, rfcDir)}`);
  return { file: doc.file, number: rfc, amended: true };
}

/** `[<id>](../dialogues/<id>/<file>)` relative to `fromDir`, as Markdown text. */
function dialogueLink(fromDir: string, input: PromotionInput): string {
  return `[${input.dialogueId}](${path.posix.relative(fromDir, input.recordFile)})`;
}

/** `415 (W:… C:… T:… R:…; 4 rounds, 10 experts, 17/17 tensions resolved)`. */
export function alignmentSummary(v: VerdictView): string {
  const t = v.totals;
  return `${t.total} (W:${t.wisdom} C:${t.consistency} T:${t.truth} R:${t.relationships}; ${v.rounds} rounds, ${v.experts.length} experts, ${v.tensionsResolved}/${v.tensionsTotal} tensions resolved)`;
}

/** Markdown of a new RFC promoted from `input` (Status Draft); `rfcDir` is its folder (links are relative to it). Pure. */
export function renderPromotedRfc(number: number, title: string, input: PromotionInput, rfcDir: string = FOLDERS.rfc): string {
  const v = input.verdict;
  const recordUrl = path.posix.relative(rfcDir, input.recordFile);
  const nodes: RootContent[] = [
    ...documentHead('RFC', number, title, [
      ['Status', statusTitle('draft')],
      ['Date', input.date],
      ['Dialogue', [link(recordUrl, input.dialogueId)]],
      ['Alignment', alignmentSummary(v)],
      ...(input.contracts?.length ? [['Contracts', input.contracts.join(', ')] as [string, string]] : []),
    ]),
    ...forcedWarning(v),
    heading(2, 'Summary'),
    ...questionAndAnswer(v),
    heading(2, 'Proposal'),
    para('To be written from the resolved design decisions below.'),
    ...bodySections(2, input, recordUrl),
  ];
  return stringifyMarkdown(nodes);
}

/** Markdown of an `## Amendment: <id> (<date>)` section for an RFC in folder `rfcDir`. Pure. */
export function renderAmendment(input: PromotionInput, rfcDir: string = FOLDERS.rfc): string {
  const recordUrl = path.posix.relative(rfcDir, input.recordFile);
  return stringifyMarkdown([
    heading(2, `Amendment: ${input.dialogueId} (${input.date})`),
    ...forcedWarning(input.verdict),
    heading(3, 'Question'),
    ...questionAndAnswer(input.verdict),
    ...bodySections(3, input, recordUrl),
  ]);
}

function forcedWarning(v: VerdictView): RootContent[] {
  if (!ENDED_UNCONVERGED.has(v.outcome)) return [];
  const how = v.outcome === 'forced' ? 'It was ended by force at max rounds' : `It ended ${v.outcome.replaceAll('_', ' ')} (velocity ${v.finalVelocity}, converge ${v.finalConvergePercent}%)`;
  const p = para(strong('Warning:'), ` this dialogue did not converge. ${how} and was promoted with --allow-forced; treat its decisions as provisional.`);
  return [{ type: 'blockquote', children: [p] }];
}

function questionAndAnswer(v: VerdictView): RootContent[] {
  return [
    para(strong('Question:'), ` ${oneLineText(v.question)}`),
    para(strong('Answer:'), ` ${v.answer ? oneLineText(v.answer) : 'No answer was recorded; see the decisions below.'}`),
  ];
}

function bodySections(depth: 2 | 3, input: PromotionInput, recordUrl: string): RootContent[] {
  const v = input.verdict;
  const nodes: RootContent[] = [heading(depth, 'Resolved Design Decisions'), ...decisionsTable(v)];
  nodes.push(heading(depth, 'Resolved Tensions'), ...listOrNone(v.resolvedTensions.map((t) => tensionItem(t))));
  nodes.push(heading(depth, 'Open Questions'), ...listOrNone(openQuestions(v)));
  if (depth === 2) nodes.push(heading(2, 'Test Plan'), bullets([['TBD']], false));
  nodes.push(heading(depth, 'Dialogue Provenance'), provenanceTable(v), para('Full dialogue: ', link(recordUrl, input.recordFile)));
  return nodes;
}

function decisionsTable(v: VerdictView): BlockContent[] {
  if (v.decisions.length === 0) return [para('None recorded.')];
  const rows = v.decisions.map((d) => {
    const sources = d.sources.length > 0 ? ` (${d.sources.join(', ')})` : '';
    return [oneLineText(d.topic), oneLineText(d.decision), `${oneLineText(d.rationale)}${sources}`];
  });
  return [table(['Question', 'Decision', 'Rationale'], rows)];
}

function tensionItem(t: TensionRow, tag?: string): string {
  const label = tag ? `${oneLineText(t.label)} (${tag})` : oneLineText(t.label);
  return t.resolution ? `${t.id} — ${label}: ${oneLineText(t.resolution)}` : `${t.id} — ${label}`;
}

function openQuestions(v: VerdictView): string[] {
  return [
    ...v.acceptedTensions.map((t) => tensionItem(t, 'accepted')),
    ...v.openTensions.map((t) => tensionItem(t, t.status === 'reopened' ? 'reopened' : 'open')),
    ...v.dissent.map((d) => `Dissent — ${d.expert} (round ${d.round}): ${oneLineText(d.text)}`),
  ];
}

function listOrNone(items: string[]): BlockContent[] {
  return items.length > 0 ? [bullets(items.map((i) => [i]))] : [para('None.')];
}

function provenanceTable(v: VerdictView): BlockContent {
  const t = v.totals;
  return table(
    ['Metric', 'Value'],
    [
      ['Outcome', v.outcome],
      ['ALIGNMENT', `${t.total} (W:${t.wisdom} C:${t.consistency} T:${t.truth} R:${t.relationships})`],
      ['Rounds', String(v.rounds)],
      ['Experts', `${v.experts.length} (${v.experts.join(', ')})`],
      ['Tensions Resolved', `${v.tensionsResolved}/${v.tensionsTotal}`],
      ['Convergence', `${v.finalConvergePercent}%`],
      ['Final Velocity', String(v.finalVelocity)],
    ],
  );
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
