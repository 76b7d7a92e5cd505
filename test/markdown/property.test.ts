/** Arbitrary labels and responses never change a document's table shape or break idempotence. */
import fc from 'fast-check';
import type { Nodes, Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import {
  parseMarkdown,
  renderRecordedDialogue,
  renderTensions,
  renderVerdict,
  stringifyMarkdown,
} from '../../src/markdown/index.ts';
import { recorded, tensionsView, verdict } from './fixtures.ts';

const label = fc.string({ unit: fc.constantFrom(...'ab |*_`<>[]()!#\\-:\n\t0'.split('')), minLength: 1, maxLength: 30 });

function tables(node: Nodes): Table[] {
  if (node.type === 'table') return [node];
  return 'children' in node ? node.children.flatMap((c) => tables(c)) : [];
}

function plain(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  return 'children' in node ? node.children.map(plain).join('') : '';
}

describe('arbitrary text', () => {
  it('tension labels keep 7 cells per row and read back as the flattened label', () => {
    fc.assert(
      fc.property(label, label, (l, r) => {
        const md = renderTensions({ title: 'x', tensions: [{ ...tensionsView.tensions[0]!, label: l, resolution: r }] });
        const [t] = tables(parseMarkdown(md));
        expect(t?.children).toHaveLength(2);
        for (const row of t!.children) expect(row.children).toHaveLength(7);
        const flat = (s: string): string => s.replace(/\s+/g, ' ').trim();
        expect(plain(t!.children[1]!.children[1]!)).toBe(flat(l) || '—');
        // Resolutions render backtick code spans as code (blank spans and spans with `\\|` stay literal); the rest stays literal.
        const unticked = (x: string): string => x.replace(/(`+)(?!`)(.+?)(?<!`)\1(?!`)/g, (m, _t, c: string) => (/\\\|/.test(c) ? m : c.trim() || m));
        if (flat(r) !== '') expect(plain(t!.children[1]!.children[6]!)).toBe(unticked(flat(r)));
        expect(stringifyMarkdown(parseMarkdown(md))).toBe(md);
      }),
      { numRuns: 150 },
    );
  });

  it('verdicts with arbitrary insights and decisions are idempotent', () => {
    fc.assert(
      fc.property(label, label, (a, b) => {
        const md = renderVerdict({
          ...verdict,
          title: a,
          decisions: [{ topic: a, decision: b, rationale: a, sources: [b] }],
          keyInsights: [{ expert: a, round: 1, text: b }],
        });
        expect(stringifyMarkdown(parseMarkdown(md))).toBe(md);
        expect(md.split('\n')[0]).toMatch(/^# Verdict: CONVERGED —/);
      }),
      { numRuns: 60 },
    );
  });

  it('recorded dialogues with arbitrary responses are idempotent', () => {
    const response = fc.string({ unit: fc.constantFrom(...'a #*-1.>`|[]\n\n'.split('')), maxLength: 60 });
    fc.assert(
      fc.property(response, (text) => {
        const md = renderRecordedDialogue({
          ...recorded,
          rounds: [{ ...recorded.rounds[0]!, contributions: [{ expert: 'Muffin', role: 'R', text }, { expert: 'Scone', role: 'S', text: 'ok' }] }],
        });
        expect(stringifyMarkdown(parseMarkdown(md))).toBe(md);
      }),
      { numRuns: 60 },
    );
  });
});
