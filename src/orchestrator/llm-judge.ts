/**
 * The optional LLM judge. It proposes — duplicate-perspective merges, tension clusters,
 * resolution confirmations, W/C/T/R adjustments with a one-line rationale each, and the round's
 * synthesis prose — and every proposal is stored with its reason. It never declares
 * convergence: the gate stays computed from stored entities.
 */
import { z } from 'zod';
import { type CompletionResult, type LlmProvider, isFatalLlmError } from '../llm/index.ts';
import { isOpenStatus } from '../core/index.ts';
import type { DialogueData } from './data.ts';
import { display } from './data.ts';
import { MAX_PANEL_SIZE } from './settings.ts';
import { callLimits } from './call-limits.ts';

const dims = z.int().min(-10).max(10);

/** Upper bound of a judge call's output, tokens (adaptive thinking plus the JSON); calls ask for less when the answer limit allows. */
export const JUDGE_MAX_TOKENS = 6000;

/** The judge's per-dimension adjustment of one expert's rubric score, with its one-line rationale (stored as `scores.judge_json`). */
export const judgeAdjustmentSchema = z.object({
  expert: z.string(),
  wisdom: dims,
  consistency: dims,
  truth: dims,
  relationships: dims,
  rationale: z.string(),
});

/** A validated adjustment. */
export type JudgeAdjustment = z.infer<typeof judgeAdjustmentSchema>;

/** What the judge may return for a round (validated; see the judge prompt). */
export const roundJudgementSchema = z.object({
  merges: z.array(z.object({ perspective: z.string(), into: z.string(), reason: z.string() })).max(20),
  clusters: z.array(z.object({ tensions: z.array(z.string()).min(2), theme: z.string() })).max(10),
  resolutionChecks: z.array(z.object({ tension: z.string(), confirmed: z.boolean(), reason: z.string() })).max(30),
  adjustments: z.array(judgeAdjustmentSchema).max(MAX_PANEL_SIZE),
  synthesis: z.object({
    keyInsights: z.array(z.string()).max(6),
    camps: z.array(z.object({ name: z.string(), members: z.array(z.string()), stance: z.string() })).max(5),
    keyQuestion: z.string(),
    recommendations: z.array(z.object({ label: z.string(), from: z.string() })).max(8),
    panelAdvice: z.string(),
  }),
  /** Only on a round where the gate may close: the answer and the decisions, for the verdict and RFC. */
  answer: z.string().optional(),
  decisions: z.array(z.object({ topic: z.string(), decision: z.string(), rationale: z.string(), sources: z.array(z.string()) })).max(12).optional(),
});

/** A validated judgement. */
export type RoundJudgement = z.infer<typeof roundJudgementSchema>;

const JUDGE_RULES = `You are the judge of an alignment dialogue. You read one round of expert responses and return JSON matching the schema.
Rules:
- You do not decide convergence; code does, from the markers. Never invent perspectives, tensions or quotes.
- merges: only when two perspectives registered this round or earlier say the same thing; give the reason.
- resolutionChecks: for each tension marked resolved this round, say whether the resolving text really resolves it.
- adjustments: small integers (-10..10) per dimension (Wisdom, Consistency, Truth, Relationships), one-line rationale each; use 0 when the rubric already fits.
- synthesis: key insights, camps (expert names as given), the key question for the next round, recommendations, panel advice.
- answer and decisions: only if no tension is open; topic → decision → rationale, citing global ids.`;

/**
 * The judge's stable system block: rules, the answer limit and the question, the same in every
 * round of a dialogue, so it is cached across rounds once it reaches the model's minimum (the
 * adapter drops the breakpoint below it).
 */
export function judgeSystem(question: string, words: number): string {
  return `${JUDGE_RULES}\n- Keep the whole JSON under ${words} words.\n\nQuestion: ${question}`;
}

/** Builds the judge's user message: the round's responses and the ids the engine registered. */
export function judgePrompt(data: DialogueData, round: number): string {
  const responses = (data.responses.get(round) ?? []).filter((r) => r.status === 'ok');
  const perspectives = data.perspectives.filter((p) => p.round === round);
  const open = data.tensions.filter((t) => isOpenStatus(t.status));
  const closed = data.tensions.filter((t) => t.closedRound === round);
  return [
    `Round ${round}. Perspectives registered this round:`,
    ...perspectives.map((p) => `- ${p.id} (${display(data, p.expert)}): ${p.label}`),
    'Tensions still open:',
    ...open.map((t) => `- ${t.id} (${display(data, t.raisedBy)}): ${t.label}`),
    'Tensions closed this round:',
    ...closed.map((t) => `- ${t.id} ${t.status}: ${t.resolution ?? ''}`),
    '',
    ...responses.map((r) => `=== ${display(data, r.expert)} ===\n${r.text}`),
  ].join('\n');
}

/** Judge outcome: the value, or why there is none (the round proceeds without adjustments). */
export type JudgeOutcome = { ok: true; value: RoundJudgement; result: CompletionResult } | { ok: false; reason: string };


/**
 * Asks the judge about `round`.
 * @throws BlueError E_BUDGET / E_CANCELLED / E_LLM_AUTH / E_LLM_MODEL; any other failure becomes `{ ok: false }`.
 */
export async function askJudge(judge: LlmProvider, data: DialogueData, round: number, signal?: AbortSignal): Promise<JudgeOutcome> {
  if (!judge.completeStructured) return { ok: false, reason: `provider ${judge.name} has no structured output` };
  const limits = callLimits(data.settings, 'judge', data.settings.judgeModel, JUDGE_MAX_TOKENS);
  try {
    const { value, result } = await judge.completeStructured({
      system: [{ text: judgeSystem(data.dialogue.question, limits.words), cache: true, ...(data.settings.cacheTtl === '1h' ? { ttl: '1h' as const } : {}) }],
      messages: [{ role: 'user', content: judgePrompt(data, round) }],
      model: data.settings.judgeModel,
      maxTokens: limits.maxTokens,
      ...(limits.reasoning ? { reasoning: limits.reasoning } : {}),
      meta: { dialogueId: data.dialogue.id, round, expert: 'judge', purpose: 'judge' },
      schema: roundJudgementSchema,
      schemaName: 'round_judgement',
      ...(signal ? { signal } : {}),
    });
    return { ok: true, value, result };
  } catch (err) {
    if (isFatalLlmError(err)) throw err;
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
