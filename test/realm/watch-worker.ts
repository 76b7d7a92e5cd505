/**
 * Child process of sessions.test.ts (run with `node --import tsx`): `blue realm status --watch`
 * in repo <cwd> with sessions.db under <runtimeDir>, printing to the real stdout until killed.
 * argv: <cwd> <runtimeDir>
 */
import { main } from '../../src/cli/main.ts';
import { counterIds, fixedClock, seededRng } from '../../src/core/index.ts';

const [cwd, runtime] = process.argv.slice(2);
if (!cwd || !runtime) throw new Error('usage: watch-worker <cwd> <runtimeDir>');
await main(['realm', 'status', '--watch'], {
  cwd,
  env: { XDG_RUNTIME_DIR: runtime },
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  clock: fixedClock('2026-01-24T10:00:00Z'),
  ids: counterIds(),
  rng: seededRng(1),
  isTTY: false,
  setExitCode: () => undefined,
});
