/**
 * `npm run bench` start-up section: wall time of a few `blue` commands next to `node -e 0`,
 * side by side in one run, in an empty temp directory. The goal is each ≤ 3× `node -e 0`.
 * A measurement, not a test: it prints figures and never fails on them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs per command; the median is reported (the first, warm-up run is dropped). */
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 11);
const GOAL_RATIO = 3;
/** The entry point measured; BENCH_BIN points at another checkout's bin/blue.js for a before/after. */
const BIN = process.env.BENCH_BIN ?? fileURLToPath(new URL('../bin/blue.js', import.meta.url));

const CASES: { label: string; args: string[] }[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'blue --help', args: [BIN, '--help'] },
  { label: 'blue rfc list', args: [BIN, 'rfc', 'list'] },
  { label: 'blue dialogue list --json', args: [BIN, 'dialogue', 'list', '--json'] },
];

/** Wall time of one `node <args>` run in ms. @throws Error when the command fails. */
function timeOnce(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return ms;
}

/**
 * Modules one run resolves (ESM resolve hook, in a separate run from the timed ones) and
 * whether the provider SDK is among them.
 */
function modulesLoaded(args: string[], cwd: string): { count: number; sdk: boolean } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-modules-'));
  const log = path.join(dir, 'log');
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), `import fs from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${path.join(dir, 'hooks.mjs')}`)});\n`);
  try {
    spawnSync(process.execPath, ['--import', path.join(dir, 'register.mjs'), ...args], { cwd, stdio: 'ignore' });
    const urls = new Set(fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
    return { count: urls.size, sdk: [...urls].some((u) => u.includes('@anthropic-ai/sdk')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function main(): void {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-startup-'));
  try {
    const samples = CASES.map(() => [] as number[]);
    // Interleaved rounds so a load spike hits every command alike.
    for (let run = 0; run <= RUNS; run++) {
      CASES.forEach((c, i) => {
        const ms = timeOnce(c.args, cwd);
        if (run > 0) samples[i]!.push(ms);
      });
    }
    const base = median(samples[0]!);
    process.stdout.write(`start-up: median of ${RUNS} runs in an empty temp dir, load average ${os.loadavg()[0]!.toFixed(2)}\n`);
    CASES.forEach((c, i) => {
      const m = median(samples[i]!);
      const ratio = m / base;
      const verdict = i === 0 ? '' : ratio <= GOAL_RATIO ? `  ok (≤ ${GOAL_RATIO}×)` : `  over the ${GOAL_RATIO}× goal`;
      const mods = i === 0 ? '' : (({ count, sdk }) => `  ${count} modules${sdk ? ', provider SDK loaded' : ''}`)(modulesLoaded(c.args, cwd));
      process.stdout.write(`  ${c.label.padEnd(28)} ${m.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}×${verdict}${mods}\n`);
    });
    process.stdout.write('\n');
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

main();
