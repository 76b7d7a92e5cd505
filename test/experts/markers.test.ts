import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintResponse, parseResponse, type EntityRef, type Marker } from '../../src/experts/index.ts';
import { BLUE_DIALOGUES } from '../fixture-paths.ts';

const fixtures = BLUE_DIALOGUES;
const dialogueDir = path.join(fixtures, fs.readdirSync(fixtures).find((d) => d.startsWith('2026-02-06T1839Z-'))!);

function responses(round: number): { file: string; text: string }[] {
  const dir = path.join(dialogueDir, `round-${round}`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md') && !f.endsWith('.prompt.md'))
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

const only = (text: string): Marker => {
  const { markers } = parseResponse(text);
  expect(markers).toHaveLength(1);
  return markers[0]!;
};
const refsOf = (text: string): Omit<EntityRef, 'raw'>[] => only(text).refs.map(({ raw: _raw, ...rest }) => rest);

describe('the recorded blue dialogue (rfc-0058)', () => {
  it('round 0: 10 files, 20 perspectives, 10 tensions, no findings', () => {
    const files = responses(0);
    expect(files).toHaveLength(10);
    const parsed = files.map((f) => parseResponse(f.text));
    const count = (kind: string) => parsed.flatMap((p) => p.markers).filter((m) => m.kind === kind).length;
    expect(count('perspective')).toBe(20);
    expect(count('tension')).toBe(10);
    expect(parsed.flatMap((p) => p.findings)).toEqual([]);
    for (const p of parsed) {
      expect(p.markers.map((m) => m.localId)).toEqual(['P01', 'P02', 'T01']);
      for (const m of p.markers) expect(m.body.length).toBeGreaterThan(100);
    }
  });

  it('round 3: 6 files, each converging', () => {
    const files = responses(3);
    expect(files).toHaveLength(6);
    for (const f of files) expect(parseResponse(f.text).markers.some((m) => m.kind === 'converge'), f.file).toBe(true);
  });

  it.each([0, 1, 2, 3])('round %i parses without findings', (round) => {
    for (const f of responses(round)) expect(lintResponse(f.text), `round-${round}/${f.file}`).toEqual([]);
  });

  it('reads galette round 1 with labels and bodies up to ---', () => {
    const text = responses(1).find((f) => f.file === 'galette.md')!.text;
    const { markers } = parseResponse(text);
    expect(markers.map((m) => m.kind)).toEqual(['perspective', 'perspective', 'tension', 'refinement', 'concession']);
    expect(markers[2]!.label).toBe('Prerequisite inversion');
    expect(markers[2]!.body).toMatch(/^The panel is debating which storage backend.*not been poured\.$/s);
    expect(markers[4]!.body).toMatch(/reset the implementation clock to zero\.$/);
    expect(markers[4]!.line).toBe(13);
  });
});

describe('marker variants', () => {
  it.each<[string, Partial<Marker>]>([
    ['[PERSPECTIVE P01: label]', { kind: 'perspective', localId: 'P01', label: 'label' }],
    ['[PERSPECTIVE P1: label]', { kind: 'perspective', localId: 'P01' }],
    ['[perspective  p2 :  spaced ]', { kind: 'perspective', localId: 'P02', label: 'spaced' }],
    ['[TENSION T01: a vs b]', { kind: 'tension', localId: 'T01', label: 'a vs b' }],
    ['[REFINEMENT P0102: how]', { kind: 'refinement', label: 'how' }],
    ['[REFINEMENT: text]', { kind: 'refinement', label: 'text', refs: [] }],
    ['[REFINEMENT]', { kind: 'refinement', label: '', refs: [] }],
    ['[CONCESSION P0003: fair]', { kind: 'concession', label: 'fair' }],
    ['[CONCESSION: plain]', { kind: 'concession', label: 'plain', refs: [] }],
    ['[RESOLVED T0001: how]', { kind: 'resolved', label: 'how' }],
    ['[RESOLVED: Refs table disagreement (Judge\'s remaining disagreement)]', { kind: 'resolved', label: "Refs table disagreement (Judge's remaining disagreement)", refs: [] }],
    ['[ACCEPTED UNRESOLVED T0004: why]', { kind: 'accepted', label: 'why' }],
    ['[MOVE:CONVERGE]', { kind: 'converge' }],
    ['[MOVE: CONVERGE]', { kind: 'converge' }],
    ['**Moves**: [MOVE:CONVERGE]', { kind: 'converge', column: 12 }],
    ['## [MOVE:CONVERGE]', { kind: 'converge', column: 4 }],
    ['[DISSENT: this is wrong]', { kind: 'dissent', label: 'this is wrong' }],
  ])('%s', (text, expected) => {
    expect(only(text)).toMatchObject(expected);
  });

  it.each<[string, Omit<EntityRef, 'raw'>[]]>([
    ['[REFINEMENT P0102: how]', [{ type: 'P', global: 'P0102' }]],
    ['[REFINEMENT on T01]', [{ type: 'T', local: 'T01' }]],
    ['[REFINEMENT T07]', [{ type: 'T', local: 'T07' }]],
    ['[CONCESSION on T02]', [{ type: 'T', local: 'T02' }]],
    ['[RESOLVED T1]', [{ type: 'T', local: 'T01' }]],
    ['[RESOLVED T06, T01]', [{ type: 'T', local: 'T06' }, { type: 'T', local: 'T01' }]],
    ['[RESOLVED T1/T4: both]', [{ type: 'T', local: 'T01' }, { type: 'T', local: 'T04' }]],
    ['[RESOLVED on T01 -- proposing resolution]', [{ type: 'T', local: 'T01' }]],
    ['[RESOLVED MUFFIN R1-T01]', [{ type: 'T', expert: 'muffin', round: 1, local: 'T01' }]],
    ['[RESOLVED: STRUDEL R1-T01 (trait shaped by workarounds)]', [{ type: 'T', expert: 'strudel', round: 1, local: 'T01' }]],
    [
      '[RESOLVED MUFFIN R1-T01, MACARON R1-T01, ECLAIR R1-T01: all three]',
      [
        { type: 'T', expert: 'muffin', round: 1, local: 'T01' },
        { type: 'T', expert: 'macaron', round: 1, local: 'T01' },
        { type: 'T', expert: 'eclair', round: 1, local: 'T01' },
      ],
    ],
    ['[RESOLVED GALETTE R1-T01: Prerequisite inversion]', [{ type: 'T', expert: 'galette', round: 1, local: 'T01' }]],
    ['[ACCEPTED UNRESOLVED T0004: why]', [{ type: 'T', global: 'T0004' }]],
    ['[REFINEMENT: CANNOLI-T01 partially answered]', [{ type: 'T', expert: 'cannoli', local: 'T01' }]],
    ['[CONCESSION: Muffin-T01 was right]', [{ type: 'T', expert: 'muffin', local: 'T01' }]],
    ['[REFINEMENT: builds on MUFFIN-P0101]', [{ type: 'P', expert: 'muffin', round: 1, local: 'P01' }]],
    ['[RESOLVED T01: MACARON-T01 (no rollback plan)]', [{ type: 'T', local: 'T01' }, { type: 'T', expert: 'macaron', local: 'T01' }]],
    ['[MOVE:DEFEND P0001]', [{ type: 'P', global: 'P0001' }]],
    ['[MOVE:CHALLENGE P0201]', [{ type: 'P', global: 'P0201' }]],
    ['[MOVE:BRIDGE P0001, P0104]', [{ type: 'P', global: 'P0001' }, { type: 'P', global: 'P0104' }]],
  ])('refs of %s', (text, expected) => {
    expect(refsOf(text)).toEqual(expected);
  });

  it('reads the move kinds', () => {
    expect(parseResponse('[MOVE:DEFEND P0001] [MOVE:CHALLENGE P0201] [MOVE:BRIDGE P0001, P0104]').markers.map((m) => m.kind)).toEqual([
      'defend',
      'challenge',
      'bridge',
    ]);
  });

  it('reads [CONVERGENCE CONFIRMED] as converge with a legacy warning', () => {
    const { markers, findings } = parseResponse('[CONVERGENCE CONFIRMED]');
    expect(markers.map((m) => m.kind)).toEqual(['converge']);
    expect(findings).toMatchObject([{ rule: 'legacy-marker', severity: 'warning', line: 1, column: 1 }]);
  });
});

describe('bodies and positions', () => {
  it('takes inline text and following lines up to the next marker, --- or a heading', () => {
    const text = [
      'Intro line.',
      '[PERSPECTIVE P01: first]',
      'Line one.',
      '',
      'Line two.',
      '[RESOLVED T0001] inline reason',
      'more reason',
      '---',
      'after the rule',
      '[CONCESSION: x] [MOVE:CONVERGE]',
      '## Heading',
      'ignored',
    ].join('\n');
    const { markers } = parseResponse(text);
    expect(markers.map((m) => [m.kind, m.line, m.column, m.body])).toEqual([
      ['perspective', 2, 1, 'Line one.\n\nLine two.'],
      ['resolved', 6, 1, 'inline reason\nmore reason'],
      ['concession', 10, 1, ''],
      ['converge', 10, 17, ''],
    ]);
  });

  it('skips code fences and inline code', () => {
    const text = ['```', '[PERSPECTIVE P01: in a fence]', '```', 'Use `[MOVE:CONVERGE]` when done.', '~~~md', '[TENSION T01: x]', '~~~'].join('\n');
    const { markers, findings } = parseResponse(text);
    expect(markers).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(['no-markers']);
  });

  it('does not flag links, checkboxes and footnote numbers', () => {
    expect(lintResponse('[PERSPECTIVE P01: a]\n- [x] done\n- [ ] open\nsee [the docs](https://x.y) and [1] and [ref][2] or [a note]')).toEqual([]);
  });
});

describe("blue's vocabulary (issue 8)", () => {
  it.each<[string, string, string[]]>([
    ['[ACKNOWLEDGED T09: Future work.]', 'deferred', ['T09']],
    ['**Move**: [DEFER] T09', 'deferred', ['T09']],
    ['[DEFER-TO-RFC T04: a later RFC]', 'deferred', ['T04']],
    ['[DEFERRED T0004: later]', 'deferred', ['T0004']],
    ['[RESOLUTION T03: a flag]', 'resolved', ['T03']],
    ['**Move**: [ACCEPT] T03', 'accepted', ['T03']],
    ['[ACCEPT T03: the cost is fine]', 'accepted', ['T03']],
    ['[CONCEDE: Muffin is right]', 'concession', []],
    ['[CONCEDES MUFFIN-T01: fair]', 'concession', ['MUFFIN-T01']],
    ['[MOVE:CONCEDE]', 'concession', []],
    ['[RE: MUFFIN-P01] agreed', 'crossref', ['MUFFIN-P01']],
    ['[RE:RESOLVE T1]', 'crossref', ['T1']],
  ])('%s → %s', (text, kind, refs) => {
    const { markers, findings } = parseResponse(text);
    expect(findings).toEqual([]);
    expect(markers).toHaveLength(1);
    expect(markers[0]!.kind).toBe(kind);
    expect(markers[0]!.refs.map((r) => r.raw)).toEqual(refs);
  });

  it('a TENSION naming an existing id is a mention, not a new tension', () => {
    expect(only('[TENSION T01-RESPONSE: the flag covers it]')).toMatchObject({ kind: 'tension', localId: 'T01', mentions: true });
    expect(only('[TENSION T0003: again]')).toMatchObject({ kind: 'tension', localId: 'T0003', mentions: true });
    expect(only('[TENSION T01: new]').mentions).toBeUndefined();
  });

  it('[ACCEPTED UNRESOLVED …] is still the acceptance marker, not ACCEPT', () => {
    expect(only('[ACCEPTED UNRESOLVED T0001: fine]')).toMatchObject({ kind: 'accepted', label: 'fine' });
  });
});

describe('findings', () => {
  it.each<[string, string, number]>([
    ['[PERSPECTIV P01: x]', 'unknown-marker', 1],
    ['text [ACKNOWLEGED T1]', 'unknown-marker', 6],
    ['[RESOLVD T1]', 'unknown-marker', 1],
    ['[MOVE:CONDITIONAL-CONVERGE]', 'unknown-marker', 1],
    ['[PERSPECTIVE: no id]', 'malformed-marker', 1],
    ['[TENSION T01 no colon]', 'malformed-marker', 1],
    ['ok [TENSION T01: never closed', 'malformed-marker', 4],
    ['[PERSPECTIVE P001: three digits]', 'malformed-marker', 1],
    ['[MOVE:BRIDGE P0001]', 'malformed-marker', 1],
    ['[ACCEPTED UNRESOLVED: no tension]', 'malformed-marker', 1],
  ])('%s → %s', (text, rule, column) => {
    const findings = lintResponse(text).filter((f) => f.rule !== 'no-markers');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule, line: 1, column });
  });

  it.each([
    ['[PERSPECTIV P01: x]', 'unknown marker word "PERSPECTIV" in [PERSPECTIV P01: x]; did you mean [PERSPECTIVE …]?'],
    ['[RESOLVD T1]', 'did you mean [RESOLVED …]?'],
    ['[CONCESION: x]', 'did you mean [CONCESSION …]?'],
    ['[TENSON T01: x]', 'did you mean [TENSION …]?'],
    ['[WIBBLE T01]', 'expected one of PERSPECTIVE, TENSION'],
  ])('%s names the fault and suggests the nearest valid marker', (text, message) => {
    expect(lintResponse(text)[0]!.message).toContain(message);
  });

  it('recovers malformed markers instead of dropping them', () => {
    expect(only('[TENSION T01 no colon]')).toMatchObject({ kind: 'tension', localId: 'T01', label: 'no colon' });
    expect(only('[PERSPECTIVE: no id]')).toMatchObject({ kind: 'perspective', label: 'no id' });
  });

  it('flags over-quota perspectives and tensions at the extra marker', () => {
    const text = '[PERSPECTIVE P01: a]\n[PERSPECTIVE P02: b]\n[PERSPECTIVE P03: c]\n[TENSION T01: d]\n[TENSION T02: e]';
    const findings = lintResponse(text);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['too-many-perspectives', 3],
      ['too-many-tensions', 5],
    ]);
    expect(parseResponse(text).markers).toHaveLength(5);
  });

  it('flags duplicate local ids, empty responses and responses without markers', () => {
    expect(lintResponse('[PERSPECTIVE P01: a]\n[PERSPECTIVE P1: b]').map((f) => f.rule)).toEqual(['duplicate-id']);
    expect(lintResponse('  \n')).toMatchObject([{ rule: 'empty-response', severity: 'error', line: 1, column: 1 }]);
    expect(lintResponse('Just prose.').map((f) => f.rule)).toEqual(['no-markers']);
  });
});
