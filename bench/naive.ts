/**
 * The comparison layouts: the same expert calls (same personas, asks and answers) as if every
 * call carried the whole transcript: the rules and question, then every earlier round's answers,
 * then the persona and the ask. Built as Messages API bodies so the bench's cache bills them by
 * the same rules as Blue's own requests.
 */
import { PERSONA, type Served } from './messages-sim.ts';

type TextBlock = { type: 'text'; text: string; cache_control?: { type: 'ephemeral' } };
const blocksOf = (system: unknown): TextBlock[] => (typeof system === 'string' ? [{ type: 'text', text: system }] : (system as TextBlock[]));
/** The persona block (`You are Muffin 🧁, a …`); the rules' "You are one expert …" is not one. */
const isPersona = (b: TextBlock): boolean => PERSONA.test(b.text);

/** Every answer of one round, in expert order, as one Markdown section. */
export function roundTranscript(served: readonly Served[], round: number): string {
  const parts = [`## Round ${round} transcript`];
  for (const s of served.filter((x) => x.purpose === 'expert' && x.round === round).sort((a, b) => a.expert.localeCompare(b.expert))) {
    parts.push('', `<response round="${round}" expert="${s.expert}">`, s.text.trim(), '</response>');
  }
  return parts.join('\n') + '\n';
}

/**
 * The naive body of one served expert call. `base` is the rules and question (Blue's round-0
 * shared text). With `cached`, a breakpoint sits after the transcript up to the previous round
 * (after `base` in round 0), so each round reads what the last one wrote and writes one more round.
 */
export function naiveBody(s: Served, base: string, transcripts: readonly string[], cached: boolean): Record<string, unknown> {
  const own = blocksOf(s.body.system).filter(isPersona).map((b) => ({ type: 'text' as const, text: b.text }));
  const shared: TextBlock[] = [{ type: 'text', text: base }, ...transcripts.slice(0, s.round).map((t) => ({ type: 'text' as const, text: t }))];
  if (cached) shared[shared.length - 1] = { ...shared[shared.length - 1]!, cache_control: { type: 'ephemeral' } };
  return { model: s.body.model, max_tokens: s.body.max_tokens, system: [...shared, ...own], messages: plainMessages(s.body.messages) };
}

/** The ask without any breakpoint Blue may have put in it: the naive layouts place their own. */
function plainMessages(messages: unknown): unknown {
  return (messages as { role: string; content: string | TextBlock[] }[]).map((m) =>
    typeof m.content === 'string' ? m : { ...m, content: m.content.map((b) => ({ type: 'text', text: b.text })) },
  );
}

/** Blue's round-0 system text minus the persona: the rules, grammar and question. */
export function baseOf(served: readonly Served[]): string {
  const first = served.find((s) => s.purpose === 'expert' && s.round === 0);
  if (!first) throw new Error('no round-0 expert call was served');
  return blocksOf(first.body.system).filter((b) => !isPersona(b)).map((b) => b.text).join('');
}
