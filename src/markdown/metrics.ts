/** Reads the metrics line of a generated round summary back into numbers. */
import { toString } from 'mdast-util-to-string';
import { parseMarkdown } from './processor.ts';
import type { RoundSummaryView } from './views.ts';

/** The headline numbers of a round summary, as written by `renderRoundSummary`. */
export type SummaryMetrics = Pick<RoundSummaryView, 'round' | 'score' | 'velocity' | 'total' | 'panelSize' | 'status'>;

const TITLE = /^Round (\d+) Summary\b/;
const LINE =
  /^ALIGNMENT Score: ([+-]?\d+) \(Velocity: ([+-]?\d+), Total: (-?\d+)\) \| Panel: (\d+) experts? \| Status: (.+)$/;


/**
 * Parses `markdown` (a `round-N/summary.md` we wrote) and returns the round from the
 * `# Round N Summary: …` heading plus the figures of the `**ALIGNMENT Score**: …` paragraph.
 * Works on the mdast text, so Markdown escapes in the title or status do not matter.
 * @returns the metrics, or `null` when either line is missing or malformed (never throws).
 */
export function parseSummaryMetrics(markdown: string): SummaryMetrics | null {
  const root = parseMarkdown(markdown);
  let round: number | undefined;
  for (const node of root.children) {
    if (node.type === 'heading' && node.depth === 1 && round === undefined) {
      const m = TITLE.exec(toString(node));
      if (m) round = Number(m[1]);
      continue;
    }
    if (node.type !== 'paragraph' || round === undefined) continue;
    const m = LINE.exec(toString(node).trim());
    if (!m) continue;
    return {
      round,
      score: Number(m[1]),
      velocity: Number(m[2]),
      total: Number(m[3]),
      panelSize: Number(m[4]),
      status: m[5] ?? '',
    };
  }
  return null;
}
