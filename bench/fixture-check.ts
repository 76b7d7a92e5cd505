/**
 * What the fixture's real dialogues asked for and got: how many expert prompts asked for "two to
 * four sentences" per perspective, and how long the answers ran. The cost bench prints it so the
 * reader sees that real answers overrun the sentence counts their prompts asked for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isResponseFile } from '../src/llm/recording.ts';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'blue-dialogues');

/** The files `keep` accepts in every `round-N/` folder of every fixture dialogue (name order), with their text. */
export function fixtureRoundFiles(keep: (name: string) => boolean): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dialogue of fs.readdirSync(FIXTURE, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = path.join(FIXTURE, dialogue.name);
    for (const round of fs.readdirSync(dir).filter((f) => /^round-\d+$/.test(f)).sort()) {
      for (const name of fs.readdirSync(path.join(dir, round)).filter(keep).sort()) out.push({ name, text: fs.readFileSync(path.join(dir, round, name), 'utf8') });
    }
  }
  return out;
}

/** Word counts of a set of texts. */
export interface WordStats {
  n: number;
  median: number;
  p90: number;
  max: number;
}

/** Stats of no texts. */
export const NO_WORDS: WordStats = { n: 0, median: 0, p90: 0, max: 0 };

/** Words, not counting the closing `---` line. */
const wordsIn = (text: string): number => text.replace(/^\s*---\s*$/gm, '').split(/\s+/).filter(Boolean).length;

/** Median, p90 (nearest rank) and max words of `texts`. */
export function wordStats(texts: readonly string[]): WordStats {
  const w = texts.map(wordsIn).sort((a, b) => a - b);
  if (w.length === 0) return NO_WORDS;
  const rank = (q: number): number => w[Math.min(w.length - 1, Math.ceil(q * w.length) - 1)]!;
  return { n: w.length, median: rank(0.5), p90: rank(0.9), max: w.at(-1)! };
}

/** The fixture check's figures. */
export interface FixtureCheck {
  prompts: number;
  /** Prompts whose grammar asks for "two to four sentences" for the first perspective. */
  askTwoToFour: number;
  answers: WordStats;
  /** Sentences under each `[PERSPECTIVE …]` marker: median and max. */
  perspectiveSentences: { median: number; max: number };
}

/** Sentences of each perspective block (text under a `[PERSPECTIVE` line up to the next marker or `---`). */
function perspectiveSentences(answer: string): number[] {
  return answer
    .split(/^(?=\[)/m)
    .filter((b) => /^\[PERSPECTIVE/i.test(b))
    .map((b) => (b.replace(/^\[[^\]]*\]/, '').split(/^---/m)[0]!.match(/[.!?](\s|$)/g) ?? []).length);
}

/** Reads every round of every fixture dialogue. */
export function fixtureCheck(): FixtureCheck {
  const answers: string[] = [];
  let prompts = 0;
  let askTwoToFour = 0;
  for (const { name, text } of fixtureRoundFiles((f) => isResponseFile(f) || f.endsWith('.prompt.md'))) {
    if (isResponseFile(name)) answers.push(text);
    else {
      prompts++;
      if (/two to four sentences/i.test(text)) askTwoToFour++;
    }
  }
  const sentences = answers.flatMap(perspectiveSentences).sort((a, b) => a - b);
  return { prompts, askTwoToFour, answers: wordStats(answers), perspectiveSentences: { median: sentences[Math.floor(sentences.length / 2)] ?? 0, max: sentences.at(-1) ?? 0 } };
}
