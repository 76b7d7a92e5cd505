/**
 * `blue demo` end to end on the bundled recording (examples/api-versioning), plus checks on the
 * recording itself so an edit that breaks convergence or the marker grammar fails here first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support.ts';
import { parseResponse } from '../../src/experts/markers.ts';
import { CONTRARIAN_ROLE, loadPool, validatePool } from '../../src/experts/pool.ts';
import { rejudge } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const EXAMPLE = path.resolve(here, '../../examples/api-versioning');
const ROUNDS = [0, 1, 2];

interface PanelFile {
  round: number;
  experts: { name: string; role: string; tier: string; relevance: number; source: string }[];
}

function panelOf(round: number): PanelFile {
  return parseYaml(fs.readFileSync(path.join(EXAMPLE, `round-${round}`, 'panel.yaml'), 'utf8')) as PanelFile;
}

function responseOf(round: number, name: string): string {
  return fs.readFileSync(path.join(EXAMPLE, `round-${round}`, `${name.toLowerCase()}.md`), 'utf8');
}

/** Runs the CLI in `cwd` with a fixed clock and captured output. */
function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(argv, cwd, { clock: '2026-03-01T09:00:00Z', seed: 7 });
}

describe('blue demo', () => {
  let root: string;
  let result: { code: number; stdout: string; stderr: string };
  let dialogueDir: string;

  beforeAll(async () => {
    root = tempDir();
    result = await run(['demo', '--quiet'], root);
    const dirs = fs.existsSync(path.join(root, 'dialogues')) ? fs.readdirSync(path.join(root, 'dialogues')) : [];
    dialogueDir = path.join(root, 'dialogues', dirs[0] ?? 'missing');
  });

  it('exits 0 and reports CONVERGED after 3 rounds', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/CONVERGED/);
    expect(result.stdout).toMatch(/after 3 rounds/);
  });

  it('writes one dialogue folder with every artefact', () => {
    expect(fs.readdirSync(path.join(root, 'dialogues'))).toHaveLength(1);
    const expected = ['dialogue.yaml', 'expert-pool.yaml', 'round-0/panel.yaml', 'scoreboard.md', 'tensions.md', 'verdict.md'];
    for (const round of ROUNDS) {
      expected.push(`round-${round}/summary.md`);
      for (const e of panelOf(round).experts) {
        expected.push(`round-${round}/${e.name.toLowerCase()}.md`, `round-${round}/${e.name.toLowerCase()}.prompt.md`);
      }
    }
    const missing = expected.filter((f) => !fs.existsSync(path.join(dialogueDir, f)));
    expect(missing).toEqual([]);
    const recorded = fs.readdirSync(dialogueDir).filter((f) => f.endsWith('.dialogue.recorded.md'));
    expect(recorded).toEqual([`${path.basename(dialogueDir)}.dialogue.recorded.md`]);
    expect(fs.existsSync(path.join(root, '.blue', 'blue.db'))).toBe(true);
  });

  it('writes a verdict whose first line says CONVERGED', () => {
    const verdict = fs.readFileSync(path.join(dialogueDir, 'verdict.md'), 'utf8');
    expect(verdict.split('\n')[0]).toMatch(/CONVERGED/);
    expect(verdict).toContain('How should we version our public HTTP API?');
  });

  it('copies the responses byte for byte', () => {
    for (const round of ROUNDS) {
      for (const e of panelOf(round).experts) {
        const copy = fs.readFileSync(path.join(dialogueDir, `round-${round}`, `${e.name.toLowerCase()}.md`), 'utf8');
        expect(copy, `round ${round} ${e.name}`).toBe(responseOf(round, e.name));
      }
    }
  });

  it('stores a clean registration: every reference resolves, no findings, every tension closed', () => {
    const store = new DialogueStore(openDatabase(root));
    try {
      const [row] = store.listDialogues();
      expect(row).toBeDefined();
      const id = row!.id;
      expect(store.findings(id)).toEqual([]);
      expect(store.refs(id).filter((r) => r.target_id === null)).toEqual([]);
      const status = Object.fromEntries(store.tensions(id).map((t) => [t.id, t.status]));
      expect(status).toEqual({ T0001: 'resolved', T0002: 'resolved', T0003: 'resolved', T0004: 'accepted', T0101: 'resolved' });
      expect(store.panel(id, 1).map((s) => s.expert)).toEqual(['muffin', 'scone', 'eclair', 'donut', 'brioche']);
    } finally {
      store.close();
    }
  });
});

describe('the api-versioning recording', () => {
  it('is labelled as an illustrative example', () => {
    const readme = fs.readFileSync(path.join(EXAMPLE, 'README.md'), 'utf8');
    expect(readme).toMatch(/illustrative recording written by hand/);
    expect(readme).toMatch(/not the output of a\s+real model run/);
    const top = fs.readFileSync(path.resolve(EXAMPLE, '..', 'README.md'), 'utf8');
    expect(top).toMatch(/written\s+by hand for the demo/);
    const meta = parseYaml(fs.readFileSync(path.join(EXAMPLE, 'dialogue.yaml'), 'utf8')) as { question: string; note: string };
    expect(meta.question).toBe('How should we version our public HTTP API?');
    expect(meta.note).toMatch(/example/i);
  });

  it('has a valid pool of 12 experts with a contrarian wildcard and no soft warnings', () => {
    const pool = loadPool(path.join(EXAMPLE, 'expert-pool.yaml'));
    expect(pool.experts).toHaveLength(12);
    expect(pool.experts.some((e) => e.tier === 'Wildcard' && CONTRARIAN_ROLE.test(e.role))).toBe(true);
    expect(validatePool(pool)).toEqual([]);
    const roles = new Set(pool.experts.map((e) => e.role));
    for (const round of ROUNDS) for (const e of panelOf(round).experts) expect(roles.has(e.role), e.role).toBe(true);
  });

  it('rotates one expert after round 0 and keeps the panel for round 2', () => {
    const names = ROUNDS.map((r) => panelOf(r).experts.map((e) => e.name));
    expect(names[0]).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut']);
    expect(names[1]).toEqual(['Muffin', 'Scone', 'Eclair', 'Donut', 'Brioche']);
    expect(names[2]).toEqual(names[1]);
    expect(panelOf(1).experts.map((e) => e.source)).toEqual(['retained', 'retained', 'retained', 'retained', 'pool']);
    expect(panelOf(2).experts.every((e) => e.source === 'retained')).toBe(true);
    for (const round of ROUNDS) {
      const files = fs.readdirSync(path.join(EXAMPLE, `round-${round}`)).filter((f) => f.endsWith('.md')).sort();
      expect(files).toEqual(names[round]!.map((n) => `${n.toLowerCase()}.md`).sort());
    }
  });

  it('follows the marker grammar without a single lint finding', () => {
    for (const round of ROUNDS) {
      for (const e of panelOf(round).experts) {
        const text = responseOf(round, e.name);
        expect(parseResponse(text).findings, `round ${round} ${e.name}`).toEqual([]);
        expect(text.trimEnd().endsWith('\n---'), `round ${round} ${e.name} ends with ---`).toBe(true);
      }
    }
  });

  it('uses local ids in round 0 and only global ids later', () => {
    for (const e of panelOf(0).experts) {
      const refs = parseResponse(responseOf(0, e.name)).markers.flatMap((m) => m.refs);
      expect(refs.filter((r) => r.global !== undefined)).toEqual([]);
    }
    for (const round of [1, 2]) {
      for (const e of panelOf(round).experts) {
        const moves = parseResponse(responseOf(round, e.name)).markers.filter((m) => m.kind !== 'perspective' && m.kind !== 'tension');
        for (const m of moves) for (const r of m.refs) expect(r.global, `${e.name} R${round}: ${r.raw}`).toMatch(/^[PT]\d{4}$/);
      }
    }
  });

  it('ends with a final round of no perspectives and a converge signal from everyone', () => {
    for (const e of panelOf(2).experts) {
      const kinds = parseResponse(responseOf(2, e.name)).markers.map((m) => m.kind);
      expect(kinds, e.name).not.toContain('perspective');
      expect(kinds, e.name).not.toContain('tension');
      expect(kinds, e.name).toContain('converge');
    }
  });

  it('re-judges to converged with falling velocity', async () => {
    const report = await rejudge(EXAMPLE);
    expect(report.status).toBe('converged');
    expect(report.rounds.map((r) => [r.openTensions, r.newPerspectives, r.velocity, r.convergePercent])).toEqual([
      [4, 10, 14, 0],
      [1, 4, 5, 0],
      [0, 0, 0, 100],
    ]);
  });
});
