/**
 * Recorded inline dialogues through the CLI: `dialogue import FILE`, `rejudge FILE`, `lint FILE`,
 * the import → replay round trip, and no silent emptiness (judge files are never responses).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isJudgeFile, isResponseFile } from '../../src/llm/index.ts';
import { parseDialogueRecord } from '../../src/markdown/record-parser.ts';
import { BLUE_RECORDS } from '../fixture-paths.ts';
import { runCli, tempDir } from '../support.ts';
import { hashTree } from './helpers.ts';

const WITH_MARKERS = [
  '2026-01-26T2128Z-spike-resolved-lifecycle.dialogue.recorded.md',
  '2026-01-27T2229Z-adr-architecture-review-greenfield-claude-as-implementer.dialogue.recorded.md',
  '2026-01-30T1730Z-rfc-0043-mermaid-diagram-standards.dialogue.recorded.md',
  'rfc-document-import-sync.dialogue.recorded.md',
];
const TRANSCRIPT = 'cross-repo-realms-refinement.dialogue.recorded.md';
const record = (f: string) => path.join(BLUE_RECORDS, f);

/** A fresh workspace with record `name` imported into `imported/` (what the replay tests start from). */
async function importIntoWorkspace(name: string): Promise<{ cwd: string; file: string }> {
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, '.blue'));
  const file = record(name);
  await runCli(['dialogue', 'import', file, '--out', 'imported'], cwd);
  return { cwd, file };
}

interface Report {
  status: string;
  rounds: { round: number; panel: string[]; panelSize: number; velocity: number; openTensions: number; newPerspectives: number; convergeSignals: number }[];
}
interface Imported {
  out: string;
  rounds: number;
  panelSize: number[];
  responses: number;
  markers: number;
  skippedRounds: string[];
  perRound: { round: number; heading: string; panel: string[] }[];
}

/** Speakers of each round heading that has any, as the parser reads the file. */
function speakers(file: string): string[][] {
  return parseDialogueRecord(fs.readFileSync(record(file), 'utf8'))
    .rounds.map((r) => r.responses.map((x) => x.expert))
    .filter((s) => s.length > 0);
}

async function rejudgeJson(target: string, cwd = tempDir()): Promise<Report> {
  const r = await runCli(['dialogue', 'rejudge', target, '--json'], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

function expectOneLineError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('dialogue rejudge FILE', () => {
  for (const file of WITH_MARKERS) {
    it(`${file.slice(0, 40)}…: exit 0, rounds and panels as the record says, the file untouched`, async () => {
      const before = fs.readFileSync(record(file), 'utf8');
      const report = await rejudgeJson(record(file));
      const expected = speakers(file);
      expect(report.rounds.map((r) => r.panel)).toEqual(expected);
      expect(report.rounds.map((r) => r.panelSize)).toEqual(expected.map((s) => s.length));
      expect(report.rounds.some((r) => r.newPerspectives > 0)).toBe(true); // the markers were read
      expect(fs.readFileSync(record(file), 'utf8')).toBe(before);
    }, 60_000);
  }

  it('the transcript rejudges too: nine rounds with speakers, nothing to register', async () => {
    const report = await rejudgeJson(record(TRANSCRIPT));
    expect(report.rounds.map((r) => r.panelSize)).toEqual([6, 6, 6, 4, 4, 5, 4, 4, 5]);
    expect(report.rounds.every((r) => r.velocity === 0 && r.convergeSignals === 0)).toBe(true);
  }, 60_000);
});

describe('dialogue import FILE', () => {
  it('writes our layout for each record and reports rounds, panel sizes, responses and markers', async () => {
    const cwd = tempDir();
    const seen: Record<string, Imported> = {};
    for (const file of [...WITH_MARKERS, TRANSCRIPT]) {
      const r = await runCli(['dialogue', 'import', record(file), '--json'], cwd);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      seen[file] = JSON.parse(r.stdout) as Imported;
    }
    expect(Object.values(seen).map((s) => [s.rounds, s.panelSize, s.responses])).toEqual([
      [3, [3, 3, 3], 9],
      [2, [16, 2], 18],
      [3, [5, 5, 5], 15],
      [2, [6, 6], 12],
      [9, [6, 6, 6, 4, 4, 5, 4, 4, 5], 44],
    ]);
    expect(Object.values(seen).map((s) => s.markers)).toEqual([29, 61, 57, 58, 0]);
    expect(seen[TRANSCRIPT]!.skippedRounds).toEqual(['Round 5: Convergence', 'Round 6: Refined Proposal', 'Round 12: Final Synthesis']);
    expect(seen[TRANSCRIPT]!.perRound[0]).toMatchObject({ round: 0, heading: 'Round 1: Initial Reactions', panel: ['alex', 'barbara', 'carl', 'diana', 'erik', 'fiona'] });

    const spike = path.join(cwd, seen[WITH_MARKERS[0]!]!.out);
    expect(spike).toBe(path.join(cwd, 'dialogues', '2026-01-26T2128Z-spike-resolved-lifecycle'));
    expect(fs.readdirSync(path.join(spike, 'round-0')).sort()).toEqual(['cupcake.md', 'muffin.md', 'panel.yaml', 'scone.md']);
    expect(fs.readFileSync(path.join(spike, 'round-0', 'muffin.md'), 'utf8').split('\n')[0]).toBe('[PERSPECTIVE P01: Resolved vs Complete - semantic distinction matters]');
    expect(fs.readFileSync(path.join(spike, 'dialogue.yaml'), 'utf8')).toMatch(/^question: Spike Resolved Lifecycle$/m);
    // seats as the panel table says: role, tier, relevance; retained from the round before
    const panel1 = parseYaml(fs.readFileSync(path.join(spike, 'round-1', 'panel.yaml'), 'utf8')) as { round: number; experts: Record<string, unknown>[] };
    expect(panel1.round).toBe(1);
    expect(panel1.experts[0]).toEqual({ name: 'Muffin', role: 'Systems Thinker', tier: 'Core', relevance: 0.95, source: 'retained' });
    expect(panel1.experts.map((e) => e.tier)).toEqual(['Core', 'Adjacent', 'Wildcard']);
    // no pool file when the record names no roles (the replay builds one from the panels)
    expect(fs.existsSync(path.join(cwd, seen[WITH_MARKERS[3]!]!.out, 'expert-pool.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(spike, 'expert-pool.yaml'))).toBe(true);
  }, 60_000);

  it('rejudging the imported folder gives the same report as rejudging the file', async () => {
    for (const file of [WITH_MARKERS[1]!, WITH_MARKERS[3]!]) {
      const cwd = tempDir();
      const out = path.join(cwd, 'imported');
      expect((await runCli(['dialogue', 'import', record(file), '--out', out], cwd)).code).toBe(0);
      expect(await rejudgeJson(out, cwd)).toEqual(await rejudgeJson(record(file), cwd));
    }
  }, 60_000);

  it('the imported folder replays with `dialogue start --provider replay` to the same figures, and promotes', async () => {
    const { cwd, file } = await importIntoWorkspace(WITH_MARKERS[2]!);
    const before = hashTree(path.join(cwd, 'imported'));
    const run = await runCli(['dialogue', 'start', 'RFC 0043 Mermaid Diagram Standards', '--provider', 'replay', '--replay', 'imported', '--json'], cwd);
    expect(run.stderr).toBe('');
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; round?: number; velocity?: number; openTensions?: number });
    const ends = events.filter((e) => e.type === 'round-end');
    const report = await rejudgeJson(file, cwd);
    expect(ends.map((e) => [e.round, e.velocity, e.openTensions])).toEqual(report.rounds.map((r) => [r.round, r.velocity, r.openTensions]));
    expect(events.at(-1)).toMatchObject({ type: 'end', rounds: 3 });
    expect(hashTree(path.join(cwd, 'imported'))).toEqual(before);
    // and promoted (the recording ends before the gate, so only with --allow-forced)
    const id = (events.find((e) => e.type === 'dialogue') as { id?: string }).id!;
    const promoted = await runCli(['dialogue', 'promote', id, '--allow-forced'], cwd);
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'rfcs'))).toEqual(['0001-rfc-0043-mermaid-diagram-standards.draft.md']);
  }, 60_000);

  it('the record our replay writes reads back to the same figures (legacy [CONVERGENCE CONFIRMED] markers included)', async () => {
    const { cwd, file } = await importIntoWorkspace(WITH_MARKERS[0]!);
    const run = await runCli(['dialogue', 'start', 'Spike Resolved Lifecycle', '--provider', 'replay', '--replay', 'imported', '--quiet'], cwd);
    expect(run.stderr).toBe('');
    const dir = fs.readdirSync(path.join(cwd, 'dialogues'))[0]!;
    const ours = path.join(cwd, 'dialogues', dir, `${dir}.dialogue.recorded.md`);
    expect(fs.readFileSync(ours, 'utf8')).toContain('\n[CONVERGENCE CONFIRMED] Accept');
    const original = await rejudgeJson(file, cwd);
    expect(original.rounds[2]!.convergeSignals).toBe(2);
    expect(await rejudgeJson(ours, cwd)).toEqual(original);
  }, 60_000);

  it('refuses to write into a folder that is not empty', async () => {
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'busy'));
    fs.writeFileSync(path.join(cwd, 'busy', 'keep.md'), 'mine\n');
    expectOneLineError(await runCli(['dialogue', 'import', record(WITH_MARKERS[0]!), '--out', 'busy'], cwd), /E_EXISTS/);
    expect(fs.readdirSync(path.join(cwd, 'busy'))).toEqual(['keep.md']);
  });
});

describe('dialogue lint FILE', () => {
  it('reports findings at lines of the record', async () => {
    const cwd = BLUE_RECORDS;
    const file = WITH_MARKERS[2]!;
    const r = await runCli(['dialogue', 'lint', file], cwd);
    expect(r.stdout.split('\n').filter((l) => l.includes('malformed-marker'))).toEqual([
      `${file}:144:3 error malformed-marker: no ":" after the perspective id in [PERSPECTIVE P11]; expected [PERSPECTIVE P01: short label]`,
      `${file}:155:3 error malformed-marker: no ":" after the perspective id in [PERSPECTIVE P12]; expected [PERSPECTIVE P01: short label]`,
    ]);
    expect(r.code).toBe(1);
    const json = await runCli(['dialogue', 'lint', file, '--json'], cwd);
    const findings = JSON.parse(json.stdout) as { line: number; expert: string; round: number }[];
    expect(findings.filter((f) => f.line === 144).map((f) => [f.expert, f.round])).toEqual([['cupcake', 1]]);
  });

  it('reports the transcript\'s rounds without an expert response at their headings', async () => {
    const r = await runCli(['dialogue', 'lint', TRANSCRIPT, '--json'], BLUE_RECORDS);
    const findings = JSON.parse(r.stdout) as { rule: string; line: number; severity: string }[];
    expect(findings.filter((f) => f.rule === 'round-without-responses').map((f) => [f.line, f.severity])).toEqual([
      [507, 'warning'],
      [604, 'warning'],
      [1344, 'warning'],
    ]);
    expect(r.code).toBe(0);
  });
});

describe('no silent emptiness: a folder or file with no expert response', () => {
  const JUDGE_ONLY = ['scoreboard.md', 'context-brief.md', 'CONVERGENCE.md'];

  it('judge files are never responses', () => {
    for (const f of [...JUDGE_ONLY, 'summary.md', 'round-0.summary.md', 'tensions.md', 'verdict.md', 'panel.yaml', 'panel.json', 'panel.md', 'muffin.prompt.md', 'x.dialogue.recorded.md']) {
      expect(isResponseFile(f), f).toBe(false);
    }
    for (const f of ['muffin.md', 'pastry21.md', 'summary-notes.md']) expect(isResponseFile(f), f).toBe(true);
    expect(isJudgeFile('Scoreboard.md')).toBe(true);
  });

  for (const layout of ['top level', 'round-0/']) {
    it(`a folder holding only ${JUDGE_ONLY.join(', ')} (${layout}): rejudge, lint and import exit 2 with one line`, async () => {
      const cwd = tempDir();
      const dir = path.join(cwd, 'judge-only');
      const where = layout === 'top level' ? dir : path.join(dir, 'round-0');
      fs.mkdirSync(where, { recursive: true });
      for (const f of JUDGE_ONLY) fs.writeFileSync(path.join(where, f), '# Judge\n\n[TENSION T01: not an expert]\n');
      expectOneLineError(await runCli(['dialogue', 'rejudge', 'judge-only'], cwd), /E_REPLAY.*no expert response/);
      expectOneLineError(await runCli(['dialogue', 'lint', 'judge-only'], cwd), /E_REPLAY.*no expert response/);
      expectOneLineError(await runCli(['dialogue', 'import', 'judge-only'], cwd), /E_USAGE.*is a folder, not a recorded dialogue file/);
      expectOneLineError(await runCli(['dialogue', 'import', path.join(where, 'scoreboard.md')], cwd), /E_REPLAY.*no expert response/);
    });
  }

  it('a record file with judge sections only: import, rejudge and lint exit 2 with one line, nothing written', async () => {
    const cwd = tempDir();
    fs.writeFileSync(
      path.join(cwd, 'empty.dialogue.recorded.md'),
      ['# Alignment Dialogue: Empty', '', '## Round 0', '', '**Facilitator:** Nobody came.', '', '## 💙 Judge Summary: Round 0', '', 'Nothing to judge.', ''].join('\n'),
    );
    for (const cmd of ['import', 'rejudge', 'lint']) {
      expectOneLineError(await runCli(['dialogue', cmd, 'empty.dialogue.recorded.md'], cwd), /E_REPLAY.*no expert response in .*empty\.dialogue\.recorded\.md/);
    }
    expect(fs.existsSync(path.join(cwd, 'dialogues'))).toBe(false);
  });
});
