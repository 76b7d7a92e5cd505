/**
 * Golden files pin every document format byte for byte. `UPDATE_GOLDEN=1 npx vitest run test/markdown`
 * rewrites them; inspect the diff before keeping it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const here = fileURLToPath(new URL('.', import.meta.url));
const goldenDir = path.resolve(here, '../golden/markdown');

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
      const target = path.join(goldenDir, file);
      if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(target)) {
        fs.mkdirSync(goldenDir, { recursive: true });
        fs.writeFileSync(target, actual);
      }
      expect(actual).toBe(fs.readFileSync(target, 'utf8'));
    });

    it(`${file} is stable under re-parse and re-stringify`, () => {
      const actual = render();
      expect(stringifyMarkdown(parseMarkdown(actual))).toBe(actual);
    });
  }
});
