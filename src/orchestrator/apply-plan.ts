/**
 * The effects of a round plan: `planState` reads what the planner needs from the store,
 * `applyPlan` writes a plan (entities, tension events, refs, signals, findings and every plan
 * event) in one transaction, replacing any earlier registration of the round.
 */
import { parseResponse } from '../experts/index.ts';
import { type Perspective, type TensionEvent, type TensionEventKind, type TensionRecord, normaliseLabel, statusEvents, statusOf } from '../core/index.ts';
import type { DialogueStore } from '../store/index.ts';
import { planRound } from './plan/plan-round.ts';
import { promptRows } from './plan/prompt-table.ts';
import { EVENT_OF } from './plan/rules.ts';
import { type BookkeepingSettings, DEFAULT_BOOKKEEPING, type JudgeProposals, type PlanEvent, type PlanInput, type PlanState, type RoundPlan } from './plan/types.ts';

/**
 * The planner's state before `round`: entities of earlier rounds, tension statuses as of
 * `round - 1` (a re-judged round never sees later rounds).
 */
export function planState(store: DialogueStore, id: string, round: number, settings: BookkeepingSettings = DEFAULT_BOOKKEEPING): PlanState {
  return planStateOf({ events: store.tensionEvents(id), perspectives: store.perspectives(id), tensions: store.tensions(id) }, round, settings);
}

/** {@link planState} from rows already loaded (the engine's incremental load). Pure. */
export function planStateOf(
  rows: { events: readonly TensionEvent[]; perspectives: readonly Perspective[]; tensions: readonly TensionRecord[] },
  round: number,
  settings: BookkeepingSettings = DEFAULT_BOOKKEEPING,
): PlanState {
  const deciding = statusEvents(rows.events, round - 1);
  return {
    round,
    settings,
    perspectives: rows.perspectives
      .filter((p) => p.round < round)
      .map((p) => ({ id: p.id, round: p.round, expert: p.expert, localId: p.localId, label: p.label, body: p.content, duplicateOf: p.duplicateOf, isNew: p.isNew, confirmation: p.mergeReason?.startsWith('converging-confirmation') ?? false })),
    tensions: rows.tensions
      .filter((t) => t.round < round)
      .map((t) => ({ id: t.id, round: t.round, owner: t.raisedBy, localId: t.localId, label: t.label, body: t.content, status: statusOf(deciding.get(t.id)) })),
  };
}

/**
 * The planner's inputs for a round from the stored responses, each with the table rows of the
 * prompt its expert answered: `prompts` (blue's `round-N/<expert>.prompt.md` when replaying) over the stored one.
 */
export function planInputs(store: DialogueStore, id: string, round: number, prompts?: ReadonlyMap<string, string>): PlanInput[] {
  // Prompts are read one at a time and reduced to their table rows at once: a round's whole
  // prompts (48 seats × ~100 k chars) were held together through planning.
  return store.responses(id, round, { prompt: false }).map((r) => ({
    expert: r.expert,
    answered: r.status === 'ok',
    parsed: parseResponse(r.status === 'ok' ? r.text : ''),
    promptRows: promptRows(prompts?.get(r.expert) ?? store.responsePrompt(id, round, r.expert) ?? null),
  }));
}

/** Plans round `round` from the store (pure apart from reading). */
export function planStoredRound(
  store: DialogueStore,
  id: string,
  round: number,
  opts: { settings?: BookkeepingSettings; prompts?: ReadonlyMap<string, string>; judge?: JudgeProposals; state?: PlanState } = {},
): RoundPlan {
  return planRound(opts.state ?? planState(store, id, round, opts.settings), planInputs(store, id, round, opts.prompts), opts.judge);
}

/** Writes `plan` for dialogue `id` in one transaction, clearing the round's earlier registration first. */
export function applyPlan(store: DialogueStore, id: string, plan: RoundPlan): void {
  store.tx(() => {
    const round = plan.round;
    store.clearRegistration(id, round);
    const seq = { P: 0, T: 0 };
    const merges = new Map(plan.events.flatMap((e) => (e.kind === 'merge' ? [[e.id, e] as const] : [])));
    for (const e of plan.events) {
      if (e.kind === 'register') writeEntity(store, id, round, e, merges.get(e.id), ++seq[e.entity]);
      else if (e.kind === 'link') writeLink(store, id, round, e);
      else if (e.kind === 'signal') store.insertSignal(id, { round, expert: e.expert, kind: e.signal, text: e.detail });
      else if (e.kind === 'resolve' || e.kind === 'accept' || e.kind === 'defer' || e.kind === 'reopen' || e.kind === 'supersede') {
        const event: TensionEventKind = EVENT_OF[e.kind];
        store.addTensionEvent(id, e.tension, round, e.expert, event, e.detail);
      }
      store.insertPlanEvent(id, planEventRow(round, e));
    }
    for (const f of plan.findings) store.insertFinding(id, { round, expert: f.expert, rule: f.rule, severity: f.severity, message: f.message, line: f.line, col: f.column });
    store.rebuildTensionStatuses(id);
  });
}

type Register = Extract<PlanEvent, { kind: 'register' }>;
type Merge = Extract<PlanEvent, { kind: 'merge' }>;
type Link = Extract<PlanEvent, { kind: 'link' }>;

function writeEntity(store: DialogueStore, id: string, round: number, e: Register, merge: Merge | undefined, seq: number): void {
  if (e.entity === 'T') {
    store.insertTension({ dialogueId: id, id: e.id, round, seq, raisedBy: e.expert, localId: e.localId, label: e.label, content: e.body });
    store.addTensionEvent(id, e.id, round, e.expert, 'raised', e.label);
    return;
  }
  store.insertPerspective({
    dialogueId: id,
    id: e.id,
    round,
    seq,
    expert: e.expert,
    localId: e.localId,
    label: e.label,
    normLabel: normaliseLabel(e.label),
    content: e.body,
    refines: null,
    duplicateOf: merge?.into ?? null,
    mergeReason: merge ? mergeReason(merge) : null,
    isNew: !merge,
  });
  if (merge?.into) store.addContributor(id, merge.into, e.expert, round);
}

/** `lexical-v1 0.81 ≥ 0.6`, `same-label`, `judge: <reason>`, `converging-confirmation …`. */
export function mergeReason(m: Merge): string {
  if (m.rule === 'judge') return `judge: ${m.detail}`;
  if (m.rule === 'same-label') return 'same-label';
  return m.similarity === null ? `${m.rule}: ${m.detail}` : `${m.rule} ${m.similarity} (threshold ${m.threshold}): ${m.detail}`;
}

function writeLink(store: DialogueStore, id: string, round: number, e: Link): void {
  if (e.marker === 'prompt-table' || e.marker === 'converge' || e.marker === 'dissent') return;
  store.insertRef(id, { round, expert: e.expert, kind: e.marker, target_id: e.target, raw: e.raw, cross_expert: e.cross });
  if (e.marker === 'concession' && e.target?.startsWith('T')) store.addTensionEvent(id, e.target, round, e.expert, 'conceded', e.detail);
}

function planEventRow(round: number, e: PlanEvent): Parameters<DialogueStore['insertPlanEvent']>[1] {
  const base = { round, kind: e.kind, rule: e.rule, expert: e.expert, line: e.span?.line ?? null, col: e.span?.column ?? null, detail: e.detail };
  switch (e.kind) {
    case 'register':
      return { ...base, subject: e.id, target: null, similarity: null, threshold: null };
    case 'merge':
      return { ...base, subject: e.id, target: e.into, similarity: e.similarity, threshold: e.threshold };
    case 'link':
      return { ...base, subject: e.raw, target: e.target, similarity: e.similarity ?? null, threshold: null };
    case 'signal':
      return { ...base, subject: e.signal, target: null, similarity: null, threshold: null };
    case 'score':
      return { ...base, subject: null, target: null, similarity: null, threshold: null, detail: JSON.stringify(e.tally) };
    default:
      return { ...base, subject: e.tension, target: e.by, similarity: null, threshold: null };
  }
}
