/**
 * `npm run bench`: a 12-expert, 10-round dialogue against in-process fakes with real sleeping
 * latency and simulated prompt-cache accounting. Prints per-round figures and a summary; writes
 * nothing. A second run without cache warm-up is printed for comparison of (a) and (b).
 */
import os from 'node:os';
import { roundTable, summaryBlock } from './report.ts';
import { DEFAULT_SCENARIO, runScenario } from './scenario.ts';

async function main(): Promise<void> {
  const opts = DEFAULT_SCENARIO;
  const e = opts.expertLatency;
  process.stdout.write(`blue bench: ${opts.panelSize} experts × ${opts.maxRounds} rounds, expert latency ${e.minMs}–${e.maxMs} ms (seeded ${opts.seed}), concurrency ${opts.panelSize}\n`);
  // Wall-time figures are only as good as the machine is idle: show how busy it was.
  process.stdout.write(`machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start\n\n`);
  const main = await runScenario(opts);
  const plain = await runScenario({ ...opts, warmUp: false });
  process.stdout.write(`${roundTable(main.summary.rows)}\n\n${summaryBlock(opts, main, plain)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
