/**
 * Every marker the parser reads (experts/markers.ts: the grammar and blue's variants, in any
 * case) stays unescaped when Markdown is written, so a written response parses to the same
 * markers as the text it came from.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKER_WORDS, parseResponse } from '../../src/experts/index.ts';
import { stringifyMarkdown } from '../../src/markdown/index.ts';

/** One marker per head the parser recognises (classify() and VARIANTS in markers.ts). */
const MARKERS = [
  '[PERSPECTIVE P01: a label]',
  '[TENSION T01: a label]',
  '[REFINEMENT P01]',
  '[CONCESSION P02]',
  '[CONCEDE P02]',
  '[CONCEDES P02]',
  '[CONCEDED P02]',
  '[RESOLVED T01]',
  '[RESOLUTION T01]',
  '[RESOLVE T01]',
  '[RESOLVES T01]',
  '[ACCEPTED UNRESOLVED T0001: why]',
  '[ACCEPT T01]',
  '[ACCEPTS T01]',
  '[ACCEPTED T01]',
  '[ACKNOWLEDGED T01]',
  '[DEFER-TO-RFC T01]',
  '[DEFER T01]',
  '[DEFERS T01]',
  '[DEFERRED T01]',
  '[MOVE:CONVERGE]',
  '[MOVE:DEFEND P01]',
  '[MOVE: CHALLENGE P01]',
  '[MOVE : BRIDGE P01]',
  '[DISSENT: not yet]',
  '[RE: P01]',
  '[RE : T01]',
  '[CONVERGENCE CONFIRMED]',
  '[ DEFERRED T01]',
];

/** What the parser reads from `text`: marker kinds with their refs, and legacy-marker findings. */
function read(text: string): unknown {
  const r = parseResponse(text);
  return { markers: r.markers.map((m) => ({ kind: m.kind, refs: m.refs, localId: m.localId })), legacy: r.findings.filter((f) => f.rule === 'legacy-marker').length };
}

function written(text: string): string {
  return stringifyMarkdown([{ type: 'paragraph', children: [{ type: 'text', value: text }] }]);
}

describe('marker escaping covers every marker the parser reads', () => {
  it('the table has a marker for every word of the grammar', () => {
    for (const word of MARKER_WORDS) expect(MARKERS.some((m) => m.toUpperCase().replace(/\s*:\s*/, ':').startsWith(`[${word.replace(' :', ':')}`))).toBe(true);
  });

  it.each(MARKERS)('%s is read by the parser and written unescaped', (marker) => {
    for (const m of [marker, marker.toLowerCase()]) {
      const text = `Before ${m} after.`;
      expect(parseResponse(text).markers.length).toBeGreaterThan(0);
      const out = written(text);
      expect(out).toContain(m);
      expect(read(out)).toEqual(read(text));
    }
  });

  it('CONVERGENCE PROPOSAL keeps its legacy finding when written', () => {
    const text = 'We have [CONVERGENCE PROPOSAL] here.';
    expect(read(written(text))).toEqual(read(text));
    expect(read(text)).toMatchObject({ legacy: 1 });
  });

  it('any case and any label: the written text reads as the original', () => {
    const casing = fc.array(fc.boolean(), { minLength: 40, maxLength: 40 });
    // Characters remark writes as they are (`*`, `_` may be escaped anywhere in text, not only in markers).
    const label = fc.string({ unit: fc.constantFrom(...'ab Z09:,-.'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(fc.constantFrom(...MARKERS), casing, label, (marker, upper, tail) => {
        const cased = [...marker].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase())).join('');
        const text = `${cased.slice(0, -1)}${tail.replace(/\s+$/, '')}] and on`;
        expect(read(written(text))).toEqual(read(text));
      }),
      { numRuns: 300 },
    );
  });
});
