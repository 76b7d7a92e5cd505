/**
 * The comparison layout: what an expert prompt would cost if every call carried the whole
 * transcript (rules + question + every earlier response of every round + persona + ask)
 * instead of our bounded, cached context.
 */
import { sharedPrefix } from '../src/experts/prompt.ts';
import type { CompletionRequest } from '../src/llm/port.ts';

/** Same estimate as the fake provider: ~4 characters per token, rounded up. */
export const tokensOf = (chars: number): number => Math.ceil(chars / 4);

/** One stored answer of the transcript. */
export interface TranscriptEntry {
  round: number;
  expert: string;
  text: string;
}

/** Rules, grammar and question with no dialogue history: `sharedPrefix` of an empty context. */
export function baseText(question: string, round: number, maxRounds: number): string {
  return sharedPrefix({ question, constraints: [], sources: [], round, maxRounds, previousSummary: null, openTensions: [], perspectives: [], peerResponses: [] });
}

/** Every response of rounds before `round`, in order, as one Markdown section. */
export function transcriptText(entries: readonly TranscriptEntry[], round: number): string {
  const earlier = entries.filter((e) => e.round < round);
  if (earlier.length === 0) return '';
  const parts = ['', '## Transcript so far'];
  for (const e of earlier) parts.push('', `<response round="${e.round}" expert="${e.expert}">`, e.text.trim(), '</response>');
  return parts.join('\n') + '\n';
}

/**
 * Input tokens of the naive prompt for the same expert call: base + full transcript, then the
 * request's own persona (the last system block) and user message, so only the shared context differs.
 */
export function naiveInputTokens(req: CompletionRequest, question: string, maxRounds: number, transcript: readonly TranscriptEntry[]): number {
  const round = req.meta.round ?? 0;
  const perExpert = req.system.slice(-1).map((b) => b.text).join('') + req.messages.map((m) => m.content).join('');
  return tokensOf(baseText(question, round, maxRounds).length + transcriptText(transcript, round).length + perExpert.length);
}
