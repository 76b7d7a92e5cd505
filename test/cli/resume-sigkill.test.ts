/**
 * Crash safety with real processes: a dialogue killed with SIGKILL in the middle of round 1
 * resumes without asking any stored expert again and ends exactly like an uninterrupted run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.ts';
import { RFC_0058 } from '../fixture-paths.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = path.resolve(HERE, '../..');
const WORKER = path.join(HERE, 'sigkill-worker.ts');
const FIXTURE = RFC_0058;
const ID = '2026-11-21T1000Z-should-rfc-0058-be-superseded-by-a-hybrid-relational';
const ROUND1_PANEL = 8;

interface Outcome {
  id: string;
  outcome: string;
  rounds: number;
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'blue-'));

function worker(mode: 'start' | 'resume', ws: string, replay: string, log: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, mode, ws, replay, log], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Response files of round 1 written so far (each is written after its DB row is committed). */
function round1Responses(ws: string): number {
  const dir = path.join(ws, 'dialogues', ID, 'round-1');
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir).filter((f) => f.endsWith('.md') && !f.endsWith('.prompt.md') && f !== 'summary.md').length;
}

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const pairs = (log: string) => fs.readFileSync(log, 'utf8').trim().split('\n');

describe('SIGKILL in the middle of a round, then resume', () => {
  it('repeats no stored call and ends byte-identical to an uninterrupted run', async () => {
    const replay = path.join(tempDir(), 'recording');
    fs.cpSync(FIXTURE, replay, { recursive: true });

    // uninterrupted reference run, concurrently with the run that gets killed
    const refWs = tempDir();
    const refLog = path.join(refWs, 'calls.log');
    const ref = worker('start', refWs, replay, refLog);

    const ws = tempDir();
    const log = path.join(ws, 'calls.log');
    const killed = worker('start', ws, replay, log);
    let seen = 0;
    const deadline = Date.now() + 100_000; // generous: CI machines are small and tsx compiles on first start
    while (Date.now() < deadline) {
      seen = round1Responses(ws);
      if (seen >= 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    killed.child.kill('SIGKILL');
    const k = await killed.done;
    expect(k.signal).toBe('SIGKILL');
    expect(seen).toBeGreaterThanOrEqual(1);

    // the kill landed mid-round: some but not all round-1 responses are stored
    const db = openDatabase(ws);
    const storedAtKill = (db.prepare("SELECT round, expert FROM responses WHERE status = 'ok'").all() as { round: number; expert: string }[]).map((r) => `${r.round} ${r.expert}`);
    const status = (db.prepare('SELECT status FROM dialogues').get() as { status: string }).status;
    db.close();
    const round1 = storedAtKill.filter((p) => p.startsWith('1 ')).length;
    expect(round1).toBeGreaterThanOrEqual(1);
    expect(round1).toBeLessThan(ROUND1_PANEL);
    expect(storedAtKill.filter((p) => p.startsWith('0 '))).toHaveLength(10);
    expect(status).toBe('open');

    const resumed = await worker('resume', ws, replay, log).done;
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const r = await ref.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const refOut = JSON.parse(r.stdout) as Outcome;
    const resOut = JSON.parse(resumed.stdout) as Outcome;
    expect(refOut).toEqual({ id: ID, dir: `dialogues/${ID}`, outcome: 'recording_exhausted', rounds: 4 });
    expect(resOut).toEqual(refOut);

    // no stored response was asked again; together the two processes asked exactly the reference calls
    const lines = pairs(log);
    const started = lines.filter((l) => l.startsWith('start ')).map((l) => l.slice(6));
    const resumedCalls = lines.filter((l) => l.startsWith('resume ')).map((l) => l.slice(7));
    for (const p of storedAtKill) expect(started, p).toContain(p);
    expect(resumedCalls.filter((p) => storedAtKill.includes(p))).toEqual([]);
    expect(new Set(resumedCalls).size).toBe(resumedCalls.length);
    const reference = pairs(refLog).map((l) => l.slice(6)).sort();
    expect(reference).toHaveLength(30);
    expect(new Set(reference).size).toBe(30);
    expect([...storedAtKill, ...resumedCalls].sort()).toEqual(reference);

    // the generated documents are byte-identical
    const a = hashTree(path.join(refWs, 'dialogues', ID));
    const b = hashTree(path.join(ws, 'dialogues', ID));
    for (const f of ['scoreboard.md', 'tensions.md', 'verdict.md', 'round-0/summary.md', 'round-1/summary.md', 'round-2/summary.md', 'round-3/summary.md', `${ID}.dialogue.recorded.md`]) {
      expect(b[f], f).toBeDefined();
      expect(b[f], f).toBe(a[f]);
    }
    // Every other file is identical too, except response files lost in the kill window: a
    // response committed to the DB just before SIGKILL but not yet written to disk is not
    // re-written on resume (known bug, see the it.fails test in test/orchestrator/engine.test.ts).
    const RESPONSE_FILE = /^round-\d+\/[a-z]+(\.prompt)?\.md$/;
    // a write-then-rename cut by the kill may leave its `<file>.<pid>.tmp` behind (harmless, reported)
    expect(Object.keys(b).filter((f) => !(f in a) && !/\.\d+\.tmp$/.test(f))).toEqual([]);
    for (const [f, hash] of Object.entries(a)) {
      if (f in b) expect(b[f], f).toBe(hash);
      else expect(f, `${f} missing after resume`).toMatch(RESPONSE_FILE);
    }
  }, 180_000);
});
