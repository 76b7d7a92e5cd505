/**
 * The comparison layouts: the same expert calls (same personas, asks and scripted answers) as if
 * every call carried the whole transcript: the rules and question, then every earlier round's
 * answers, then the persona and the ask. Built as Messages API bodies so the bench's cache bills
 * them by the same rules as Blue's own requests, and the simulated model answers them by the same
 * rules (bench/model-reply.ts).
 *
 * Two flavours: what a naive transcript tool sends (no answer limit, no thinking or effort
 * parameters, so the model's defaults, and a `max_tokens` that never cuts), and the same layout
 * with Blue's limits (Blue's word limit line, `thinking`, `output_config.effort` and `max_tokens`),
 * which tells how much of the difference is layout and how much is limits.
 */
import { PERSONA, type Served } from './messages-sim.ts';

type TextBlock = { type: 'text'; text: string; cache_control?: { type: 'ephemeral' } };
const blocksOf = (system: unknown): TextBlock[] => (typeof system === 'string' ? [{ type: 'text', text: system }] : (system as TextBlock[]));
/** The persona block (`You are Muffin 🧁, a …`); the rules' "You are one expert …" is not one. */
const isPersona = (b: TextBlock): boolean => PERSONA.test(b.text);

/** `max_tokens` of the naive tool: large enough that no answer here is cut (tokens). */
export const NAIVE_MAX_TOKENS = 8192;

/** One answer of a round as the naive layout's model wrote it. */
export interface NaiveAnswer {
  expert: string;
  text: string;
}

/** Every answer of one round, in expert order, as one Markdown section. */
export function roundTranscript(answers: readonly NaiveAnswer[], round: number): string {
  const parts = [`## Round ${round} transcript`];
  for (const a of [...answers].sort((x, y) => x.expert.localeCompare(y.expert))) {
    parts.push('', `<response round="${round}" expert="${a.expert}">`, a.text.trim(), '</response>');
  }
  return parts.join('\n') + '\n';
}

/**
 * The naive body of one served expert call. `base` is the rules and question ({@link baseOf}).
 * With `cached`, a breakpoint sits after the transcript up to the previous round (after `base` in
 * round 0), so each round reads what the last one wrote and writes one more round. With
 * `blueLimits`, the request carries Blue's `max_tokens`, `thinking` and `output_config`.
 */
export function naiveBody(s: Served, base: string, transcripts: readonly string[], cached: boolean, blueLimits: boolean): Record<string, unknown> {
  const own = blocksOf(s.body.system).filter(isPersona).map((b) => ({ type: 'text' as const, text: b.text }));
  const shared: TextBlock[] = [{ type: 'text', text: base }, ...transcripts.slice(0, s.round).map((t) => ({ type: 'text' as const, text: t }))];
  if (cached) shared[shared.length - 1] = { ...shared[shared.length - 1]!, cache_control: { type: 'ephemeral' } };
  const body: Record<string, unknown> = { model: s.body.model, max_tokens: blueLimits ? s.body.max_tokens : NAIVE_MAX_TOKENS, system: [...shared, ...own], messages: plainMessages(s.body.messages) };
  if (blueLimits) {
    if (s.body.thinking !== undefined) body.thinking = s.body.thinking;
    if (s.body.output_config !== undefined) body.output_config = s.body.output_config;
  }
  return body;
}

/** The ask without any breakpoint Blue may have put in it: the naive layouts place their own. */
function plainMessages(messages: unknown): unknown {
  return (messages as { role: string; content: string | TextBlock[] }[]).map((m) =>
    typeof m.content === 'string' ? m : { ...m, content: m.content.map((b) => ({ type: 'text', text: b.text })) },
  );
}

/** Blue's answer-limit line in its stable head. */
const LIMIT_LINE = /^- Answer in at most \d+ words\.\n/m;

/**
 * Blue's round-0 system text minus the persona: the rules, grammar and question; without
 * `blueLimits`, minus Blue's answer-limit line too (a naive tool states none).
 * @throws Error when no round-0 expert call was served.
 */
export function baseOf(served: readonly Served[], blueLimits: boolean): string {
  const first = served.find((s) => s.purpose === 'expert' && s.round === 0);
  if (!first) throw new Error('no round-0 expert call was served');
  const base = blocksOf(first.body.system).filter((b) => !isPersona(b)).map((b) => b.text).join('');
  return blueLimits ? base : base.replace(LIMIT_LINE, '');
}
