/**
 * `tsx bench/engine.ts [experts] [rounds] …`: engine CPU per round with nothing else in the way.
 * A zero-latency fake provider answers with real-size texts (the fixture's responses, their
 * markers replaced by the bench responder's so the dialogue runs every round), into a file
 * database with every Markdown file written. Prints engine CPU (process.cpuUsage, user+system)
 * per round (every round, and the first and last three), total CPU, peak RSS, and DB bytes against the
 * response text the DB holds. Each run is a plain-node process on the compiled bench (see
 * {@link main}). Writes only under the OS temp folder, removed at the end (and the bundle under
 * node_modules/.cache).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setMaxListeners } from 'node:events';
import { spawnSync } from 'node:child_process';
import { fixedClock, seededRng } from '../src/core/index.ts';
import { BUILTIN_POOLS_DIR, resolvePool } from '../src/experts/pool.ts';
import type { Pool, PoolExpert, Tier } from '../src/experts/types.ts';
import { createFakeProvider } from '../src/llm/fake.ts';
import { isResponseFile } from '../src/llm/recording.ts';
import type { CompletionRequest } from '../src/llm/port.ts';
import type { ProgressEvent } from '../src/orchestrator/deps.ts';
import { startDialogue } from '../src/orchestrator/facilitator.ts';
import { DEFAULT_SETTINGS, type DialogueSettings } from '../src/orchestrator/settings.ts';
import { DB_RELATIVE_PATH } from '../src/store/db.ts';
import { DialogueStore, openDatabase } from '../src/store/index.ts';
import { withWorkspaceDb } from '../test/helpers/workspace-db.ts';
import { fixtureRoundFiles } from './fixture-check.ts';
import { benchJudgement } from './judge.ts';
import { benchResponder, callRng } from './responder.ts';
import { BENCH_QUESTION } from './question.ts';

/** The fixture's expert answers (not prompts), marker lines removed: real-size prose. */
export function fixtureProse(): string[] {
  return fixtureRoundFiles(isResponseFile).map(({ text }) => text.split('\n').filter((l) => !/^\s*\[[A-Z]+[ :]/.test(l)).join('\n').replace(/\[[A-Z]+[ :][^\]]*\]/g, '').trim());
}

/** Bench responder markers + one fixture answer's prose, chosen per (round, expert). */
export function realSizeResponder(seed: number): (req: CompletionRequest) => string {
  const prose = fixtureProse();
  const markers = benchResponder(seed);
  return (req) => {
    const body = prose[Math.floor(callRng(seed, req, 'prose').next() * prose.length)]!;
    return markers(req).replace(/---\n$/, `${body}\n\n---\n`);
  };
}

/**
 * The `general` pool, grown to at least `n` experts with numbered specialists of each tier when it
 * has fewer (it has 14): a 48-expert panel needs 48 distinct roles to seat.
 */
export function benchPool(n: number): Pool {
  const general = resolvePool('general', { root: path.dirname(BUILTIN_POOLS_DIR), builtinDir: BUILTIN_POOLS_DIR });
  const tiers: Tier[] = ['Core', 'Adjacent', 'Wildcard'];
  const extra: PoolExpert[] = Array.from({ length: Math.max(0, n - general.experts.length) }, (_, i) => ({
    role: `Scheduler Specialist ${i + 1}`,
    tier: tiers[i % tiers.length]!,
    relevance: 0.9 - 0.4 * (i % tiers.length) / tiers.length,
    focus: `queue area ${i + 1}`,
  }));
  return { ...general, experts: [...general.experts, ...extra] };
}

/** Bytes of every file of the workspace database under `root` (the database, and its WAL and shm when present). */
export function dbFileBytes(root: string): number {
  const dbDir = path.join(root, path.dirname(DB_RELATIVE_PATH));
  return fs.readdirSync(dbDir).filter((f) => f.startsWith(path.basename(DB_RELATIVE_PATH))).reduce((a, f) => a + fs.statSync(path.join(dbDir, f)).size, 0);
}

/** Figures of one run. */
export interface EngineFigures {
  /** Panel size asked for, and seated in round 0 (the pool and panel limits may seat fewer). */
  experts: number;
  seated: number;
  rounds: number;
  /** Engine CPU per round (round-start → next round-start, or the end), ms. */
  cpuMs: number[];
  totalCpuMs: number;
  /** The process's peak resident set (`maxRSS`), MiB: the run is the process's only work. */
  peakRssMb: number;
  /** `plain node` or `under tsx` (whose loader thread adds to the RSS). */
  runtime: string;
  dbBytes: number;
  responseTextBytes: number;
}

/** Runs one dialogue of `experts` × `rounds` and measures it. */
export async function runEngineBench(experts: number, rounds: number, seed = 20260206): Promise<EngineFigures> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-engine-bench-'));
  try {
    const store = new DialogueStore(openDatabase(root));
    const provider = createFakeProvider({ respond: realSizeResponder(seed) });
    const judge = createFakeProvider({ respond: () => '', structured: benchJudgement });
    const pool = benchPool(experts);
    const settings: DialogueSettings = { ...DEFAULT_SETTINGS, provider: 'anthropic', seed, pool: 'general', panelSize: experts, maxRounds: rounds, minRounds: 2, rotation: 'none', concurrency: experts };
    const abort = new AbortController();
    setMaxListeners(experts * 4 + 20, abort.signal);
    const marks: NodeJS.CpuUsage[] = [];
    const onEvent = (e: ProgressEvent): void => {
      if (e.type === 'round-start') marks.push(process.cpuUsage());
    };
    const t0 = process.cpuUsage();
    const result = await startDialogue(
      { root, store, provider, judge, clock: fixedClock('2026-02-06T18:39:00Z', 1000), rng: seededRng(seed), onEvent, signal: abort.signal },
      { question: BENCH_QUESTION, pool, constraints: [], sources: [] },
      settings,
    );
    const end = process.cpuUsage();
    // The kernel's high-water mark (KiB): sampling at round events missed peaks between them.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    if (result.rounds !== rounds) throw new Error(`the dialogue ended after ${result.rounds} of ${rounds} rounds (${result.outcome}${result.error ? `: ${String(result.error)}` : ''})`);
    const ms = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1000;
    const cpuMs = marks.map((m, i) => ms(m, marks[i + 1] ?? end));
    store.close();
    // Read on a connection of the bench's own; the checkpoint measures the file without a WAL.
    const { seated, text } = withWorkspaceDb(root, (db) => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return {
        seated: (db.prepare('SELECT COUNT(*) AS n FROM panel WHERE round = 0').get() as { n: number }).n,
        text: db.prepare('SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) AS n FROM responses').get() as { n: number },
      };
    });
    const dbBytes = dbFileBytes(root);
    return { experts, seated, rounds, cpuMs, totalCpuMs: ms(t0, end), peakRssMb: peakRss / 2 ** 20, runtime: process.execArgv.some((a) => a.includes('tsx')) ? 'under tsx' : 'plain node', dbBytes, responseTextBytes: text.n };
  } finally {
    if (!process.env.KEEP_BENCH_DB) fs.rmSync(root, { recursive: true, force: true });
    else process.stderr.write(`kept ${root}\n`);
  }
}

/** One run as text. */
export function engineReport(f: EngineFigures): string {
  const r = (xs: number[]) => xs.map((x) => `${(x / 1000).toFixed(3)}s`).join(' ');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const first = f.cpuMs.slice(0, 3);
  const last = f.cpuMs.slice(-3);
  return [
    `${f.experts} experts (${f.seated} seated) × ${f.rounds} rounds (file DB, every file written, zero-latency fakes, ${f.runtime})`,
    `  engine CPU, first three rounds: ${r(first)}`,
    `  engine CPU, last three rounds:  ${r(last)}  (last/first mean ${(mean(last) / mean(first)).toFixed(2)}×)`,
    `  engine CPU by round, ms: ${f.cpuMs.map((x) => x.toFixed(0)).join(' ')}`,
    `  total engine CPU ${(f.totalCpuMs / 1000).toFixed(2)} s, peak RSS ${f.peakRssMb.toFixed(0)} MB`,
    // DB: every file of the database after a TRUNCATE checkpoint and close; response text: the answers' UTF-8 bytes only.
    `  DB ${(f.dbBytes / 1e6).toFixed(2)} MB (${f.dbBytes} B), response text ${(f.responseTextBytes / 1e6).toFixed(2)} MB (${f.responseTextBytes} B) (${(f.dbBytes / Math.max(1, f.responseTextBytes)).toFixed(2)}×)`,
  ].join('\n');
}

/**
 * Bundles the bench into `node_modules/.cache/blue-bench/engine.mjs` for plain `node`: a user's
 * process runs compiled JS, while tsx keeps a loader thread with its own heap (~45 MB of RSS in a
 * 12 × 40 run). Each file's `import.meta.url` is replaced by its own URL, so paths found from it
 * (pools/, fixtures/) resolve as from the sources; packages stay external, as in `dist/`.
 */
async function compiledChild(): Promise<string> {
  const { build } = await import('esbuild');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outfile = path.join(here, '..', 'node_modules', '.cache', 'blue-bench', 'engine.mjs');
  const child = `import { engineReport, runEngineBench } from './engine.ts';
const [experts, rounds] = process.argv.slice(2).map(Number);
process.stdout.write(engineReport(await runEngineBench(experts, rounds)) + '\\n');`;
  await build({
    stdin: { contents: child, resolveDir: here, sourcefile: 'engine-child.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    plugins: [{
      name: 'own-import-meta-url',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, (args) => ({
          contents: fs.readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: 'ts',
        }));
      },
    }],
  });
  return outfile;
}

/**
 * `tsx bench/engine.ts [experts rounds]… [--tsx] [--in-process]`: each run in its own plain-node
 * process on the compiled bench (`--tsx`: under tsx instead, as before); `--in-process` runs one
 * pair in this process (for profilers).
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = argv.filter((a) => !a.startsWith('--')).map(Number);
  const runs: [number, number][] = [];
  for (let i = 0; i + 1 < args.length; i += 2) runs.push([args[i]!, args[i + 1]!]);
  if (runs.length === 0) runs.push([12, 10], [12, 40], [48, 10]);
  if (argv.includes('--in-process')) {
    const [experts, rounds] = runs[0]!;
    process.stdout.write(`${engineReport(await runEngineBench(experts, rounds))}\n`);
    return;
  }
  // One process per run: peak RSS is per process, and a warm JIT and text memo would flatter later runs.
  const command = argv.includes('--tsx') ? [...process.execArgv, fileURLToPath(import.meta.url), '--in-process'] : [await compiledChild()];
  for (const [experts, rounds] of runs) {
    const child = spawnSync(process.execPath, [...command, String(experts), String(rounds)], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`run ${experts} × ${rounds} exited ${child.status ?? child.signal}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    process.stderr.write(`engine bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
