/**
 * Prices and cost arithmetic. One dated table (`prices.json`, with its source URL) is the only
 * place a price lives; everything else asks {@link priceFor}.
 */
import { z } from 'zod';
import { UserError } from '../core/index.ts';
import type { Usage } from './port.ts';
import rawTable from './prices.json' with { type: 'json' };
import { CHARS_PER_TOKEN } from './tokens.ts';

const rateSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheWrite5mPerMTok: z.number().nonnegative().optional(),
  cacheWrite1hPerMTok: z.number().nonnegative().optional(),
  cacheReadPerMTok: z.number().nonnegative().optional(),
});

const modelPriceSchema = rateSchema.extend({
  /** A higher tier that applies when the whole prompt exceeds `aboveInputTokens` (Haiku 5.5). */
  longContext: rateSchema.extend({ aboveInputTokens: z.number().int().positive() }).optional(),
});

/**
 * The shape of a dated per-model table (`prices.json`, `models.json`): `asOf`, `source`, `notes`,
 * then `models` by exact id and `families` by id prefix (the fallback for unlisted ids), each
 * entry an `entry`.
 */
export function datedTableShape<T extends z.ZodType>(entry: T) {
  return {
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    source: z.string().url(),
    notes: z.string().optional(),
    models: z.record(z.string(), entry),
    /** Family prefix (`claude-opus`) → conservative entry for ids not listed in `models`. */
    families: z.record(z.string(), entry).default({}),
  };
}

const priceTableSchema = z.object(datedTableShape(modelPriceSchema));

/** Rates of one model in USD per million tokens. Cache rates default to 1.25× / 0.1× input. */
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** The dated price table: `{ asOf: 'YYYY-MM-DD', source: URL, models: {id: ModelPrice}, families }`. */
export type PriceTable = z.infer<typeof priceTableSchema>;

/** Prompt-cache multipliers on base input when the table gives no explicit rate (Anthropic pricing page). */
const CACHE_WRITE_5M_FACTOR = 1.25;
const CACHE_WRITE_1H_FACTOR = 2;
const CACHE_READ_FACTOR = 0.1;
const PER_MTOK = 1_000_000;

/**
 * Validates a price table object.
 * @throws UserError `E_CONFIG` when a field is missing or negative.
 */
export function parsePriceTable(raw: unknown): PriceTable {
  return parseDatedTable(priceTableSchema, raw, 'price table', 'prices.json');
}

/**
 * Validates a dated table object against `schema`.
 * @throws UserError `E_CONFIG` naming `what`, `file` and the first bad field.
 */
export function parseDatedTable<S extends z.ZodType>(schema: S, raw: unknown, what: string, file: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UserError('E_CONFIG', `${what} is invalid: ${issue?.message ?? 'unknown problem'}`, {
    where: { file, field: issue?.path.join('.') },
  });
}

/** The bundled table (`src/llm/prices.json`). */
export const DEFAULT_PRICES: PriceTable = parsePriceTable(rawTable);

/**
 * Price of `model`: exact id, else the longest listed id that prefixes it (dated snapshots such as
 * `claude-sonnet-4-5-20250929`), else the longest matching family prefix.
 * @throws UserError `E_LLM_MODEL` when nothing matches.
 */
export function priceFor(model: string, table: PriceTable): ModelPrice {
  const found = findPrice(model, table);
  if (found) return found;
  throw new UserError('E_LLM_MODEL', `no price for model "${model}" in the price table of ${table.asOf}`, {
    expected: `a model id such as ${Object.keys(table.models).slice(0, 3).join(', ')}`,
  });
}

/**
 * Cost of one call in USD, or `null` when the table has no price for `model` (a local or
 * third-party model): unknown, never $0.
 */
export function costOrUnknown(model: string, usage: Usage, table: PriceTable): number | null {
  return hasPrice(model, table) ? costUsd(model, usage, table) : null;
}

/** True when {@link priceFor} would find a price for `model`. */
export function hasPrice(model: string, table: PriceTable): boolean {
  return findPrice(model, table) !== undefined;
}

function findPrice(model: string, table: PriceTable): ModelPrice | undefined {
  return lookupModel(model, table);
}

/**
 * The entry of `model` in a dated per-model table (prices, model traits): exact id, else the
 * longest listed id that prefixes it (dated snapshots), else the longest family prefix.
 */
export function lookupModel<T>(model: string, table: { models: Record<string, T>; families: Record<string, T> }): T | undefined {
  return table.models[model] ?? longestPrefix(model, table.models) ?? longestPrefix(model, table.families);
}

function longestPrefix<T>(model: string, entries: Record<string, T>): T | undefined {
  let best: string | undefined;
  for (const key of Object.keys(entries)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : entries[best];
}

/**
 * Cost of one call in USD: uncached input, cache writes (5-minute rate, or the 1-hour rate for
 * `cacheWrite1hInputTokens`), cache reads and output,
 * each at its per-MTok rate. Total prompt size (input + both cache counts) selects a long-context tier.
 * @throws UserError `E_LLM_MODEL` when the model has no price.
 */
export function costUsd(model: string, usage: Usage, table: PriceTable): number {
  const base = priceFor(model, table);
  const prompt = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  const rate = base.longContext && prompt > base.longContext.aboveInputTokens ? base.longContext : base;
  const write = rate.cacheWrite5mPerMTok ?? rate.inputPerMTok * CACHE_WRITE_5M_FACTOR;
  const write1h = rate.cacheWrite1hPerMTok ?? rate.inputPerMTok * CACHE_WRITE_1H_FACTOR;
  const read = rate.cacheReadPerMTok ?? rate.inputPerMTok * CACHE_READ_FACTOR;
  const hour = Math.min(usage.cacheWrite1hInputTokens ?? 0, usage.cacheCreationInputTokens);
  const micro =
    usage.inputTokens * rate.inputPerMTok +
    (usage.cacheCreationInputTokens - hour) * write +
    hour * write1h +
    usage.cacheReadInputTokens * read +
    usage.outputTokens * rate.outputPerMTok;
  return micro / PER_MTOK;
}

/**
 * Characters per token for a reservation before a call has reported real usage: the one
 * {@link CHARS_PER_TOKEN} (4) with a margin for the current tokenizer (~1.3× more tokens), so 3.
 */
export const RESERVE_CHARS_PER_TOKEN = CHARS_PER_TOKEN * 0.75;

/**
 * Upper-bound cost of a call of which nothing is known, in USD: input ≈ ceil(chars /
 * {@link RESERVE_CHARS_PER_TOKEN}) tokens billed uncached plus the full `maxTokens` of output. The budget
 * reserves the closer estimate of `CallEstimator` instead.
 * @throws UserError `E_LLM_MODEL` when the model has no price.
 */
export function estimateCostUsd(model: string, inputChars: number, maxTokens: number, table: PriceTable): number {
  const inputTokens = Math.ceil(inputChars / RESERVE_CHARS_PER_TOKEN);
  return costUsd(
    model,
    { inputTokens, outputTokens: maxTokens, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    table,
  );
}
