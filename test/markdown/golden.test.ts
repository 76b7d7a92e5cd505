/**
 * Golden files pin every document format byte for byte. `UPDATE_GOLDENS=1 npx vitest run test/markdown`
 * rewrites them; inspect the diff before keeping it.
 */
import { describe, expect, it } from 'vitest';
import {
  parseMarkdown,
  renderRecordedDialogue,
  renderRoundSummary,
  renderScoreboard,
  renderTensions,
  renderVerdict,
  stringifyMarkdown,
} from '../../src/markdown/index.ts';
import { forcedVerdict, recorded, round0, round1, round2, scoreboard, tensionsView, verdict } from './fixtures.ts';
import { readGolden } from '../golden.ts';


const cases: [string, () => string][] = [
  ['round-0.summary.md', () => renderRoundSummary(round0)],
  ['round-1.summary.md', () => renderRoundSummary(round1)],
  ['round-2.summary.md', () => renderRoundSummary(round2)],
  ['scoreboard.md', () => renderScoreboard(scoreboard)],
  ['tensions.md', () => renderTensions(tensionsView)],
  ['verdict.md', () => renderVerdict(verdict)],
  ['verdict-forced.md', () => renderVerdict(forcedVerdict)],
  ['dialogue.recorded.md', () => renderRecordedDialogue(recorded)],
];

describe('golden documents', () => {
  for (const [file, render] of cases) {
    it(`${file} matches its golden file`, () => {
      const actual = render();
      expect(actual).toBe(readGolden(`markdown/${file}`, actual));
    });

    it(`${file} is stable under re-parse and re-stringify`, () => {
      const actual = render();
      expect(stringifyMarkdown(parseMarkdown(actual))).toBe(actual);
    });
  }
});
