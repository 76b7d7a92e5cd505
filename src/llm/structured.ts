/**
 * Structured (judge) output: JSON schema for the request, zod validation of the answer, and the
 * one schema retry every provider applies.
 */
import { z } from 'zod';
import { BlueError } from '../core/index.ts';
import { addUsage, type CompletionRequest, type CompletionResult, type StructuredRequest } from './port.ts';

/**
 * Keywords Anthropic's constrained decoding rejects with a 400 (numeric, length and size
 * bounds). They are dropped from the request schema; the zod schema still enforces them when
 * the answer is validated. Source: the structured-outputs "JSON Schema limitations" of the API docs.
 */
const UNSUPPORTED_KEYWORDS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

/**
 * A JSON schema the Messages API accepts: zod 4's `toJSONSchema` output minus `$schema`, minus
 * the bounds constrained decoding rejects, `minItems` only as 0 or 1, and
 * `additionalProperties: false` on every object.
 */
export function toInputSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json['$schema'];
  return apiSubset(json) as Record<string, unknown>;
}

function apiSubset(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(apiSubset);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((UNSUPPORTED_KEYWORDS as readonly string[]).includes(key)) continue;
    if (key === 'minItems' && typeof value === 'number' && value > 1) continue;
    out[key] = key === 'properties' || key === '$defs' || key === 'definitions' ? mapValues(value, apiSubset) : apiSubset(value);
  }
  if (out['type'] === 'object') out['additionalProperties'] = false;
  return out;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}

/** Outcome of {@link validateStructured}: the value, or a one-line description of what failed. */
export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses `text` as JSON and validates it with `schema` (first three issues reported). */
export function validateStructured<T>(text: string, schema: z.ZodType<T>): Validated<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: text.trim() === '' ? 'no structured output was returned' : 'output is not valid JSON' };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, error: issues.join('; ') };
}

/** Sums usage, cost, latency and retries of two attempts of one logical call; other fields from `b`. */
export function mergeResults(a: CompletionResult, b: CompletionResult): CompletionResult {
  return {
    ...b,
    usage: addUsage(a.usage, b.usage),
    latencyMs: a.latencyMs + b.latencyMs,
    costUsd: a.costUsd + b.costUsd,
    ...(a.costUnknown || b.costUnknown ? { costUnknown: true } : {}),
    retries: a.retries + b.retries,
    ...(a.billedAttempts || b.billedAttempts ? { billedAttempts: [...(a.billedAttempts ?? []), ...(b.billedAttempts ?? [])] } : {}),
  };
}

/**
 * Runs `once`, validates; on failure runs it again with the bad output and the validation error
 * appended to the conversation. The result sums both attempts.
 * @throws BlueError `E_LLM` ('judge output failed its schema twice: …'), plus whatever `once` throws.
 */
export async function structuredWithRetry<T>(
  req: StructuredRequest<T>,
  once: (req: CompletionRequest) => Promise<CompletionResult>,
): Promise<{ value: T; result: CompletionResult }> {
  const first = await once(req);
  const one = validateStructured(first.text, req.schema);
  if (one.ok) return { value: one.value, result: first };
  const messages = [
    ...req.messages,
    { role: 'assistant' as const, content: first.text.trim() || '(no output)' },
    {
      role: 'user' as const,
      content: `That output failed the ${req.schemaName} schema: ${one.error}. Answer again with output that matches the schema exactly.`,
    },
  ];
  const second = await once({ ...req, messages });
  const two = validateStructured(second.text, req.schema);
  if (two.ok) return { value: two.value, result: mergeResults(first, second) };
  throw new BlueError('E_LLM', `judge output failed its schema twice: ${two.error}`);
}
