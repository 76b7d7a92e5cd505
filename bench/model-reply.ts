/**
 * How the bench's simulated model answers one Messages API request body: what it writes and how
 * many output tokens it bills, from what the request asks for. Pure. Every rule below is an
 * assumption about model behaviour, printed in the bench's header ({@link REPLY_ASSUMPTIONS}):
 *
 * - Word limit: a prompt that states `Answer in at most N words.` gets the answer cut at the last
 *   sentence or marker line that keeps it at or under N words (the model obeys, never overshoots),
 *   ending with the `---` line; a prompt without a limit (the naive layout) gets the answer as is.
 * - `max_tokens`: thinking counts first; the text is cut where thinking plus text reach it, and the
 *   stop reason is `max_tokens` (the API's documented behaviour).
 * - Thinking: none for `thinking: disabled` or `between_tools` (Sonnet 5.5: no up-front thinking);
 *   otherwise the bench's thinking length (its value at effort `high`) times
 *   {@link EFFORT_THINKING_FACTOR} of the request's `output_config.effort`, or of the model's
 *   documented default effort when it sends none; `budget_tokens` caps it.
 * - Effort changes only thinking here, not the text (the docs say it affects all output tokens;
 *   leaving the text alone does not favour a lower effort).
 */
import { DEFAULT_MODELS_TABLE, type Effort, modelTraits } from '../src/llm/models.ts';
import { charsOfTokens, tokensOfChars } from './cache-sim.ts';

/**
 * Thinking tokens at each effort level relative to `high`. ASSUMPTION: the docs give no figures,
 * only that at high the model almost always thinks and at lower levels thinks less or skips it
 * (platform.claude.com/docs/en/build-with-claude/thinking-steering-and-cost, …/effort).
 */
export const EFFORT_THINKING_FACTOR: Readonly<Record<Effort, number>> = { low: 0.25, medium: 0.6, high: 1, xhigh: 1.5, max: 2 };

/** Effort assumed for a model the table gives no default for (docs: "most Claude models default to high"). */
export const FALLBACK_EFFORT: Effort = 'high';

/** The assumptions above, one line each, for the bench's header. */
export const REPLY_ASSUMPTIONS: readonly string[] = [
  'answers obey a stated "Answer in at most N words." (cut at the last sentence/marker line at or under N, then `---`); no stated limit = the fixture answer as is',
  'max_tokens counts thinking first and cuts the text there with stop_reason max_tokens',
  `thinking = --think-tokens × effort factor (ASSUMED: ${Object.entries(EFFORT_THINKING_FACTOR).map(([k, v]) => `${k} ${v}`).join(', ')}); effort omitted = the model's default (models.json defaultEffort, else ${FALLBACK_EFFORT}); disabled / between_tools = none; budget_tokens caps it; effort leaves the text alone`,
];

/** Thinking of one request: tokens billed and ms before the first text token. */
export interface Thinking {
  tokens: number;
  ms: number;
}

/** What the simulated model sends back for one request. */
export interface Reply {
  text: string;
  stop: 'end_turn' | 'max_tokens';
  /** Billed output tokens: thinking plus text, at most `max_tokens`. */
  outputTokens: number;
  thinking: Thinking;
  /** The word limit the prompt stated, or null. */
  wordLimit: number | null;
}

type Blocks = string | { text?: string }[] | undefined;
const textOf = (c: Blocks): string => (c === undefined ? '' : typeof c === 'string' ? c : c.map((b) => b.text ?? '').join('\n'));

/** The `Answer in at most N words.` limit stated anywhere in the system prompt or messages; null without one. */
export function statedWordLimit(body: Record<string, unknown>): number | null {
  const messages = (body.messages as { content: Blocks }[] | undefined) ?? [];
  const all = [textOf(body.system as Blocks), ...messages.map((m) => textOf(m.content))].join('\n');
  const m = /Answer in at most (\d+) words\./.exec(all);
  return m ? Number(m[1]) : null;
}

const wordsIn = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const isMarkerLine = (line: string): boolean => /^\s*\[[A-Z]/.test(line);

/** The text as units a model would stop after: whole marker lines, blank lines, and prose sentences. */
function units(text: string): { text: string; marker: boolean }[] {
  const out: { text: string; marker: boolean }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '---') break;
    if (isMarkerLine(line) || line.trim() === '') {
      out.push({ text: `${line}\n`, marker: isMarkerLine(line) });
      continue;
    }
    const sentences = line.match(/[^.!?]+(?:[.!?]+["')\]]*|$)\s*/g) ?? [line];
    sentences.forEach((s, i) => out.push({ text: i === sentences.length - 1 ? `${s.trimEnd()}\n` : s, marker: false }));
  }
  return out;
}

/**
 * `answer` cut to at most `words` words at a sentence or marker-line boundary, never leaving a
 * marker without text under it, and ending with the `---` line. Unchanged when it already fits.
 */
export function followWordLimit(answer: string, words: number): string {
  if (wordsIn(answer.replace(/^\s*---\s*$/m, '')) <= words) return answer;
  const kept: { text: string; marker: boolean }[] = [];
  let count = 0;
  for (const u of units(answer)) {
    const n = wordsIn(u.text);
    if (count + n > words) break;
    kept.push(u);
    count += n;
  }
  while (kept.length > 0 && (kept.at(-1)!.marker || kept.at(-1)!.text.trim() === '')) kept.pop();
  return `${kept.map((u) => u.text).join('').trimEnd()}\n\n---\n`;
}

/**
 * Thinking of a request on `body.model`, given the bench's thinking at effort `high` (`atHigh`).
 * See the module comment for the rules.
 */
export function thinkingOf(body: Record<string, unknown>, atHigh: Thinking): Thinking {
  const t = body.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (t?.type === 'disabled' || t?.type === 'between_tools') return { tokens: 0, ms: 0 };
  const asked = (body.output_config as { effort?: Effort } | undefined)?.effort;
  const effort = asked ?? modelTraits(String(body.model), DEFAULT_MODELS_TABLE)?.defaultEffort ?? FALLBACK_EFFORT;
  const factor = EFFORT_THINKING_FACTOR[effort];
  const tokens = Math.min(Math.round(atHigh.tokens * factor), t?.budget_tokens ?? Infinity);
  const ms = atHigh.tokens > 0 ? (atHigh.ms * tokens) / atHigh.tokens : atHigh.ms * factor;
  return { tokens, ms };
}

/** The reply to `body` for the scripted `answer`: word limit, thinking, then the `max_tokens` cut. */
export function modelReply(body: Record<string, unknown>, answer: string, atHigh: Thinking): Reply {
  const wordLimit = statedWordLimit(body);
  const wanted = wordLimit === null ? answer : followWordLimit(answer, wordLimit);
  const thinking = thinkingOf(body, atHigh);
  const maxTokens = Number(body.max_tokens);
  const room = Math.max(0, maxTokens - thinking.tokens);
  if (tokensOfChars(wanted.length) <= room) return { text: wanted, stop: 'end_turn', outputTokens: thinking.tokens + tokensOfChars(wanted.length), thinking, wordLimit };
  const text = wanted.slice(0, charsOfTokens(room));
  return { text, stop: 'max_tokens', outputTokens: Math.min(maxTokens, thinking.tokens + tokensOfChars(text.length)), thinking: { ...thinking, tokens: Math.min(thinking.tokens, maxTokens) }, wordLimit };
}
