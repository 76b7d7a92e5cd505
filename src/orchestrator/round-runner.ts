/**
 * Running one round: every panel member without a stored response is asked in parallel
 * (p-queue, `concurrency` in flight), each response persisted the moment it arrives. With a
 * caching provider one call per model goes out alone and that model's other seats fan out when
 * its response begins (`message_start`) or its attempt fails, so they read the shared prefix from
 * the cache instead of all writing it; below a model's minimum cacheable length nobody waits.
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import { BlueError, isOpenStatus } from '../core/index.ts';
import { buildExpertPrompt, roundBlock, stableHead, type ExpertDelta, type ExpertPrompt, type RoundContext } from '../experts/index.ts';
import type { PanelMember } from '../experts/index.ts';
import { cacheMinimum } from '../llm/index.ts';
import { type BilledAttempt, type CompletionResult, isFatalLlmError, unavailableCause } from '../llm/index.ts';
import { billedAttemptsOf } from '../llm/index.ts';
import { cancelledError } from '../llm/index.ts';
import { estimateTokens } from '../llm/index.ts';
import { writeResponse } from './artifacts.ts';
import { recordLlmCall } from './llm-calls.ts';
import { type DialogueData, ENGINE_LOAD, loadDialogue, panelMembers, synthesisOf } from './data.ts';
import type { EngineDeps } from './deps.ts';
import { roundDigest } from './digest.ts';
import { callLimits } from './call-limits.ts';
import { roleSettings, seatModel } from './settings.ts';
import { openTensions } from './views.ts';


/** How one expert's call went, as it settles: answered (text or a paid empty reply), or failed at the provider. */
export type ExpertOutcome = { expert: string; answered: true } | { expert: string; answered: false; error: unknown };

/**
 * Runs round `round` of dialogue `id`. Experts whose response is already stored are not asked
 * again (resume). An expert whose call fails after the provider's retries is stored as absent
 * with the reason. `report` hears each call as it settles (a budget refusal or a cancellation is
 * not an expert's outcome and is not reported). After a fatal failure (provider unavailable,
 * budget, key, model, a file that cannot be written) no queued call is sent; an unavailable
 * provider or `deps.signal` also aborts the calls in flight.
 * @returns `replies`: the round's experts who replied (stored earlier or now), 0 when every call failed.
 * @throws BlueError E_BUDGET / E_CANCELLED / E_LLM_AUTH / E_LLM_MODEL / ProviderUnavailable after in-flight calls settle.
 */
export async function runRound(deps: EngineDeps, id: string, round: number, report: (o: ExpertOutcome) => void = () => undefined): Promise<{ replies: number }> {
  const data = loadDialogue(deps.store, id, ENGINE_LOAD);
  const members = panelMembers(data, round);
  const done = new Set((data.responses.get(round) ?? []).filter((r) => r.status === 'ok').map((r) => r.expert));
  const pending = members.filter((m) => !done.has(m.name.toLowerCase()));
  deps.onEvent?.({ type: 'round-start', round, experts: members.map((m) => m.name) });
  for (const m of members) if (done.has(m.name.toLowerCase())) deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'stored' });
  restoreMissingFiles(deps, data, round);
  if (pending.length === 0) return { replies: done.size };
  const ctx = roundContext(data, round);
  const queue = new PQueue({ concurrency: Math.max(1, data.settings.concurrency) });
  // One signal for the round: the caller's, or the first fatal failure, aborts every call in flight.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  if (deps.signal?.aborted) stop.abort();
  // Every in-flight call (and its retry sleeps) listens on the one round signal.
  setMaxListeners(Math.max(20, 4 * pending.length), stop.signal);
  const callDeps: EngineDeps = { ...deps, signal: stop.signal };
  const failures: unknown[] = [];
  let replies = done.size;
  const run = (m: PanelMember, started?: () => void) =>
    queue
      // After a failure that stops the round, no queued call is sent.
      .add(() => (stop.signal.aborted || failures.length > 0 ? 'skipped' : askExpert(callDeps, data, ctx, round, m, started)))
      .then((outcome) => {
        if (outcome === 'skipped') return;
        if (outcome === undefined) replies++;
        report(outcome === undefined ? { expert: m.name, answered: true } : { expert: m.name, answered: false, error: outcome });
      })
      .catch((err: unknown) => {
        const unavailable = unavailableCause(err) !== undefined;
        if (failures.length === 0 && !stop.signal.aborted && unavailable) report({ expert: m.name, answered: false, error: err });
        failures.push(err);
        // An unavailable provider answers no call in flight; anything else (a full disk, the
        // budget) lets the calls already paid for finish and be stored.
        if (unavailable) stop.abort();
      });
  for (const m of pending) deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'queued' });
  const plan = warmupPlan(deps.provider.name, pending, (m) => seatModel(data.settings, m), prefixTokens(ctx));
  deps.store.setRoundCacheNote(data.dialogue.id, round, plan.note);
  try {
    // Each model's warm-up goes out alone; that model's other seats follow once it has begun.
    await Promise.all(
      plan.groups.map(async ({ members: [first, ...rest], warm }) => {
        if (!warm) return void (await Promise.all([first!, ...rest].map((m) => run(m))));
        let release!: () => void;
        const begun = new Promise<void>((resolve) => (release = resolve));
        const firstDone = run(first!, release).finally(release);
        await begun;
        await Promise.all([firstDone, ...rest.map((m) => run(m))]);
      }),
    );
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
  // The first failure is the cause; the calls it aborted only report the cancellation.
  const fatal = failures[0];
  if (fatal) throw fatal;
  if (stop.signal.aborted) throw cancelledError();
  return { replies };
}

/** One model's seats of a round, and whether its first call goes out alone to warm the cache. */
export interface WarmupGroup {
  model: string;
  members: PanelMember[];
  warm: boolean;
}

/**
 * Which seats of a round warm the prompt cache: one warm-up per distinct model with two or more
 * seats, on a caching provider (Anthropic), when the shared prefix (≈ `prefixTokens`) reaches that
 * model's minimum cacheable length. `note` says which models were not warmed for their minimum
 * (null when none). Pure.
 */
export function warmupPlan(provider: string, members: readonly PanelMember[], modelOf: (m: PanelMember) => string, prefixTokens: number): { groups: WarmupGroup[]; note: string | null } {
  const byModel = new Map<string, PanelMember[]>();
  for (const m of members) {
    const model = modelOf(m);
    byModel.set(model, [...(byModel.get(model) ?? []), m]);
  }
  const skipped: string[] = [];
  const groups = [...byModel].map(([model, seats]): WarmupGroup => {
    const min = provider === 'anthropic' ? cacheMinimum(model) : undefined;
    if (min === undefined || seats.length < 2) return { model, members: seats, warm: false };
    if (prefixTokens < min) skipped.push(`${model} (minimum ${min})`);
    return { model, members: seats, warm: prefixTokens >= min };
  });
  const note = skipped.length === 0 ? null : `warm-up skipped: shared prefix ≈ ${prefixTokens} tokens is below the cache minimum of ${skipped.join(', ')}`;
  return { groups, note };
}

/** Estimated tokens of what every expert of the round shares (stable head and round context). */
function prefixTokens(ctx: RoundContext): number {
  return estimateTokens(stableHead(ctx).length + roundBlock(ctx).length);
}

/** Asks one expert. Resolves to the error of a non-fatal failed call (stored as an absence), else undefined. */
async function askExpert(deps: EngineDeps, data: DialogueData, ctx: RoundContext, round: number, m: PanelMember, started?: () => void): Promise<unknown> {
  const call: StoredCall = {
    name: m.name.toLowerCase(),
    model: seatModel(data.settings, m),
    prompt: buildExpertPrompt(ctx, delta(data, round, m)),
  };
  const t0 = deps.clock.now().getTime();
  let result: CompletionResult;
  try {
    result = await callExpert(deps, data, round, m, call, started);
  } catch (err) {
    const fatal = isFatalLlmError(err);
    const reason = err instanceof BlueError ? err.message : String(err);
    // A fatal error stops the round and is not the expert's absence; anything else is.
    storeCall(deps, data, round, call, { error: reason, latencyMs: deps.clock.now().getTime() - t0, absent: fatal ? undefined : reason, billed: billedAttemptsOf(err) });
    deps.onEvent?.({ type: 'expert', round, expert: m.name, state: failedState(err), detail: reason });
    if (fatal) throw err;
    return err;
  }
  if (result.text.trim() === '') {
    // A paid call with no text (e.g. all output spent on thinking) is an absence, not an answer.
    const reason = `no text in the response (stop reason ${result.stopReason})`;
    storeCall(deps, data, round, call, { result, absent: reason });
    deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'failed', detail: reason });
    return undefined;
  }
  storeCall(deps, data, round, call, { result });
  if (deps.root) writeResponse(deps.root, data.dialogue.dir, round, call.name, result.text, call.prompt.rendered);
  deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'done', ...(result.usage.outputTokens > 0 ? { outputTokens: result.usage.outputTokens, costUsd: result.costUsd } : {}) });
  return undefined;
}

/** How a failed call shows in the progress view: a budget refusal and a cancellation are not expert failures. */
function failedState(err: unknown): 'refused' | 'cancelled' | 'failed' {
  if (err instanceof BlueError && err.code === 'E_BUDGET') return 'refused';
  if (err instanceof BlueError && err.code === 'E_CANCELLED') return 'cancelled';
  return 'failed';
}

/** Who is asked, with which model and prompt. */
interface StoredCall {
  name: string;
  model: string;
  prompt: ExpertPrompt;
}

/** The provider call, reporting streaming and retries as progress events. */
function callExpert(deps: EngineDeps, data: DialogueData, round: number, m: PanelMember, call: StoredCall, started?: () => void): Promise<CompletionResult> {
  const limits = callLimits(data.settings, 'expert', call.model, data.settings.maxTokens);
  return deps.provider.complete({
    system: call.prompt.system,
    messages: call.prompt.messages,
    model: call.model,
    maxTokens: limits.maxTokens,
    ...(limits.reasoning ? { reasoning: limits.reasoning } : {}),
    meta: { dialogueId: data.dialogue.id, round, expert: call.name, purpose: 'expert' },
    ...(deps.signal ? { signal: deps.signal } : {}),
    // The warm-up releases its model's seats when its response begins, or at once when an attempt fails.
    ...(started ? { onStart: started } : {}),
    onProgress: (outputTokens) => {
      deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'streaming', outputTokens });
    },
    onRetry: (info) => {
      started?.();
      deps.onEvent?.({ type: 'expert', round, expert: m.name, state: 'retrying', detail: `${info.reason}; retry ${info.attempt} in ${Math.round(info.delayMs / 1000)}s` });
    },
  });
}

/**
 * Stores one call in one transaction: the response (an answer, or an absence with its reason
 * when `absent` is set) and the call's accounting (`result` on success, `error` on failure).
 */
function storeCall(
  deps: EngineDeps,
  data: DialogueData,
  round: number,
  call: StoredCall,
  outcome: { result?: CompletionResult; error?: string; latencyMs?: number; absent?: string | undefined; billed?: readonly BilledAttempt[] },
): void {
  const at = deps.clock.now().toISOString();
  const answered = outcome.result !== undefined && outcome.absent === undefined;
  deps.store.tx(() => {
    if (answered || outcome.absent !== undefined) {
      deps.store.insertResponse({
        dialogue_id: data.dialogue.id,
        round,
        expert: call.name,
        status: answered ? 'ok' : 'absent',
        text: answered ? outcome.result!.text : '',
        prompt: call.prompt.rendered,
        absent_reason: answered ? null : outcome.absent!,
        created_at: at,
      }, call.prompt.shared, call.prompt.head);
    }
    recordLlmCall(deps, {
      dialogueId: data.dialogue.id,
      round,
      expert: call.name,
      purpose: 'expert',
      provider: outcome.result?.provider ?? deps.provider.name,
      model: call.model,
      ...(outcome.result ? { result: outcome.result } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.latencyMs !== undefined ? { latencyMs: outcome.latencyMs } : {}),
      ...(outcome.billed ? { billed: outcome.billed } : {}),
    });
  });
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
    if (fs.existsSync(file) && fs.existsSync(file.replace(/\.md$/, '.prompt.md'))) continue;
    // The engine's load leaves prompts out; read this one prompt back for its audit file.
    const prompt = r.prompt || (deps.store.responsePrompt(data.dialogue.id, round, r.expert) ?? '');
    writeResponse(deps.root, data.dialogue.dir, round, r.expert, r.text, prompt);
  }
}


/**
 * The shared context of a round. Bounded: a digest of the previous round (what changed, key
 * question, camps), the open tensions and the previous round's responses only, never the whole
 * transcript or a second copy of the summary's tables.
 */
export function roundContext(data: DialogueData, round: number): RoundContext {
  const prev = round - 1;
  const prevJudged = data.rounds.find((r) => r.round === prev && r.status === 'judged');
  return {
    question: data.dialogue.question,
    constraints: data.constraints.filter((c) => c.round_added <= round).map((c) => c.text),
    sources: data.dialogue.sources,
    round,
    maxRounds: data.settings.maxRounds,
    previousSummary: prevJudged ? roundDigest(data, prev) : null,
    openTensions: prevJudged ? openTensions(data, prev) : [],
    perspectives: data.perspectives
      .filter((p) => p.round === prev)
      .map((p) => ({ id: p.id, label: p.label, contributors: data.contributors.get(p.id) ?? [p.expert] })),
    peerResponses: (data.responses.get(prev) ?? [])
      .filter((r) => r.status === 'ok')
      .map((r) => ({ expert: data.experts.get(r.expert)?.display ?? r.expert, text: r.text })),
    answerWords: roleSettings(data.settings, 'expert').words,
    ...(data.settings.cacheTtl === '1h' ? { headTtl: '1h' as const } : {}),
  };
}

function delta(data: DialogueData, round: number, m: PanelMember): ExpertDelta {
  const name = m.name.toLowerCase();
  const prevSyn = synthesisOf(data.rounds.find((r) => r.round === round - 1));
  const directive = prevSyn?.nextPanel?.find((p) => p.name.toLowerCase() === name)?.directive;
  const own = data.tensions
    .filter((t) => t.raisedBy === name && isOpenStatus(t.status))
    .map((t) => ({ id: t.id, label: t.label }));
  return {
    member: m,
    isNewcomer: round > 0 && (data.experts.get(name)?.firstRound ?? 0) === round,
    ownOpenTensions: own,
    ...(directive ? { directive } : {}),
    ...(prevSyn?.premiseCheck && directive ? { premiseCheck: true } : {}),
  };
}
