/**
 * Judging one round: register entities (one transaction), let the optional LLM judge propose,
 * then in a second transaction score every expert with the rubric, compute the metrics and the
 * gate from what was stored, and plan the next panel.
 */
import type { RoundCounts, ScoreDimension } from '../core/index.ts';
import type { PanelMember } from '../experts/index.ts';
import type { CompletionResult } from '../llm/index.ts';
import type { PanelEvolution } from '../markdown/index.ts';
import { type DialogueData, type RoundSynthesis, ENGINE_LOAD, display, loadDialogue, panelMembers } from './data.ts';
import type { EngineDeps } from './deps.ts';
import { globalId } from './ids.ts';
import { recordLlmCall } from './llm-calls.ts';
import { type JudgeOutcome, type RoundJudgement, askJudge } from './llm-judge.ts';
import { type GateDecision, computeMetrics, gate } from './metrics.ts';
import { seatToMember } from './prepare.ts';
import { applyPlan, planStateOf, planStoredRound } from './apply-plan.ts';
import { deterministicCamps } from './camps.ts';
import { DEFAULT_BOOKKEEPING, type JudgeProposals, type RoundPlan } from './plan/types.ts';
import { planNextPanel } from './rotation.ts';
import { type ExpertScore, adjustScore, scoreTally } from './scoring.ts';
import { openTensions, tensionStatusAt } from './views.ts';

/** Result of judging: what the gate decided. */
export type RoundDecision = RoundSynthesis['decision'];

/**
 * Judges round `round`; idempotent (re-judging clears the round's registration first).
 * The LLM judge, when there is one, runs between the two transactions and only proposes.
 * @throws BlueError E_BUDGET / E_CANCELLED / E_LLM_AUTH from the judge call.
 */
export async function judgeRound(deps: EngineDeps, id: string, round: number, signal?: AbortSignal): Promise<{ decision: RoundDecision; metrics: RoundCounts }> {
  const plan = (extra: { judge?: JudgeProposals } = {}): RoundPlan => {
    const data = loadDialogue(deps.store, id, ENGINE_LOAD);
    const settings = { ...DEFAULT_BOOKKEEPING, ...data.settings.bookkeeping };
    const p = planStoredRound(deps.store, id, round, { settings, state: planStateOf(data, round, settings), ...optionalPrompts(deps, round), ...extra });
    applyPlan(deps.store, id, p);
    return p;
  };
  let reg = plan();
  const judged = deps.judge ? await askJudge(deps.judge, loadDialogue(deps.store, id, ENGINE_LOAD), round, signal) : null;
  if (judged?.ok) recordJudgeCall(deps, id, round, judged.result);
  // The judge's merges go through the planner, like every other merge (same ids: the plan is deterministic).
  if (judged?.ok && judged.value.merges.length > 0) reg = plan({ judge: { merges: judged.value.merges } });
  return deps.store.tx(() => account(deps, id, round, reg, judged));
}

function optionalPrompts(deps: EngineDeps, round: number): { prompts?: ReadonlyMap<string, string> } {
  const prompts = deps.recording?.rounds[round]?.prompts;
  return prompts && prompts.size > 0 ? { prompts } : {};
}

/** The second transaction: judge proposals, scores, metrics, gate, synthesis. */
function account(deps: EngineDeps, id: string, round: number, reg: RoundPlan, judged: JudgeOutcome | null): { decision: RoundDecision; metrics: RoundCounts } {
  const judgement = judged?.ok ? judged.value : null;
  const notes: string[] = judged && !judged.ok ? [`LLM judge unavailable this round (${judged.reason}); the round proceeds without judge adjustments.`] : [];
  if (judgement) notes.push(...applyJudgement(deps, loadDialogue(deps.store, id, ENGINE_LOAD), round, judgement));
  const scores = scoreRound(deps, id, round, reg, judgement);
  const data = loadDialogue(deps.store, id, ENGINE_LOAD);
  const metrics = computeMetrics({
    round,
    panel: (data.panels.get(round) ?? []).map((s) => s.expert),
    perspectives: data.perspectives,
    tensions: data.tensions.filter((t) => t.round <= round).map((t) => ({ status: tensionStatusAt(data, t.id, round) })),
    convergers: data.signals.filter((s) => s.round === round && s.kind === 'converge').map((s) => s.expert),
  });
  const g = gate(metrics, round, data.settings);
  const decision: RoundDecision = g.kind === 'continue' && deps.recording && !deps.recording.rounds[round + 1] ? 'recording_exhausted' : g.kind;
  const premiseCheck = g.kind === 'continue' && g.premiseCheck;
  const plan = decision === 'continue' ? nextPanel(deps, data, round, new Map(scores.map((s) => [display(data, s.expert), s.total])), premiseCheck) : null;
  const synthesis = synthesise(data, round, { decision, gate: g, premiseCheck, plan, judgement, notes });
  const sum = (k: ScoreDimension) => scores.reduce((a, s) => a + s[k], 0);
  deps.store.saveRoundMetrics({
    dialogueId: id,
    round,
    panelSize: metrics.panelSize,
    openTensions: metrics.openTensions,
    newPerspectives: metrics.newPerspectives,
    convergeSignals: metrics.convergeSignals,
    convergePercent: metrics.convergePercent,
    velocity: metrics.velocity,
    wisdom: sum('wisdom'),
    consistency: sum('consistency'),
    truth: sum('truth'),
    relationships: sum('relationships'),
    score: scores.reduce((a, s) => a + s.total, 0),
    synthesisJson: JSON.stringify(synthesis),
    judgedAt: deps.clock.now().toISOString(),
  });
  return { decision, metrics };
}

/** Rubric scores, with the judge's per-dimension adjustments (and their rationale) stored beside them. */
function scoreRound(deps: EngineDeps, id: string, round: number, reg: RoundPlan, judgement: RoundJudgement | null): ExpertScore[] {
  return reg.tallies.map((t) => {
    const base = scoreTally(t);
    const adj = judgement?.adjustments.find((a) => a.expert.toLowerCase() === t.expert);
    const s = adj ? adjustScore(base, adj) : base;
    deps.store.insertScore(id, { round, ...s, rubric_json: JSON.stringify(t), judge_json: adj ? JSON.stringify(adj) : null });
    return s;
  });
}

/** The round's synthesis: the judge's prose when it gave some, the deterministic one otherwise. */
function synthesise(
  data: DialogueData,
  round: number,
  r: { decision: RoundDecision; gate: GateDecision; premiseCheck: boolean; plan: Plan | null; judgement: RoundJudgement | null; notes: string[] },
): RoundSynthesis {
  const j = r.judgement;
  const exhausted = r.decision === 'recording_exhausted' ? [`The recording has no round ${round + 1}: the dialogue ends without convergence.`] : [];
  return {
    decision: r.decision,
    blocked: r.gate.kind === 'converged' ? [] : r.gate.blocked,
    premiseCheck: r.premiseCheck,
    camps: j?.synthesis.camps.length ? j.synthesis.camps : deterministicCamps(data, round),
    keyQuestion: r.decision === 'continue' ? j?.synthesis.keyQuestion || keyQuestion(data, round, r.premiseCheck) : null,
    recommendations: (j?.synthesis.recommendations ?? []).map((rec, i) => ({ id: globalId('R', round, i + 1), label: rec.label, from: rec.from })),
    panelEvolution: r.plan?.evolution ?? null,
    nextPanel: r.plan?.next ?? null,
    notes: [...r.notes, ...exhausted],
    ...(j?.answer ? { answer: j.answer } : {}),
    ...(j?.decisions?.length ? { decisions: j.decisions } : {}),
  };
}

interface Plan {
  next: (PanelMember & { directive?: string })[];
  evolution: PanelEvolution;
}

function nextPanel(deps: EngineDeps, data: DialogueData, round: number, scores: Map<string, number>, premiseCheck: boolean): Plan {
  const current = panelMembers(data, round);
  const recorded = deps.recording?.rounds[round + 1];
  if (recorded) {
    const reasons = new Map(recorded.panel.map((s) => [s.name, s.reason]));
    return recordedPlan(data, current, recorded.panel.map((s) => seatToMember(s, data.pool)), reasons);
  }
  const namesByRole = new Map([...data.experts.values()].map((e) => [e.role, e.display]));
  const plan = planNextPanel({
    mode: data.settings.rotation,
    current,
    pool: data.pool,
    rng: deps.rng,
    namesByRole,
    openTensions: openTensions(data, round),
    scores,
    premiseCheck,
  });
  return { next: plan.next.map((m) => ({ ...m, ...(plan.directives.has(m.name) ? { directive: plan.directives.get(m.name)! } : {}) })), evolution: plan.evolution };
}

/** Replay: the recorded next panel, explained as a diff of the current one. */
function recordedPlan(data: DialogueData, current: PanelMember[], next: PanelMember[], reasons: Map<string, string | undefined>): Plan {
  const why = (m: PanelMember, fallback: string) => reasons.get(m.name.toLowerCase()) ?? fallback;
  const nextNames = new Set(next.map((m) => m.name));
  const currentNames = new Set(current.map((m) => m.name));
  const held = new Set(openTensions(data, Number.MAX_SAFE_INTEGER).map((t) => t.raisedBy));
  return {
    next: next.map((m) => ({ ...m, source: currentNames.has(m.name) ? 'retained' : m.source === 'retained' ? 'pool' : m.source })),
    evolution: {
      retain: current.filter((m) => nextNames.has(m.name)).map((m) => ({ expert: m.name, reason: why(m, 'retained in the recorded panel') })),
      rotateOut: current
        .filter((m) => !nextNames.has(m.name))
        .map((m) => ({ expert: m.name, reason: held.has(m.name) ? 'left the recorded panel; their open tensions stay open' : 'left the recorded panel' })),
      add: next
        .filter((m) => !currentNames.has(m.name))
        .map((m) => ({ expert: m.name, role: m.role, source: m.source === 'created' ? 'created' : 'pool', reason: why(m, 'joined the recorded panel') })),
    },
  };
}

/** The question the next round must answer, from what blocks convergence. */
function keyQuestion(data: DialogueData, round: number, premiseCheck: boolean): string {
  if (premiseCheck) return 'The panel agreed at once: which shared assumption would change the answer if it were false?';
  const open = mostContested(data, openTensions(data, round));
  if (open.length === 1) return `How should ${open[0]!.id} (${open[0]!.label}) be resolved, or accepted as a trade-off?`;
  if (open.length > 1) {
    return `Which of the ${open.length} open tensions (${open.map((t) => t.id).sort().join(', ')}) can be resolved or accepted, starting with ${open[0]!.id} (${open[0]!.label})?`;
  }
  const fresh = data.perspectives.filter((p) => p.round === round && p.isNew).map((p) => p.id);
  if (fresh.length > 0) return `Do the new perspectives (${fresh.join(', ')}) change the design, or can every expert converge?`;
  return 'What objection, if any, keeps each expert from signalling [MOVE:CONVERGE]?';
}

/** Open tensions, most referenced (or challenged/defended) first; ties keep registration order. */
function mostContested<T extends { id: string }>(data: DialogueData, open: T[]): T[] {
  const refs = new Map<string, number>();
  for (const r of data.refs) if (r.target_id) refs.set(r.target_id, (refs.get(r.target_id) ?? 0) + 1);
  return open.map((t, i) => ({ t, i, n: refs.get(t.id) ?? 0 })).sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.t);
}

/** Applies the judge's merges (recorded with reasons) and returns notes for the summary. */
function applyJudgement(deps: EngineDeps, data: DialogueData, round: number, j: RoundJudgement): string[] {
  const notes: string[] = [];
  for (const m of j.merges) {
    // Applied by the planner (rule `judge`); here only recorded, with whether it took.
    const ok = data.perspectives.some((p) => p.id === m.perspective && p.duplicateOf === m.into && p.mergeReason?.startsWith('judge:'));
    if (ok) notes.push(`Judge merged ${m.perspective} into ${m.into}: ${m.reason}`);
    deps.store.insertJudgeProposal(data.dialogue.id, round, 'merge', m, m.reason, ok);
  }
  for (const c of j.clusters) deps.store.insertJudgeProposal(data.dialogue.id, round, 'cluster', c, c.theme, false);
  for (const r of j.resolutionChecks) {
    deps.store.insertJudgeProposal(data.dialogue.id, round, 'resolution', r, r.reason, false);
    if (!r.confirmed) notes.push(`Judge doubts the resolution of ${r.tension}: ${r.reason}`);
  }
  for (const a of j.adjustments) deps.store.insertJudgeProposal(data.dialogue.id, round, 'adjustment', a, a.rationale, true);
  deps.store.insertJudgeProposal(data.dialogue.id, round, 'synthesis', j.synthesis, j.synthesis.panelAdvice, true);
  notes.push(...j.synthesis.keyInsights.map((k) => `Key insight: ${k}`));
  if (j.synthesis.panelAdvice) notes.push(`Judge's panel advice: ${j.synthesis.panelAdvice}`);
  return notes;
}

function recordJudgeCall(deps: EngineDeps, id: string, round: number, r: CompletionResult): void {
  recordLlmCall(deps, { dialogueId: id, round, expert: 'judge', purpose: 'judge', provider: r.provider ?? deps.judge?.name ?? 'judge', model: r.model, result: r });
}
