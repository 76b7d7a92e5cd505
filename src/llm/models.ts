/**
 * What each Anthropic model accepts beyond prices: its minimum cacheable prompt length and its
 * thinking / effort settings. One dated table (`models.json`, with its source URL) beside the prices.
 */
import { z } from 'zod';
import type { SystemBlock } from './port.ts';
import { datedTableShape, lookupModel, parseDatedTable } from './prices.ts';
import { estimateTokens } from './tokens.ts';
import rawTable from './models.json' with { type: 'json' };

/** The thinking types of the Messages API (`thinking.type`). */
export const THINKING_TYPES = ['adaptive', 'enabled', 'disabled', 'between_tools'] as const;
/** A thinking type. */
export type ThinkingType = (typeof THINKING_TYPES)[number];
/** The `output_config.effort` levels. */
export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
/** An effort level. */
export type Effort = (typeof EFFORTS)[number];

const modelSchema = z.strictObject({
  /** Minimum cacheable prompt length in tokens (everything up to a breakpoint). */
  cacheMinTokens: z.int().positive(),
  /** Accepted thinking types, the model's default first; empty = send no `thinking`. */
  thinking: z.array(z.enum(THINKING_TYPES)),
  /** Whether `output_config.effort` is accepted. */
  effort: z.boolean(),
  /** The effort the model runs at when a request sends none, where its docs say; omitted = not documented here. */
  defaultEffort: z.enum(EFFORTS).optional(),
});

const tableSchema = z.strictObject(datedTableShape(modelSchema));

/** What one model accepts. */
export type ModelTraits = z.infer<typeof modelSchema>;
/** The dated model table: `{ asOf, source, models: {id: ModelTraits}, families }`. */
export type ModelTable = z.infer<typeof tableSchema>;

/**
 * Validates a model table object.
 * @throws UserError `E_CONFIG` when a field is missing or malformed.
 */
export function parseModelTable(raw: unknown): ModelTable {
  return parseDatedTable(tableSchema, raw, 'model table', 'models.json');
}

/** The bundled table (`src/llm/models.json`). */
export const DEFAULT_MODELS_TABLE: ModelTable = parseModelTable(rawTable);

/**
 * Traits of `model`: exact id, else the longest listed id that prefixes it (dated snapshots), else the
 * longest family prefix; `undefined` for a model the table does not know (another provider's).
 */
export function modelTraits(model: string, table: ModelTable = DEFAULT_MODELS_TABLE): ModelTraits | undefined {
  return lookupModel(model, table);
}

/** Minimum cacheable prompt length of `model` in tokens; `undefined` when the model is unknown (no caching). */
export function cacheMinimum(model: string, table: ModelTable = DEFAULT_MODELS_TABLE): number | undefined {
  return modelTraits(model, table)?.cacheMinTokens;
}

/** Estimated tokens of the system prompt up to and including the last block marked `cache`; 0 when none is. */
export function cachedPrefixTokens(system: readonly SystemBlock[]): number {
  const last = system.map((b) => b.cache === true).lastIndexOf(true);
  let chars = 0;
  for (const b of system.slice(0, last + 1)) chars += b.text.length;
  return estimateTokens(chars);
}

/**
 * The blocks with the breakpoints that cannot cache removed: a block keeps `cache` only when the
 * estimated prompt up to its end reaches `minTokens` (below it the API caches nothing anyway).
 * Without a minimum (unknown model) every breakpoint is dropped. Pure.
 */
export function cacheableSystem(system: readonly SystemBlock[], minTokens: number | undefined): SystemBlock[] {
  let chars = 0;
  return system.map((b) => {
    chars += b.text.length;
    if (!b.cache || (minTokens !== undefined && estimateTokens(chars) >= minTokens)) return b;
    const { cache: _cache, ttl: _ttl, ...rest } = b;
    return rest;
  });
}

/**
 * Tokens per word of an answer: the fixture's answers run 7.1 characters per word (markers, ids,
 * punctuation), 1.8 tokens at 4 characters a token, ×1.3 on the current tokenizer = 2.3; with a
 * margin. (1.5 cut a 300-word answer at max_tokens whenever the call did not think.)
 */
export const TOKENS_PER_WORD = 2.4;
/** Room for the marker lines and the closing `---` beyond the words. */
const ANSWER_SLACK_TOKENS = 64;
/** Thinking room added to `max_tokens` when the model thinks and no budget is given. */
export const DEFAULT_THINKING_TOKENS = 2048;
/** The API's smallest `budget_tokens` for `thinking: enabled`. */
const MIN_THINKING_BUDGET = 1024;

/** The Messages API parameters for `reasoning` on `model`: only what the model accepts. */
export interface ReasoningParams {
  thinking?: { type: 'adaptive' } | { type: 'disabled' } | { type: 'between_tools' } | { type: 'enabled'; budget_tokens: number };
  effort?: Effort;
}

/**
 * The thinking type a call runs with on `model`: the requested one when the model accepts it, else
 * the model's default (first listed); `undefined` for a model the table does not know.
 */
export function effectiveThinking(model: string, want: ThinkingType | undefined, table: ModelTable = DEFAULT_MODELS_TABLE): ThinkingType | undefined {
  const accepts = modelTraits(model, table)?.thinking ?? [];
  return want !== undefined && accepts.includes(want) ? want : accepts[0];
}

/**
 * Output cap in tokens for an answer of at most `words` words, plus the thinking room when the
 * call thinks (`budgetTokens`, else {@link DEFAULT_THINKING_TOKENS}); a known budget is sized to
 * the API's minimum of 1,024. Pure.
 */
export function outputTokensFor(words: number, model: string, reasoning: { thinking?: ThinkingType; budgetTokens?: number } = {}, table: ModelTable = DEFAULT_MODELS_TABLE): number {
  const answer = Math.ceil(words * TOKENS_PER_WORD) + ANSWER_SLACK_TOKENS;
  const type = effectiveThinking(model, reasoning.thinking, table);
  const thinks = type === 'adaptive' || type === 'enabled' || (type === undefined && reasoning.budgetTokens !== undefined);
  return answer + (thinks ? Math.max(MIN_THINKING_BUDGET, reasoning.budgetTokens ?? DEFAULT_THINKING_TOKENS) : 0);
}

/**
 * `thinking` and `output_config.effort` for one request, sending only what `model` accepts
 * (an unknown model gets neither; `enabled` gets a budget below `maxTokens`). Pure.
 */
export function reasoningParams(model: string, reasoning: { thinking?: ThinkingType; budgetTokens?: number; effort?: Effort } | undefined, maxTokens: number, table: ModelTable = DEFAULT_MODELS_TABLE): ReasoningParams {
  const traits = modelTraits(model, table);
  if (!traits || !reasoning) return {};
  const out: ReasoningParams = {};
  const want = reasoning.thinking;
  if (want !== undefined && traits.thinking.includes(want)) {
    if (want === 'enabled') {
      const budget = Math.max(MIN_THINKING_BUDGET, Math.min(reasoning.budgetTokens ?? DEFAULT_THINKING_TOKENS, maxTokens - 1));
      if (budget < maxTokens) out.thinking = { type: 'enabled', budget_tokens: budget };
    } else {
      out.thinking = { type: want };
    }
  }
  if (reasoning.effort !== undefined && traits.effort) out.effort = reasoning.effort;
  return out;
}
