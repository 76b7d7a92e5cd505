/**
 * Builds the view models of every generated document (src/markdown/views.ts) from a loaded
 * dialogue. Every number here is derived from stored entities.
 */
import type { ScoreDimension } from '../core/index.ts';
import type {
  Decision,
  DialogueOutcome,
  ExpertScoreRow,
  PerspectiveRow,
  RecordedDialogueView,
  RecordedRound,
  RoundSummaryView,
  ScoreRow,
  ScoreboardView,
  TensionRow,
  TensionsView,
  VerdictView,
} from '../markdown/index.ts';
import { type TensionEvent, type TensionRecord, isOpenStatus, statusEventOf, statusEvents, statusOf, tensionState } from '../core/index.ts';
import { type DialogueData, display, panelMembers, synthesisOf } from './data.ts';
import { seatModel } from './settings.ts';

/** Tensions as rows, with closers from the events. */
export function tensionRows(data: DialogueData, uptoRound = Number.MAX_SAFE_INTEGER): TensionRow[] {
  const deciding = statusEvents(data.events, uptoRound);
  return data.tensions
    .filter((t) => t.round <= uptoRound)
    .map((t) => tensionRow(data, t, deciding.get(t.id)));
}

/** The tensions open (open or reopened) after `round`, as the prompts and the judge name them. */
export function openTensions(data: DialogueData, round: number): { id: string; label: string; raisedBy: string }[] {
  return tensionRows(data, round)
    .filter((t) => isOpenStatus(t.status))
    .map((t) => ({ id: t.id, label: t.label, raisedBy: t.raisedBy }));
}

function tensionRow(data: DialogueData, t: TensionRecord, last: TensionEvent | undefined): TensionRow {
  const state = tensionState(last);
  const closed = last !== undefined && state.closedRound !== null;
  const closers = closed
    ? data.events.filter((e) => e.tensionId === t.id && e.event === last.event && e.round === last.round).map((e) => display(data, e.expert))
    : [];
  return {
    id: t.id,
    label: t.label,
    status: state.status,
    raisedBy: display(data, t.raisedBy),
    raisedRound: t.round,
    ...(closed ? { closedRound: last.round, closedBy: closers, resolution: last.text } : {}),
  };
}

/** A tension's status as it stood after `round`. */
export function tensionStatusAt(data: DialogueData, tensionId: string, round: number): TensionRow['status'] {
  return statusOf(statusEventOf(data.events, tensionId, round));
}

function perspectiveRows(data: DialogueData, round: number): PerspectiveRow[] {
  return data.perspectives
    .filter((p) => p.round === round)
    .map((p) => ({
      id: p.id,
      label: p.label,
      contributors: (data.contributors.get(p.id) ?? [p.expert]).map((e) => display(data, e)),
      round: p.round,
      ...(p.refines ? { refines: p.refines } : {}),
      ...(p.duplicateOf ? { duplicateOf: p.duplicateOf } : {}),
      isNew: p.isNew,
    }));
}

/** Per-round scoreboard rows (W/C/T/R summed over the panel). */
export function scoreRows(data: DialogueData): ScoreRow[] {
  let cumulative = 0;
  return data.rounds
    .filter((r) => r.status === 'judged')
    .map((r) => {
      cumulative += r.score;
      return {
        round: r.round,
        wisdom: r.wisdom,
        consistency: r.consistency,
        truth: r.truth,
        relationships: r.relationships,
        score: r.score,
        cumulative,
        openTensions: r.openTensions,
        newPerspectives: r.newPerspectives,
        velocity: r.velocity,
        convergePercent: r.convergePercent,
      };
    });
}

function expertScoreRows(data: DialogueData): ExpertScoreRow[] {
  const judged = data.rounds.filter((r) => r.status === 'judged').map((r) => r.round);
  const models = mixedSeatModels(data);
  return [...data.experts.values()].map((e) => {
    const byRound = judged.map((round) => data.scores.find((s) => s.round === round && s.expert === e.name)?.total ?? null);
    const model = models?.get(e.name);
    return { expert: e.display, role: e.role, byRound, total: byRound.reduce<number>((a, b) => a + (b ?? 0), 0), ...(model ? { model } : {}) };
  });
}

/**
 * Each expert's model (lowercase name → `provider:model` or model id) when the panel mixes models;
 * undefined for a one-model panel or a replay, whose documents keep their usual columns.
 */
export function mixedSeatModels(data: DialogueData): Map<string, string> | undefined {
  if (data.settings.provider === 'replay') return undefined;
  const models = new Map([...data.experts.values()].map((e) => [e.name, seatModel(data.settings, { name: e.display, role: e.role, tier: e.tier })]));
  return new Set(models.values()).size > 1 ? models : undefined;
}

/** The outcome as the views name it. */
export function outcomeOf(data: DialogueData): DialogueOutcome {
  return data.dialogue.status;
}

/** `round-N/summary.md` view. */
export function roundSummaryView(data: DialogueData, round: number): RoundSummaryView {
  const row = data.rounds.find((r) => r.round === round)!;
  const syn = synthesisOf(row);
  const rows = scoreRows(data);
  const score = rows.find((r) => r.round === round);
  const tensions = tensionRows(data, round);
  const open = tensions.filter((t) => isOpenStatus(t.status));
  const touched = tensions.filter((t) => t.raisedRound === round || t.closedRound === round || isOpenStatus(t.status));
  const perspectives = perspectiveRows(data, round);
  const convergers = new Set(data.signals.filter((s) => s.round === round && s.kind === 'converge').map((s) => s.expert));
  const panel = data.panels.get(round) ?? [];
  return {
    title: data.dialogue.title,
    round,
    score: row.score,
    velocity: row.velocity,
    total: score?.cumulative ?? row.score,
    panelSize: row.panelSize,
    status: headline(syn, data.constraints.some((c) => c.round_added === round && round > 0), row.convergePercent),
    newConstraints: round === 0 ? [] : data.constraints.filter((c) => c.round_added === round).map((c) => c.text),
    perspectives,
    tensions: touched,
    recommendations: syn?.recommendations ?? [],
    camps: syn?.camps ?? [],
    keyQuestion: syn?.keyQuestion ?? null,
    panelEvolution: syn?.panelEvolution ?? null,
    openTensions: open,
    newPerspectives: perspectives.filter((p) => p.isNew),
    signals: panel.map((s) => ({ expert: display(data, s.expert), converged: convergers.has(s.expert) })),
    convergePercent: row.convergePercent,
    blocked: syn?.blocked ?? [],
    absent: (data.responses.get(round) ?? [])
      .filter((r) => r.status === 'absent')
      .map((r) => ({ expert: display(data, r.expert), reason: r.absent_reason ?? 'no response' })),
    notes: syn?.notes ?? [],
  };
}

function headline(syn: ReturnType<typeof synthesisOf>, pivot: boolean, convergePercent: number): string {
  if (syn?.decision === 'converged') return 'CONVERGED';
  if (syn?.decision === 'forced') return 'FORCED';
  if (pivot) return 'CONSTRAINT PIVOT';
  if (syn?.premiseCheck) return 'PREMISE CHECK';
  return convergePercent >= 50 ? 'CONVERGING' : 'OPEN';
}

/** `scoreboard.md` view. */
export function scoreboardView(data: DialogueData): ScoreboardView {
  return {
    title: data.dialogue.title,
    rows: scoreRows(data),
    experts: expertScoreRows(data),
    maxRounds: data.settings.maxRounds,
    outcome: outcomeOf(data),
  };
}

/** `tensions.md` view. */
export function tensionsView(data: DialogueData): TensionsView {
  return { title: data.dialogue.title, tensions: tensionRows(data) };
}

/** Converged decisions: the judge's when it wrote them, else one per closed tension. */
export function decisions(data: DialogueData): Decision[] {
  const last = synthesisOf(data.rounds.at(-1));
  if (last?.decisions && last.decisions.length > 0) return last.decisions;
  return tensionRows(data)
    .filter((t) => t.status === 'resolved')
    .map((t) => ({
      topic: t.label,
      decision: t.resolution ?? '',
      rationale: `Raised by ${t.raisedBy} in round ${t.raisedRound}; resolved by ${(t.closedBy ?? []).join(', ') || 'the panel'} in round ${t.closedRound}.`,
      sources: [t.id],
    }));
}

/** `verdict.md` view (also the input of RFC promotion). */
export function verdictView(data: DialogueData): VerdictView {
  const rows = scoreRows(data);
  const last = data.rounds.filter((r) => r.status === 'judged').at(-1);
  const tensions = tensionRows(data);
  const sum = (k: ScoreDimension) => rows.reduce((a, r) => a + r[k], 0);
  return {
    title: data.dialogue.title,
    question: data.dialogue.question,
    outcome: outcomeOf(data),
    rounds: rows.length,
    totals: {
      wisdom: sum('wisdom'),
      consistency: sum('consistency'),
      truth: sum('truth'),
      relationships: sum('relationships'),
      total: rows.reduce((a, r) => a + r.score, 0),
    },
    experts: [...new Set([...data.panels.values()].flat().map((s) => display(data, s.expert)))],
    tensionsResolved: tensions.filter((t) => t.status === 'resolved').length,
    tensionsTotal: tensions.length,
    finalVelocity: last?.velocity ?? 0,
    finalConvergePercent: last?.convergePercent ?? 0,
    answer: synthesisOf(last)?.answer ?? null,
    decisions: decisions(data),
    resolvedTensions: tensions.filter((t) => t.status === 'resolved'),
    acceptedTensions: tensions.filter((t) => t.status === 'accepted'),
    deferredTensions: tensions.filter((t) => t.status === 'deferred'),
    openTensions: tensions.filter((t) => isOpenStatus(t.status)),
    dissent: data.signals.filter((s) => s.kind === 'dissent').map((s) => ({ expert: display(data, s.expert), round: s.round, text: s.text })),
    keyInsights: keyInsights(data),
  };
}

/** The perspectives other experts engaged with most (cross-expert references), top five. */
function keyInsights(data: DialogueData): VerdictView['keyInsights'] {
  const counts = new Map<string, number>();
  for (const p of data.perspectives) counts.set(p.id, (data.contributors.get(p.id)?.length ?? 1) - 1);
  for (const r of data.refs) if (r.target_id && r.cross_expert) counts.set(r.target_id, (counts.get(r.target_id) ?? 0) + 1);
  return data.perspectives
    .filter((p) => p.isNew)
    .map((p) => ({ p, weight: counts.get(p.id) ?? 0 }))
    .sort((a, b) => b.weight - a.weight || b.p.round - a.p.round)
    .slice(0, 5)
    .map(({ p }) => ({ expert: display(data, p.expert), round: p.round, text: `${p.id}: ${p.label}` }));
}

/** `<id>.dialogue.recorded.md` view. */
export function recordedView(data: DialogueData, promotedTo?: string): RecordedDialogueView {
  const rows = scoreRows(data);
  const seatModels = mixedSeatModels(data);
  const seen = new Map<string, number>();
  for (const [round, seats] of data.panels) for (const s of seats) if (!seen.has(s.expert)) seen.set(s.expert, round);
  const rounds: RecordedRound[] = data.rounds
    .filter((r) => r.status === 'judged')
    .map((r) => ({
      round: r.round,
      label: roundLabel(data, r.round),
      framing: framing(data, r.round),
      contributions: (data.responses.get(r.round) ?? []).map((resp) => ({
        expert: display(data, resp.expert),
        role: data.experts.get(resp.expert)?.role ?? '',
        text: resp.status === 'ok' ? resp.text : '',
        ...(resp.status === 'absent' ? { absent: resp.absent_reason ?? 'no response' } : {}),
      })),
      score: rows.find((s) => s.round === r.round)!,
    }));
  return {
    title: data.dialogue.title,
    question: data.dialogue.question,
    startedAt: data.dialogue.createdAt,
    outcome: outcomeOf(data),
    maxRounds: data.settings.maxRounds,
    constraints: data.constraints.map((c) => c.text),
    pool: { name: data.pool.name, domain: data.pool.domain, experts: data.pool.experts.map((e) => ({ role: e.role, tier: e.tier, relevance: e.relevance })) },
    panel: [...seen.entries()].map(([name, firstRound]) => {
      const member = panelMembers(data, firstRound).find((m) => m.name.toLowerCase() === name)!;
      const model = seatModels?.get(name);
      return { ...member, firstRound, ...(model ? { model } : {}) };
    }),
    rounds,
    decisions: decisions(data),
    scoreboard: scoreboardView(data),
    openItems: tensionRows(data).filter((t) => t.status !== 'resolved'),
    ...(promotedTo ? { promotedTo } : {}),
  };
}

function roundLabel(data: DialogueData, round: number): string {
  if (round === 0) return 'Opening Arguments';
  const syn = synthesisOf(data.rounds.find((r) => r.round === round));
  if (syn?.decision === 'converged') return 'Convergence';
  if (syn?.decision === 'forced') return 'Final Round (forced)';
  const prev = data.rounds.find((r) => r.round === round - 1);
  return prev && prev.openTensions > 0 ? `Resolving ${prev.openTensions} Open Tension${prev.openTensions === 1 ? '' : 's'}` : 'Testing Convergence';
}

/**
 * User text as literal Markdown: every ASCII punctuation mark is backslash-escaped (CommonMark
 * allows that for all of them), so a question's `<script>` or `**` stays text in the framing.
 */
function literal(userText: string): string {
  return userText.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** The facilitator's framing of a round: question, new constraints, what is still open. */
function framing(data: DialogueData, round: number): string {
  const added = data.constraints.filter((c) => c.round_added === round).map((c) => c.text);
  const parts = [round === 0 ? `The question before the panel: ${literal(data.dialogue.question)}` : ''];
  if (added.length > 0) parts.push(`New constraints: ${added.map(literal).join('; ')}.`);
  if (round > 0) {
    const prev = synthesisOf(data.rounds.find((r) => r.round === round - 1));
    const open = tensionRows(data, round - 1).filter((t) => isOpenStatus(t.status));
    parts.push(open.length > 0 ? `Open tensions: ${open.map((t) => t.id).join(', ')}.` : 'No tensions are open.');
    if (prev?.keyQuestion) parts.push(`Key question: ${prev.keyQuestion}`);
  }
  return parts.filter(Boolean).join(' ');
}
