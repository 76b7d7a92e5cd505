/**
 * Running one round: every panel member without a stored response is asked in parallel
 * (p-queue, `concurrency` in flight), each response persisted the moment it arrives. With a
 * caching provider the first call goes out alone and the rest fan out once its stream has
 * started, so they read the shared prefix from the cache instead of all writing it.
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import { BlueError } from '../core/index.ts';
import { buildExpertPrompt, type ExpertDelta, type RoundContext } from '../experts/prompt.ts';
import type { PanelMember } from '../experts/types.ts';
import { renderRoundSummary } from '../markdown/index.ts';
import type { CompletionResult } from '../llm/port.ts';
import { writeResponse } from './artifacts.ts';
import { recordLlmCall } from './llm-calls.ts';
import { type DialogueData, loadDialogue, panelMembers, synthesisOf } from './data.ts';
import type { EngineDeps } from './deps.ts';
import { roundSummaryView, tensionRows } from './views.ts';

/** Errors that stop the round instead of marking one expert absent. */
const FATAL = new Set(['E_BUDGET', 'E_CANCELLED', 'E_LLM_AUTH', 'E_LLM_MODEL', 'E_CONFIG']);

/**
 * Runs round `round` of dialogue `id`. Experts whose response is already stored are not asked
 * again (resume). An expert whose call fails after the provider's retries is stored as absent
 * with the reason.
 * @throws BlueError E_BUDGET / E_CANCELLED / E_LLM_AUTH / E_LLM_MODEL after in-flight calls settle.
 */
export async function runRound(deps: EngineDeps, id: string, round: number): Promise<void> {
  const data = loadDialogue(deps.store, id);
  const members = panelMembers(data, round);
  const done = new Set((data.responses.get(round) ?? []).filter((r) => r.status === 'ok').map((r) => r.expert));
  const pending = members.filter((m) => !done.has(m.name.toLowerCase()));
  deps.onEvent?.({ type: 'round-start', round, experts: members.map((m) => m.name) });
  for (const m of members) if (done.has(m.name.toLowerCase())) deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'stored' });
  restoreMissingFiles(deps, data, round);
  if (pending.length === 0) return;
  const ctx = roundContext(data, round);
  const queue = new PQueue({ concurrency: Math.max(1, data.settings.concurrency) });
  // Every in-flight call (and its retry sleeps) listens on the one round signal.
  if (deps.signal) setMaxListeners(Math.max(20, 4 * pending.length), deps.signal);
  const failures: unknown[] = [];
  const run = (m: PanelMember, started?: () => void) =>
    queue.add(() => askExpert(deps, data, ctx, round, m, started)).catch((err: unknown) => void failures.push(err));
  for (const m of pending) deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'queued' });
  const [first, ...rest] = pending;
  if (deps.provider.name === 'anthropic' && rest.length > 0) {
    // Warm the prompt cache: the rest start once the first stream has begun.
    let warmed!: () => void;
    const warm = new Promise<void>((resolve) => (warmed = resolve));
    const firstDone = run(first!, () => warmed()).finally(() => warmed());
    await warm;
    await Promise.all([firstDone, ...rest.map((m) => run(m))]);
  } else {
    await Promise.all(pending.map((m) => run(m)));
  }
  const fatal = failures[0];
  if (fatal) throw fatal;
}

async function askExpert(deps: EngineDeps, data: DialogueData, ctx: RoundContext, round: number, m: PanelMember, started?: () => void): Promise<void> {
  const name = m.name.toLowerCase();
  const prompt = buildExpertPrompt(ctx, delta(data, round, m));
  const model = data.settings.tierModels?.[m.tier] ?? data.settings.model;
  const t0 = deps.clock.now().getTime();
  let result: CompletionResult;
  try {
    result = await deps.provider.complete({
      system: prompt.system,
      messages: prompt.messages,
      model,
      maxTokens: data.settings.maxTokens,
      meta: { dialogueId: data.dialogue.id, round, expert: name, purpose: 'expert' },
      ...(deps.signal ? { signal: deps.signal } : {}),
      onProgress: (outputTokens) => {
        started?.();
        deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'streaming', outputTokens });
      },
      onRetry: (info) => deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'retrying', detail: `${info.reason}; retry ${info.attempt} in ${Math.round(info.delayMs / 1000)}s` }),
    });
  } catch (err) {
    const code = err instanceof BlueError ? err.code : 'E_LLM';
    const reason = err instanceof BlueError ? err.message : String(err);
    recordFailure(deps, data, round, name, model, reason, deps.clock.now().getTime() - t0, prompt.rendered, !FATAL.has(code));
    deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'failed', detail: reason });
    if (FATAL.has(code)) throw err;
    return;
  }
  if (result.text.trim() === '') {
    // A paid call with no text (e.g. all output spent on thinking) is an absence, not an answer.
    const reason = `no text in the response (stop reason ${result.stopReason})`;
    deps.store.tx(() => {
      deps.store.insertResponse({ dialogue_id: data.dialogue.id, round, expert: name, status: 'absent', text: '', prompt: prompt.rendered, absent_reason: reason, created_at: deps.clock.now().toISOString() });
      recordLlmCall(deps, { dialogueId: data.dialogue.id, round, expert: name, purpose: 'expert', provider: deps.provider.name, model, result });
    });
    deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'failed', detail: reason });
    return;
  }
  const at = deps.clock.now().toISOString();
  deps.store.tx(() => {
    deps.store.insertResponse({ dialogue_id: data.dialogue.id, round, expert: name, status: 'ok', text: result.text, prompt: prompt.rendered, absent_reason: null, created_at: at });
    recordLlmCall(deps, { dialogueId: data.dialogue.id, round, expert: name, purpose: 'expert', provider: deps.provider.name, model, result });
  });
  if (deps.root) writeResponse(deps.root, data.dialogue.dir, round, name, result.text, prompt.rendered);
  deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'done', ...(result.usage.outputTokens > 0 ? { outputTokens: result.usage.outputTokens, costUsd: result.costUsd } : {}) });
}

/** A crash between storing a response and writing its files leaves the DB ahead: rewrite from it. */
function restoreMissingFiles(deps: EngineDeps, data: DialogueData, round: number): void {
  if (!deps.root) return;
  const roundDir = path.join(deps.root, data.dialogue.dir, `round-${round}`);
  // Temp files of an atomic write that a killed process never renamed.
  if (fs.existsSync(roundDir)) for (const f of fs.readdirSync(roundDir)) if (f.endsWith('.tmp')) fs.rmSync(path.join(roundDir, f));
  for (const r of data.responses.get(round) ?? []) {
    if (r.status !== 'ok') continue;
    const file = path.join(deps.root, data.dialogue.dir, `round-${round}`, `${r.expert}.md`);
    if (!fs.existsSync(file) || !fs.existsSync(file.replace(/\.md$/, '.prompt.md'))) writeResponse(deps.root, data.dialogue.dir, round, r.expert, r.text, r.prompt);
  }
}

function recordFailure(deps: EngineDeps, data: DialogueData, round: number, name: string, model: string, reason: string, latencyMs: number, prompt: string, absent: boolean): void {
  const at = deps.clock.now().toISOString();
  deps.store.tx(() => {
    if (absent) {
      deps.store.insertResponse({ dialogue_id: data.dialogue.id, round, expert: name, status: 'absent', text: '', prompt, absent_reason: reason, created_at: at });
    }
    recordLlmCall(deps, { dialogueId: data.dialogue.id, round, expert: name, purpose: 'expert', provider: deps.provider.name, model, error: reason, latencyMs });
  });
}

/**
 * The shared context of a round. Bounded: the previous round's summary, the open tensions and
 * the previous round's responses only, never the whole transcript.
 */
export function roundContext(data: DialogueData, round: number): RoundContext {
  const prev = round - 1;
  const prevJudged = data.rounds.find((r) => r.round === prev && r.status === 'judged');
  return {
    question: data.dialogue.question,
    constraints: data.constraints.filter((c) => c.round_added <= round).map((c) => c.text),
    sources: (data.settings as unknown as { sources?: { path: string; content: string }[] }).sources ?? [],
    round,
    maxRounds: data.settings.maxRounds,
    previousSummary: prevJudged ? renderRoundSummary(roundSummaryView(data, prev), { compact: true }) : null,
    openTensions: prevJudged
      ? tensionRows(data, prev)
          .filter((t) => t.status === 'open' || t.status === 'reopened')
          .map((t) => ({ id: t.id, label: t.label, raisedBy: t.raisedBy }))
      : [],
    perspectives: data.perspectives
      .filter((p) => p.round === prev)
      .map((p) => ({ id: p.id, label: p.label, contributors: data.contributors.get(p.id) ?? [p.expert] })),
    peerResponses: (data.responses.get(prev) ?? [])
      .filter((r) => r.status === 'ok')
      .map((r) => ({ expert: data.experts.get(r.expert)?.display ?? r.expert, text: r.text })),
  };
}

function delta(data: DialogueData, round: number, m: PanelMember): ExpertDelta {
  const name = m.name.toLowerCase();
  const prevSyn = synthesisOf(data.rounds.find((r) => r.round === round - 1));
  const directive = prevSyn?.nextPanel?.find((p) => p.name.toLowerCase() === name)?.directive;
  const own = data.tensions
    .filter((t) => t.raised_by === name && (t.status === 'open' || t.status === 'reopened'))
    .map((t) => ({ id: t.id, label: t.label }));
  return {
    member: m,
    isNewcomer: round > 0 && (data.experts.get(name)?.first_round ?? 0) === round,
    ownOpenTensions: own,
    ...(directive ? { directive } : {}),
    ...(prevSyn?.premiseCheck && directive ? { premiseCheck: true } : {}),
  };
}
