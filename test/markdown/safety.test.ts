/** Untrusted text (labels, responses) must stay literal and must not break generated structure. */
import type { Heading, InlineCode, Nodes, Root, Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import {
  embedMarkdown,
  parseMarkdown,
  renderRecordedDialogue,
  renderRoundSummary,
  renderTensions,
} from '../../src/markdown/index.ts';
import { recorded, round1, tensionsView } from './fixtures.ts';

const NASTY = 'Pipes | and *stars* <script>alert(1)</script> [MOVE:CONVERGE] `tick`\nnew line';

function collect<T extends Nodes>(node: Nodes, type: T['type']): T[] {
  const out: T[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === type) out.push(n as T);
    if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}

function plain(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if ('children' in node) return node.children.map(plain).join('');
  return '';
}

function tableWithHeader(root: Root, first: string, second: string): Table {
  const found = collect<Table>(root, 'table').find((t) => {
    const cells = t.children[0]?.children ?? [];
    return plain(cells[0]!) === first && plain(cells[1]!) === second;
  });
  if (!found) throw new Error(`no table ${first} | ${second}`);
  return found;
}

describe('escaping of labels', () => {
  const flattened = NASTY.replace(/\s+/g, ' ');

  it('keeps a hostile tension label literal and the tension table intact', () => {
    const md = renderTensions({ title: 'T', tensions: [{ ...tensionsView.tensions[0]!, label: NASTY, resolution: NASTY }] });
    const root = parseMarkdown(md);
    const t = tableWithHeader(root, 'ID', 'Tension');
    expect(t.children).toHaveLength(2);
    for (const row of t.children) expect(row.children).toHaveLength(7);
    const row = t.children[1]!;
    expect(plain(row.children[1]!)).toBe(flattened);
    // The resolution cell renders the backtick span as code and keeps everything else literal.
    expect(plain(row.children[6]!)).toBe(flattened.replace('`tick`', 'tick'));
    expect(collect(row.children[6]!, 'inlineCode')).toHaveLength(1);
    // Nothing became HTML, a link or emphasis.
    expect(collect(root, 'html')).toHaveLength(0);
    expect(collect(root, 'link')).toHaveLength(0);
    expect(collect(root, 'emphasis')).toHaveLength(0);
    // Only the escaped form `\<script>` may appear in the source.
    expect(md).not.toMatch(/(^|[^\\])<script>/);
  });

  it('keeps hostile perspective labels, titles and reasons literal in a round summary', () => {
    const md = renderRoundSummary({
      ...round1,
      title: NASTY,
      perspectives: [{ ...round1.perspectives[0]!, label: NASTY, contributors: ['A|B'] }],
      absent: [{ expert: 'Macaron', reason: NASTY }],
    });
    const root = parseMarkdown(md);
    const t = tableWithHeader(root, 'ID', 'Perspective');
    expect(t.children[1]!.children).toHaveLength(3);
    expect(plain(t.children[1]!.children[1]!)).toBe(`${flattened} (refines P0001)`);
    expect(plain(t.children[1]!.children[2]!)).toBe('A|B');
    const title = root.children[0] as Heading;
    expect(title.depth).toBe(1);
    expect(plain(title)).toBe(`Round 1 Summary: ${flattened}`);
    expect(collect(root, 'html')).toHaveLength(0);
  });

  it('writes markers unescaped and never lets an embedded link definition turn them into links', () => {
    const md = renderTensions({ title: 'T', tensions: [{ ...tensionsView.tensions[0]!, label: '[MOVE:CONVERGE]' }] });
    expect(md).toContain('| [MOVE:CONVERGE] |');
    const hostile = renderRecordedDialogue({
      ...recorded,
      rounds: [{ ...recorded.rounds[0]!, contributions: [{ expert: 'Mallory', role: 'x', text: '[MOVE:CONVERGE]\n\n[MOVE:CONVERGE]: https://example.com\n' }] }],
    });
    const root = parseMarkdown(hostile);
    expect(collect(root, 'definition')).toHaveLength(0);
    expect(collect(root, 'linkReference')).toHaveLength(0);
    expect(collect(root, 'paragraph').map((n) => plain(n))).toContain('[MOVE:CONVERGE]: https://example.com');
  });

  it('keeps a blank code span in a resolution literal, so the file re-reads as written', () => {
    const md = renderTensions({ title: 'T', tensions: [{ ...tensionsView.tensions[0]!, resolution: 'use ` ` or `x`' }] });
    const [table] = collect<Table>(parseMarkdown(md), 'table');
    expect(plain(table!.children[1]!.children[6]!)).toBe('use ` ` or x');
    expect(collect<InlineCode>(parseMarkdown(md), 'inlineCode').map((c) => c.value)).toEqual(['x']);
  });
});

describe('embedded responses', () => {
  it('demotes headings by three, capped at six', () => {
    const nodes = embedMarkdown('# One\n\n## Two\n\n### Three\n\n###### Six\n\ntext', 3);
    const depths = nodes.filter((n): n is Heading => n.type === 'heading').map((h) => h.depth);
    expect(depths).toEqual([4, 5, 6, 6]);
  });

  it('nests a response under its contribution heading in the recorded dialogue', () => {
    const md = renderRecordedDialogue(recorded);
    const headings = collect<Heading>(parseMarkdown(md), 'heading');
    const muffin = headings.findIndex((h) => plain(h) === '🧁 Muffin (Platform Engineer)');
    expect(headings[muffin]!.depth).toBe(3);
    expect(headings[muffin + 1]).toMatchObject({ depth: 4 });
    expect(plain(headings[muffin + 1]!)).toBe('Position');
    expect(plain(headings[muffin + 2]!)).toBe('Risks');
    expect(headings[muffin + 2]!.depth).toBe(5);
    // No response heading climbs to the level of rounds or contributions.
    const roundIdx = headings.findIndex((h) => plain(h) === 'Round 1: Docker Required');
    expect(headings.slice(muffin + 1, roundIdx).every((h) => h.depth >= 3)).toBe(true);
  });

  it('keeps a response that opens a raw table or fence from swallowing the next contribution', () => {
    const md = renderRecordedDialogue({
      ...recorded,
      rounds: [
        {
          ...recorded.rounds[0]!,
          contributions: [
            { expert: 'Muffin', role: 'R', text: '```\nunterminated fence' },
            { expert: 'Cupcake', role: 'R', text: 'after' },
          ],
        },
      ],
    });
    const headings = collect<Heading>(parseMarkdown(md), 'heading').map(plain);
    expect(headings).toContain('🧁 Cupcake (R)');
    expect(headings).toContain('Scoreboard After Round 0');
  });

  it('renders an absent expert as an emphasised reason', () => {
    const md = renderRecordedDialogue(recorded);
    expect(md).toContain('### 🧁 Macaron (Startup CTO (Ship-Speed Pragmatist))\n\n*Absent: provider timeout after 3 attempts*');
  });
});
