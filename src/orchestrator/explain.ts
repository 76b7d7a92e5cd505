/**
 * `blue dialogue explain`: the stored plan of each round in words — why each count is what it
 * is (which perspective is new, which was merged into which and by what rule, which tension
 * changed status because of which marker, what did not resolve, what stays open).
 */
import { BlueError, UserError, isOpenStatus, statusEvents, statusOf } from '../core/index.ts';
import type { Recording } from '../llm/index.ts';
import type { DialogueStore, PlanEventRow } from '../store/index.ts';
import { findDialogue } from './data.ts';
import { EVENT_OF } from './plan/rules.ts';
import { type RejudgeFinding, rejudgeInMemory, toRejudgeFinding } from './rejudge.ts';

/**
 * Explains dialogue `idOrPrefix` (all judged rounds, or only `round`).
 * @throws UserError E_NOT_FOUND for an unknown id or a round that was not judged.
 */
export function explainDialogue(store: DialogueStore, idOrPrefix: string, round?: number): string {
  const d = findDialogue(store, idOrPrefix);
  const rounds = store.rounds(d.id).filter((r) => r.status === 'judged' && (round === undefined || r.round === round));
  if (rounds.length === 0) throw new UserError('E_NOT_FOUND', `dialogue ${d.id} has no judged round${round === undefined ? '' : ` ${round}`}`, { expected: 'a round that was judged' });
  return `${rounds.map((r) => explainRound(store, d.id, r.round)).join('\n')}`;
}

/**
 * Explains a recorded folder (or a recording already loaded, e.g. an inline record): re-judged
 * in memory (nothing is written), then explained.
 * @throws UserError E_REPLAY for a folder that is not a recording; E_NOT_FOUND for a round not judged.
 */
export async function explainFolder(source: string | Recording, round?: number): Promise<string> {
  const run = await rejudgeInMemory(source);
  try {
    return explainDialogue(run.store, run.id, round);
  } finally {
    run.store.close();
  }
}

/** A finding of the planner, located in a folder's `round-N/<expert>.md` (the rejudge finding shape). */
export type PlannedFinding = RejudgeFinding;

/**
 * What the planner loses in a recorded folder (or a loaded recording) that the parser alone cannot see: unresolved
 * references, with line and column. When the folder cannot be re-judged, one `planner-unavailable`
 * warning says why (never a silent empty list).
 */
export async function plannedFindings(source: string | Recording): Promise<PlannedFinding[]> {
  try {
    const run = await rejudgeInMemory(source);
    try {
      return run.store
        .findings(run.id)
        .filter((f) => f.rule === 'unresolved-ref')
        .map(toRejudgeFinding);
    } finally {
      run.store.close();
    }
  } catch (e) {
    if (!(e instanceof BlueError)) throw e;
    return [{ round: 0, expert: '', rule: 'planner-unavailable', severity: 'warning', message: `references not checked: ${e.message}`, line: 1, column: 1 }];
  }
}

const at = (e: PlanEventRow) => (e.line === null ? e.expert : `${e.expert}:${e.line}:${e.col}`);
const sim = (e: PlanEventRow) => (e.similarity === null ? '' : ` ${e.similarity}${e.threshold === null ? '' : ` (threshold ${e.threshold})`}`);

/** One round's explanation. */
export function explainRound(store: DialogueStore, id: string, round: number): string {
  const r = store.getRound(id, round)!;
  const events = store.planEvents(id, round);
  const tensions = store.tensions(id);
  const tensionEvents = store.tensionEvents(id);
  const label = (tid: string | null) => tensions.find((t) => t.id === tid)?.label ?? '';
  const out: string[] = [
    `Round ${round}: panel ${r.panelSize}, new P ${r.newPerspectives}, open T ${r.openTensions}, velocity ${r.velocity} (= ${r.openTensions} open + ${r.newPerspectives} new), converge ${r.convergeSignals}/${r.panelSize} (${r.convergePercent}%)`,
  ];
  const merges = new Map(events.filter((e) => e.kind === 'merge').map((e) => [e.subject, e]));
  const registered = events.filter((e) => e.kind === 'register');
  const perspectives = registered.filter((e) => e.subject?.startsWith('P'));
  const fresh = perspectives.filter((e) => !merges.has(e.subject));
  out.push(`  new perspectives (${fresh.length}):`, ...fresh.map((e) => `    ${e.subject} ${e.expert}: "${e.detail}" [${at(e)}]`));
  const folded = perspectives.filter((e) => merges.has(e.subject));
  if (folded.length > 0) {
    out.push(`  not new (${folded.length}):`);
    for (const e of folded) {
      const m = merges.get(e.subject)!;
      out.push(`    ${e.subject} → ${m.target ?? '—'}  ${m.rule}${sim(m)}: ${m.detail} [${at(e)}]`);
    }
  }
  const raised = registered.filter((e) => e.subject?.startsWith('T'));
  if (raised.length > 0) out.push(`  tensions raised (${raised.length}):`, ...raised.map((e) => `    ${e.subject} ${e.expert}: "${e.detail}"${merges.has(e.subject) ? `  merged → ${merges.get(e.subject)!.target} ${merges.get(e.subject)!.rule}${sim(merges.get(e.subject)!)}` : ''} [${at(e)}]`));
  const changes = events.filter((e) => ['resolve', 'accept', 'defer', 'reopen', 'supersede'].includes(e.kind) && !merges.has(e.subject));
  if (changes.length > 0) {
    out.push(`  status changes (${changes.length}):`);
    for (const e of changes) out.push(`    ${e.subject} ${pastTense(e.kind)}${e.target ? ` by ${e.target}` : ''}  rule ${e.rule}, ${e.expert}${e.line === null ? '' : ` at ${e.line}:${e.col}`}: ${clip(e.detail)}`);
  }
  const links = events.filter((e) => e.kind === 'link' && e.rule !== 'prompt-table-row');
  const resolvedLinks = links.filter((e) => e.target !== null);
  if (resolvedLinks.length > 0) {
    out.push(`  references (${resolvedLinks.length}):`);
    for (const e of resolvedLinks) out.push(`    ${e.subject?.length && e.subject.length <= 20 ? e.subject : `"${clip(e.subject ?? '', 40)}"`} → ${e.target}  ${e.rule} [${at(e)}]`);
  }
  const rows = events.filter((e) => e.rule === 'prompt-table-row');
  if (rows.length > 0) out.push(`  prompt table rows (${rows.length}):`, ...rows.map((e) => `    ${e.expert} ${e.subject} → ${e.target ?? 'no match'}${sim(e)}: ${e.detail}`));
  const lost = store.findings(id).filter((f) => f.round === round && f.rule === 'unresolved-ref');
  if (lost.length > 0) out.push(`  unresolved (${lost.length}):`, ...lost.map((f) => `    ${f.expert}:${f.line}:${f.col} ${f.message}`));
  const deciding = statusEvents(tensionEvents, round);
  const open = tensions.filter((t) => t.round <= round && isOpenStatus(statusOf(deciding.get(t.id))));
  out.push(`  open after round ${round} (${open.length}):`, ...open.map((t) => `    ${t.id} ${t.raisedBy} (R${t.round}): "${label(t.id)}"`));
  return `${out.join('\n')}\n`;
}

/** A status change in words: the store event it records (`resolve` → `resolved`). */
function pastTense(kind: string): string {
  return (EVENT_OF as Readonly<Record<string, string>>)[kind] ?? kind;
}

function clip(text: string, max = 90): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
