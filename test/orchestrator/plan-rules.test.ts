/** The bookkeeping rules of the round planner, each a pure function, table-driven (issue 8). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResponse, scanRefs } from '../../src/experts/markers.ts';
import { containment, similarity, stems } from '../../src/orchestrator/plan/lexical.ts';
import { hasLocalTable, mapRows, promptRows } from '../../src/orchestrator/plan/prompt-table.ts';
import { resolveRef, type ResolveContext } from '../../src/orchestrator/plan/resolve.ts';
import { mergeTarget, namedTension, statusChange, supersedes } from '../../src/orchestrator/plan/rules.ts';
import type { PlanTension } from '../../src/orchestrator/plan/types.ts';
import { BLUE_RECORDS } from '../fixture-paths.ts';

const tension = (id: string, owner: string, round: number, localId: string, label: string, status: PlanTension['status'] = 'open'): PlanTension => ({ id, round, owner, localId, label, body: '', status });

const TENSIONS: PlanTension[] = [
  tension('T0001', 'muffin', 0, 'T01', 'Sync direction between repos'),
  tension('T0002', 'cupcake', 0, 'T01', 'Conflict resolution on concurrent edits'),
  tension('T0101', 'muffin', 1, 'T01', 'Cache invalidation across realms'),
  tension('T0201', 'muffin', 2, 'T01', 'Raised in this very round'),
];

const ctx = (over: Partial<ResolveContext> = {}): ResolveContext => ({ writer: 'muffin', round: 2, tensions: TENSIONS, perspectives: [], table: [], ...over });
const ref = (text: string) => scanRefs(text, true)[0]!;

describe('resolveRef: by what the expert saw', () => {
  const table = mapRows(promptRows('| ID | Tension |\n|---|---|\n| T01 | **Conflict resolution** on concurrent edits |\n| T02 | Sync direction |\n| T03 | Something nobody raised |'), TENSIONS, []);

  it.each<[string, Partial<ResolveContext>, string | null, string]>([
    ['T0002', {}, 'T0002', 'global-id'],
    ['T0201', {}, null, 'unresolved'], // a global id of the current round: the expert could not have seen it
    ['T01', {}, 'T0101', 'own-earlier'], // no table: the writer's own latest earlier T01, never this round's
    ['T01', { round: 1 }, 'T0001', 'own-earlier'],
    ['T01', { writer: 'scone' }, null, 'unresolved'],
    ['CUPCAKE-T01', {}, 'T0002', 'expert-qualified'],
    ['MUFFIN R1-T01', {}, 'T0101', 'expert-qualified'],
    ['MUFFIN R0-T01', {}, 'T0001', 'expert-qualified'],
    ['MUFFIN R2-T01', {}, null, 'unresolved'], // same round
    ['T01', { table }, 'T0002', 'prompt-table'], // the prompt's T01 is Cupcake's, not the writer's own
    ['T02', { table }, 'T0001', 'prompt-table'],
    ['T03', { table }, null, 'unresolved'], // row matches no registered tension
    ['T04', { table }, null, 'unresolved'], // not in the prompt's table
    ['MUFFIN-T01', { table }, 'T0101', 'expert-qualified'], // qualified ids do not use the table
  ])('%s (case %#) → %s (%s)', (raw, over, target, rule) => {
    const r = resolveRef(ref(raw), ctx(over));
    expect(r.target).toBe(target);
    expect(r.rule).toBe(rule);
    if (!target) expect(r.reason).toContain(raw.split(' ')[0]!);
  });

  it('records the table mapping with its similarity', () => {
    expect(table.map((m) => [m.row.id, m.target])).toEqual([
      ['T01', 'T0002'],
      ['T02', 'T0001'],
      ['T03', null],
    ]);
    expect(table[0]!.similarity).toBeGreaterThanOrEqual(0.5);
  });
});

describe('mapRows on a real judge table (rfc-0043 record)', () => {
  it('maps abbreviated labels to the round-0 tensions, ties by table order; judge-only rows map to nothing', () => {
    const text = fs.readFileSync(path.join(BLUE_RECORDS, '2026-01-30T1730Z-rfc-0043-mermaid-diagram-standards.dialogue.recorded.md'), 'utf8');
    const round0 = text.slice(text.indexOf('## Round 0'), text.indexOf('## Round 1'));
    const tensions = parseResponse(round0)
      .markers.filter((m) => m.kind === 'tension')
      .map((m, i) => tension(`T000${i + 1}`, 'x', 0, m.localId!, m.label));
    const tracker = text.slice(text.indexOf('## Tensions Tracker'), text.indexOf('## Round 0'));
    expect(mapRows(promptRows(tracker), tensions, []).map((m) => `${m.row.id}→${m.target}`)).toEqual([
      'T01→T0001',
      'T02→T0002',
      'T03→T0003',
      'T04→T0004',
      'T05→T0005',
      'T06→null',
      'T07→null',
      'T08→null',
      'T09→null',
      'T10→null',
    ]);
  });
});

describe('promptRows', () => {
  it.each<[string, string[], boolean]>([
    ['| T01 | **Sync direction** — who pushes |', ['T01:Sync direction'], true],
    ['| T1 | Sync |\n| P2 | A view |', ['T01:Sync', 'P02:A view'], true],
    ['| T0003 | Global row |', ['T0003:Global row'], false],
    ['| ID | Label |\n|---|---|\nno table here', [], false],
  ])('%j', (prompt, rows, local) => {
    const got = promptRows(prompt);
    expect(got.map((r) => `${r.id}:${r.label}`)).toEqual(rows);
    expect(hasLocalTable(got)).toBe(local);
  });
});

describe('lexical-v1', () => {
  it('uses stop words and stems (library), not raw words', () => {
    expect(stems('The refs tables are blocking the convergence')).toEqual(['ref', 'tabl', 'block', 'converg']);
  });

  it.each<[string, string, string, string, number, number]>([
    ['Refs table disagreement is a Phase C implementation detail', 'x', 'The refs table disagreement is a Phase C implementation detail', 'x', 0.9, 1],
    ['Hybrid architecture doubles the on-call blast radius', 'ops', 'PostgreSQL parity without Docker', 'embedded', 0, 0.1],
    ['', '', 'anything', 'at all', 0, 0],
  ] as [string, string, string, string, number, number][])('similarity(%j, %j, …) in [%s, %s]', (la, ba, lb, bb, lo, hi) => {
    const s = similarity({ label: la, body: ba }, { label: lb, body: bb });
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
    expect(similarity({ label: lb, body: bb }, { label: la, body: ba })).toBe(s); // symmetric
  });

  it('containment counts the share of a label named by a text', () => {
    expect(containment('Operational simplicity vs. analytical query flexibility', "Brioche's tension (operational simplicity vs. analytical query flexibility) is well-placed")).toEqual({ share: 1, shared: 6 });
    expect(containment('Sync direction', 'unrelated words').shared).toBe(0);
  });
});

describe('mergeTarget', () => {
  const earlier = [
    { id: 'P0001', label: 'Refs table disagreement is a Phase C implementation detail', body: 'Both designs work under full-partition load.' },
    { id: 'P0002', label: 'Encryption envelope portability', body: 'AAD binds pk and sk.' },
  ];
  it.each<[string, string, string | null, string | null]>([
    ['refs table disagreement is a phase C implementation detail!', '', 'P0001', 'same-label'],
    ['The refs table disagreement is a Phase C implementation detail, not a blocker', 'Both designs work under full-partition load.', 'P0001', 'lexical-v1'],
    ['Hash chain continuity', 'Signed boundary events.', null, null],
  ])('%j → %s', (label, body, into, rule) => {
    const hit = mergeTarget({ label, body }, earlier, 0.6);
    expect(hit?.into ?? null).toBe(into);
    expect(hit?.rule ?? null).toBe(rule);
  });

  it('the threshold is a setting', () => {
    const item = { label: 'Refs table question blocks nothing', body: 'Both designs work under full-partition load.' };
    const s = similarity(item, earlier[0]!);
    expect(mergeTarget(item, earlier, s)?.into).toBe('P0001');
    expect(mergeTarget(item, earlier, s + 0.01)).toBeNull();
  });
});

describe('supersedes', () => {
  const own = [
    { id: 'T0008', label: 'Denormalized verdict fields prove the graph is too expensive', body: 'verdict arrays' },
    { id: 'T0009', label: 'Local parity', body: 'docker' },
  ];
  it.each<[string, string[], { tension: string; rule: string }[]]>([
    ['Verdict denormalization consistency is a correctness risk', [], [{ tension: 'T0008', rule: 'owner-restatement' }]],
    ['Something else entirely', ['T0009'], [{ tension: 'T0009', rule: 'owner-refinement' }]],
    ['Something else entirely', [], []],
  ])('%j refining %j', (label, refined, hits) => {
    expect(supersedes({ label, body: 'verdict arrays' }, own, new Set(refined), 0.3).map(({ tension, rule }) => ({ tension, rule }))).toEqual(hits);
  });
});

describe('namedTension (id-less concessions and resolutions)', () => {
  const open = [
    { id: 'T0001', owner: 'brioche', label: 'Operational simplicity vs. analytical query flexibility', body: '' },
    { id: 'T0002', owner: 'cannoli', label: 'Serverless deployment constraints vs. relational query expressiveness', body: '' },
  ];
  it.each<[string, string | null, string | null]>([
    ["Brioche is right. Brioche's tension (operational simplicity vs. analytical query flexibility) is well-placed.", 'T0001', 'names-owner-and-label'],
    ['Operational simplicity beats analytical query flexibility here', 'T0001', 'names-label'],
    ["Cannoli's cleartext ref items are cheaper", 'T0002', 'names-owner'],
    ['Nothing named at all', null, null],
  ])('%j → %s', (text, id, rule) => {
    const hit = namedTension(text, open);
    expect(hit?.tension ?? null).toBe(id);
    expect(hit?.rule ?? null).toBe(rule);
  });
});

describe('statusChange', () => {
  it.each<[string, PlanTension['status'], string | null]>([
    ['resolved', 'open', 'resolve'],
    ['resolved', 'reopened', 'resolve'],
    ['resolved', 'resolved', null],
    ['resolved', 'superseded', null],
    ['resolved', 'deferred', 'resolve'],
    ['accepted', 'open', 'accept'],
    ['deferred', 'open', 'defer'],
    ['deferred', 'accepted', null],
    ['challenge', 'resolved', 'reopen'],
    ['challenge', 'deferred', 'reopen'],
    ['challenge', 'open', null],
    ['refinement', 'open', null],
  ])('%s on %s → %s', (kind, status, change) => {
    expect(statusChange(kind as never, status)).toBe(change);
  });
});

describe('titleFromQuestion', () => {
  it('keeps the whole question (only whitespace is folded): titles are never truncated', async () => {
    const { titleFromQuestion } = await import('../../src/orchestrator/prepare.ts');
    const q = 'Should we split the monolith into services now, given the team has eight engineers and one SRE? Or later, once the billing rewrite ships?';
    expect(titleFromQuestion(`  ${q.replace(' now,', '\n  now,')} `)).toBe(q);
  });
});
