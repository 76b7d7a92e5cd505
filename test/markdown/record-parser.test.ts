/** Reading blue's recorded inline dialogues (`fixtures/blue-records/`) back into rounds of expert responses. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResponse } from '../../src/experts/markers.ts';
import { type DialogueRecord, parseDialogueRecord, recordLocation } from '../../src/markdown/record-parser.ts';
import { BLUE_RECORDS } from '../fixture-paths.ts';

const SPIKE = '2026-01-26T2128Z-spike-resolved-lifecycle.dialogue.recorded.md';
const ADR = '2026-01-27T2229Z-adr-architecture-review-greenfield-claude-as-implementer.dialogue.recorded.md';
const MERMAID = '2026-01-30T1730Z-rfc-0043-mermaid-diagram-standards.dialogue.recorded.md';
const SYNC = 'rfc-document-import-sync.dialogue.recorded.md';
const REALMS = 'cross-repo-realms-refinement.dialogue.recorded.md';

const text = (file: string) => fs.readFileSync(path.join(BLUE_RECORDS, file), 'utf8');
const parse = (file: string) => parseDialogueRecord(text(file));
const counts = (r: DialogueRecord) => r.rounds.map((x) => x.responses.length);
const markers = (r: DialogueRecord) => r.rounds.flatMap((x) => x.responses).reduce((n, x) => n + parseResponse(x.text).markers.length, 0);
const allText = (r: DialogueRecord) => r.rounds.flatMap((x) => x.responses.map((y) => y.text)).join('\n');
const PASTRIES16 = ['muffin', 'cupcake', 'scone', 'eclair', 'donut', 'brioche', 'croissant', 'macaron', 'cannoli', 'strudel', 'beignet', 'churro', 'profiterole', 'tartlet', 'galette', 'palmier'];

// Expected figures read off each file by hand: speakers per round heading, and markers counted
// with grep over the round sections ([CONVERGENCE PROPOSAL] is not a marker of the grammar).
const CASES = [
  { file: SPIKE, rounds: [3, 3, 3], panel: ['muffin', 'cupcake', 'scone'], markers: 29, judge: ['Alignment Scoreboard', 'Converged Recommendation'], notInResponses: ['Implementation Plan', 'Total ALIGNMENT'] },
  { file: ADR, rounds: [16, 2], panel: PASTRIES16, markers: 61, judge: ['Judge Summary: Round 0', 'Judge: Final Convergence Declaration'], notInResponses: ['Convergence Signal: STRONG', 'DO NOT create new ADRs'] },
  { file: MERMAID, rounds: [5, 5, 5], panel: ['muffin', 'cupcake', 'scone', 'eclair', 'donut'], markers: 57, judge: ['Judge: Round 0 Synthesis', 'Judge: Round 1 Synthesis', 'Judge: Convergence Declaration'], notInResponses: ['Near-resolved', 'RFC Amendments Required'] },
  { file: SYNC, rounds: [6, 6], panel: ['muffin', 'scone', 'eclair', 'brioche', 'croissant', 'macaron'], markers: 58, judge: ['Judge Round 0 Summary', 'Judge: Converged Recommendation'], notInResponses: ['UNANIMOUS CONSENSUS', 'CONVERGENCE: 97%'] },
  { file: REALMS, rounds: [6, 6, 6, 4, 0, 0, 4, 5, 4, 4, 5, 0], panel: ['alex', 'barbara', 'carl', 'diana', 'erik', 'fiona', 'greg', 'helen', 'ivan', 'julia', 'kevin', 'laura'], markers: 0, judge: ['Facilitator', 'Scoreboard After Round 1', 'Decision 1', 'Final Scoreboard'], notInResponses: ['Initial reactions?', 'Hybrid wins (7-5)', 'Decision: Caching'] },
];

describe('parseDialogueRecord on the five records', () => {
  for (const c of CASES) {
    it(`${c.file.slice(0, 40)}…: rounds, panel, responses per round, markers, judge sections apart`, () => {
      const r = parse(c.file);
      expect(counts(r)).toEqual(c.rounds);
      expect(r.panel.map((s) => s.name)).toEqual(c.panel);
      expect(markers(r)).toBe(c.markers);
      for (const title of c.judge) expect(r.judgeSections.map((j) => j.title)).toContain(title);
      for (const snippet of c.notInResponses) expect(allText(r)).not.toContain(snippet);
      for (const round of r.rounds) for (const resp of round.responses) expect(c.panel).toContain(resp.expert);
    });
  }

  it('reads the panel table: roles, tiers, relevance; the judge is not a panel member', () => {
    const r = parse(SPIKE);
    expect(r.panel).toEqual([
      { name: 'muffin', display: 'Muffin', role: 'Systems Thinker', tier: 'Core', relevance: 0.95, emoji: '🧁' },
      { name: 'cupcake', display: 'Cupcake', role: 'Domain Expert', tier: 'Adjacent', relevance: 0.7, emoji: '🧁' },
      { name: 'scone', display: 'Scone', role: "Devil's Advocate", tier: 'Wildcard', relevance: 0.4, emoji: '🧁' },
    ]);
    expect(r.title).toBe('Spike Resolved Lifecycle');
    expect(r.rounds.map((x) => [x.number, x.title, x.line])).toEqual([
      [0, 'Round 0: Opening Arguments', 52],
      [1, 'Round 1', 101],
      [2, 'Round 2', 135],
    ]);
  });

  it('the transcript: full names with domains, first-name file stems, rounds numbered as written, no tiers', () => {
    const r = parse(REALMS);
    expect(r.panel[0]).toEqual({ name: 'alex', display: 'Alex Chen', role: 'Distributed Systems', focus: 'Consistency, failure modes, CAP tradeoffs', id: 'A' });
    expect(r.rounds.map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.question).toBe('Refine RFC 0001 proposal for cross-repo coordination');
    // `**Barbara Liskov + Erik Meijer (joint):**` is a response of both
    const r3 = r.rounds[2]!.responses;
    expect(r3.map((x) => x.expert)).toEqual(['alex', 'greg', 'barbara', 'erik', 'fiona', 'laura']);
    expect(r3.find((x) => x.expert === 'barbara')!.text).toBe(r3.find((x) => x.expert === 'erik')!.text);
    // `**Kevin:** Satisfied.` after the facilitator's decision is Kevin's second turn of round 7
    const kevin = r.rounds[6]!.responses.find((x) => x.expert === 'kevin')!;
    expect(kevin.text.startsWith("Here's my detailed proposal for the caching layer:")).toBe(true);
    expect(kevin.text.endsWith('Satisfied. SQLite is the right choice.')).toBe(true);
    // labels that name no panel member (`**Proposal:**`, `**Counter-proposal:**`) stay inside the response
    expect(r.rounds[3]!.responses[0]!.text).toContain('**Counter-proposal:** Hybrid approach:');
  });

  it('the record without a panel table takes its panel from the participants line and its question from the header', () => {
    const r = parse(SYNC);
    expect(r.panel.map((s) => s.display)).toEqual(['Muffin', 'Scone', 'Eclair', 'Brioche', 'Croissant', 'Macaron']);
    expect(r.panel.every((s) => s.role === undefined && s.tier === undefined)).toBe(true);
    expect(r.question).toBe('What is the right approach to reconcile filesystem and database state?');
    expect(r.rounds.map((x) => x.title)).toEqual(['Opening Arguments (Round 0)', 'Round 1: Implementation Convergence']);
    // a `---` inside a response is kept; the separator before the next speaker is not
    const brioche = r.rounds[0]!.responses.find((x) => x.expert === 'brioche')!;
    expect(brioche.text).toContain('\n---\n');
    expect(brioche.text.trimEnd().endsWith('---')).toBe(false);
  });

  it('every line of every response is the file line its lineMap names (findings can point at the file)', () => {
    for (const c of CASES) {
      const lines = text(c.file).split('\n');
      for (const resp of parse(c.file).rounds.flatMap((x) => x.responses)) {
        const own = resp.text.split('\n');
        expect(resp.lineMap).toHaveLength(own.length);
        expect(resp.line).toBe(resp.lineMap[0]);
        own.forEach((l, i) => {
          if (l === '') return; // the blank line joining two turns of one speaker
          expect(lines[resp.lineMap[i]! - 1]!.slice(resp.columnShift[i]!)).toBe(l);
        });
      }
    }
  });

  it('recordLocation maps a marker finding to the record file', () => {
    const r = parse(MERMAID);
    const cupcake = r.rounds[1]!.responses.find((x) => x.expert === 'cupcake')!;
    const finding = parseResponse(cupcake.text).findings.find((f) => f.rule === 'malformed-marker')!;
    expect(recordLocation(cupcake, finding.line, finding.column)).toEqual({ line: 144, column: 3 });
    expect(text(MERMAID).split('\n')[143]).toBe('- [PERSPECTIVE P11]: LR orientation serves legitimate horizontal architectures');
  });

  it('a `**Kevin:** text` turn that starts mid-line keeps its column', () => {
    const md = ['## Expert Panel', '', '| Expert | Domain |', '|---|---|', '| **Kevin Ng** | Build |', '', '## Round 1', '', '**Kevin:** Satisfied [TENSION T1 no colon]'].join('\n');
    const resp = parseDialogueRecord(md).rounds[0]!.responses[0]!;
    expect(resp.text).toBe('Satisfied [TENSION T1 no colon]');
    const f = parseResponse(resp.text).findings.find((x) => x.rule === 'malformed-marker')!;
    expect(recordLocation(resp, f.line, f.column)).toEqual({ line: 9, column: 22 });
    expect(md.split('\n')[8]!.slice(21, 29)).toBe('[TENSION');
  });

  it('a `| ID | Expert | Perspective |` panel: speakers labelled by ID, the expert column as role, the question from a header table', () => {
    const md = [
      '# Alignment Dialogue: Widgets',
      '',
      '| Topic | How should widgets sync? |',
      '|---|---|',
      '| Format | 2 experts |',
      '',
      '## Expert Panel',
      '',
      '| ID | Expert | Perspective |',
      '|----|--------|-------------|',
      '| DS | Distributed Systems Architect | Consistency |',
      '| SE | Security Engineer | Trust |',
      '',
      '## Round 1: Framing',
      '',
      '**Facilitator:** Go.',
      '',
      '**DS (Distributed Systems):** Event logs. [PERSPECTIVE P01: logs]',
      '',
      '**SE (Security):** Zero trust.',
    ].join('\n');
    const r = parseDialogueRecord(md);
    expect(r.question).toBe('How should widgets sync?');
    expect(r.panel.map((s) => [s.name, s.display, s.role])).toEqual([
      ['ds', 'DS', 'Distributed Systems Architect'],
      ['se', 'SE', 'Security Engineer'],
    ]);
    expect(r.rounds[0]!.responses.map((x) => [x.expert, x.text, x.line])).toEqual([
      ['ds', 'Event logs. [PERSPECTIVE P01: logs]', 18],
      ['se', 'Zero trust.', 20],
    ]);
  });

  it('a record with judge sections only has no responses', () => {
    const md = ['# Alignment Dialogue: X', '', '## 💙 Judge Summary: Round 0', '', 'All agree.', '', '## Round 1', '', '**Facilitator:** Go on.', '', '### Scoreboard After Round 1', '', 'text'].join('\n');
    const r = parseDialogueRecord(md);
    expect(counts(r)).toEqual([0]);
    expect(r.judgeSections.map((j) => j.title)).toEqual(['Judge Summary: Round 0', 'Facilitator', 'Scoreboard After Round 1']);
  });

  it('reads our own records: `### 🧁 Name (Role)` speakers, `### Scoreboard After Round N` apart, headings inside a response kept', () => {
    const md = [
      '# Alignment Dialogue: Q',
      '',
      '## Expert Panel',
      '',
      '| Expert | Role | Tier | Relevance | Source | First Round |',
      '| - | - | - | -: | - | - |',
      '| 🧁 Muffin | API Architect | Core | 0.95 | pool | R0 |',
      '',
      '## Round 0: Opening Arguments',
      '',
      '**Facilitator:** Opening.',
      '',
      '### 🧁 Muffin (API Architect)',
      '',
      '#### Why',
      '',
      '[PERSPECTIVE P01: a] body',
      '',
      '### Scoreboard After Round 0',
      '',
      '| Expert | Score |',
    ].join('\n');
    const r = parseDialogueRecord(md);
    expect(r.panel.map((s) => [s.name, s.role, s.tier])).toEqual([['muffin', 'API Architect', 'Core']]);
    expect(r.rounds[0]!.responses.map((x) => [x.expert, x.text, x.line])).toEqual([['muffin', '#### Why\n\n[PERSPECTIVE P01: a] body', 15]]);
    expect(r.judgeSections.map((j) => j.title)).toEqual(['Facilitator', 'Scoreboard After Round 0']);
  });

  it('inside a `### Name` response an expert\'s own `**Summary:**` stays theirs; a `**Facilitator:**` label ends it', () => {
    const md = ['## Round 0', '', '### 🧁 Muffin', '', 'Text.', '', '**Summary:** mine.', '', '**Facilitator:** Next question.', '', 'Not Muffin.'].join('\n');
    const r = parseDialogueRecord(md);
    expect(r.rounds[0]!.responses.map((x) => x.text)).toEqual(['Text.\n\n**Summary:** mine.']);
    expect(r.judgeSections.map((j) => j.title)).toEqual(['Facilitator']);
  });
});
