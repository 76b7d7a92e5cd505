/** Output cap and thinking of one call, from the role's answer limit and the model's traits. */
import { outputTokensFor } from '../llm/index.ts';
import type { Reasoning } from '../llm/index.ts';
import { type CallRole, type DialogueSettings, roleSettings } from './settings.ts';

/** What a call of `role` on `model` asks for. */
export interface CallLimits {
  /** The answer limit written into the prompt, words. */
  words: number;
  /** `max_tokens`: the answer's tokens plus thinking room where the model thinks, at most `cap`. */
  maxTokens: number;
  /** Thinking / effort to request; omitted when the role sets none (model defaults). */
  reasoning?: Reasoning;
}

/** The call limits of `role` on `model`, capped at `cap` tokens. Pure. */
export function callLimits(settings: Pick<DialogueSettings, 'roles'>, role: CallRole, model: string, cap: number): CallLimits {
  const r = roleSettings(settings, role);
  const reasoning: Reasoning = {
    ...(r.thinking ? { thinking: r.thinking } : {}),
    ...(r.budgetTokens ? { budgetTokens: r.budgetTokens } : {}),
    ...(r.effort ? { effort: r.effort } : {}),
  };
  return {
    words: r.words,
    maxTokens: Math.min(cap, outputTokensFor(r.words, model, reasoning)),
    ...(Object.keys(reasoning).length > 0 ? { reasoning } : {}),
  };
}
