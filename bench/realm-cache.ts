/**
 * `npm run bench` realm-cache section: `blue realm check --mode contract` over a realm of
 * CONTRACTS contracts (each with two versions, so compatibility is checked), run three times
 * in one process: cold cache, warm cache, and warm process with --no-cache (to separate the
 * cache from process warm-up). The goal is the warm-cache run ≥ 5× faster than the first.
 * A measurement, not a test: it prints figures and never fails on them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliContext } from '../src/cli/context.ts';
import { main } from '../src/cli/main.ts';
import { counterIds, fixedClock, seededRng } from '../src/core/index.ts';
import { bumpContract, createContract, createDomain, initRealm, joinRealm, loadRealm } from '../src/realm/realm/index.ts';

const CONTRACTS = Number(process.env.BENCH_REALM_CONTRACTS ?? 200);
const GOAL = 5;
const clock = fixedClock('2026-12-01T10:00:00Z');

function gitIn(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@local', ...args], { cwd, stdio: 'ignore' });
}

/** A realm with one repo `a` owning CONTRACTS contracts at 1.1.0, committed with sync's trailer. */
async function buildRealm(top: string): Promise<string> {
  const repo = path.join(top, 'a');
  fs.mkdirSync(repo, { recursive: true });
  gitIn(repo, 'init', '-q', '-b', 'main');
  initRealm(path.join(top, 'realm'), 'bench', clock);
  joinRealm(repo, '../realm', 'a', clock);
  createDomain(loadRealm(path.join(top, 'realm')), 'd', ['a'], clock);
  const schema = (extra: boolean) => ({
    type: 'object',
    required: ['read'],
    properties: { read: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9/*.-]+$' } }, ...(extra ? { write: { type: 'array', items: { type: 'string' }, default: [] } } : {}) },
  });
  let model = loadRealm(path.join(top, 'realm'));
  for (let i = 0; i < CONTRACTS; i++) createContract(model, { domain: 'd', name: `c${i}`, owner: 'a', actor: 'a', schema: schema(false), value: { read: [`jobs/${i}/*`] } });
  model = loadRealm(path.join(top, 'realm'));
  for (let i = 0; i < CONTRACTS; i++) await bumpContract(model, { contract: `c${i}`, actor: 'a', schema: schema(true), now: clock.now() });
  // As sync would: on a sync branch of the owner, merged into main.
  gitIn(model.root, 'checkout', '-q', '-b', 'sync/a/bench');
  gitIn(model.root, 'add', '-A');
  gitIn(model.root, 'commit', '-q', '-m', 'bench contracts\n\nBlue-Repo: a');
  gitIn(model.root, 'checkout', '-q', 'main');
  gitIn(model.root, 'merge', '-q', '--ff-only', 'sync/a/bench');
  return repo;
}

async function timeCheck(repo: string, extra: string[]): Promise<number> {
  let out = '';
  const ctx: CliContext = { cwd: repo, env: {}, stdout: (t) => void (out += t), stderr: (t) => void (out += t), clock, ids: counterIds(), rng: seededRng(1), isTTY: false, setExitCode: () => undefined };
  const start = process.hrtime.bigint();
  const code = await main(['realm', 'check', '--mode', 'contract', ...extra], ctx);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (code !== 0) throw new Error(`realm check exited ${code}: ${out.split('\n').slice(0, 3).join(' | ')}`);
  return ms;
}

const top = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-bench-realm-'));
try {
  const repo = await buildRealm(top);
  const cold = await timeCheck(repo, []);
  const warm = await timeCheck(repo, []);
  const uncached = await timeCheck(repo, ['--no-cache']);
  const ratio = cold / warm;
  console.log(`realm check --mode contract over ${CONTRACTS} contracts`);
  console.log(`  first (cold cache):        ${cold.toFixed(0)} ms`);
  console.log(`  second (warm cache):       ${warm.toFixed(0)} ms`);
  console.log(`  third (--no-cache):        ${uncached.toFixed(0)} ms`);
  console.log(`  first / second: ${ratio.toFixed(1)}× (goal ≥ ${GOAL}×: ${ratio >= GOAL ? 'met' : 'NOT met'}); --no-cache / second: ${(uncached / warm).toFixed(1)}×`);
} finally {
  if (!process.env.BENCH_KEEP) fs.rmSync(top, { recursive: true, force: true });
  else console.log(top);
}
