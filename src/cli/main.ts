/**
 * The `blue` program. The only module that reads argv, cwd, env and decides exit codes
 * (through the table in exit-codes.ts).
 */
import { CommanderError } from 'commander';
import { BlueError, formatLocation, isUserFacing, randomIds, seededRng, systemClock } from '../core/index.ts';
import type { CliContext } from './context.ts';
import { EXIT, exitCodeOf } from './exit-codes.ts';
import { buildProgram } from './program.ts';

export { buildProgram } from './program.ts';

/** Default context from the real process. */
export function processContext(): CliContext {
  // A closed pipe (`blue … | head`) is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const seed = process.env.BLUE_SEED ? Number(process.env.BLUE_SEED) : Date.now() & 0x7fffffff;
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    clock: systemClock,
    ids: randomIds,
    rng: seededRng(seed),
    isTTY: Boolean(process.stdout.isTTY),
    setExitCode: (code) => {
      process.exitCode = code;
    },
    onInterrupt: (handler) => {
      // First Ctrl-C stops in-flight calls cleanly (resumable); a second one exits at once.
      process.once('SIGINT', () => {
        process.stderr.write('\ncancelling: in-flight calls are stopped; resume with `blue dialogue resume <id>`\n');
        process.once('SIGINT', () => process.exit(130));
        handler();
      });
    },
  };
}

/**
 * Runs the CLI and resolves to the exit code (see {@link EXIT}). Errors print one line, or with
 * `--json` anywhere on the command line one JSON object `{"error":{"code","message","where"}}`
 * on stderr; internal errors (70) add their stack.
 */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  let code: number = EXIT.ok;
  const json = argv.includes('--json');
  let usage: string | undefined;
  const context: CliContext = { ...ctx, setExitCode: (c) => (code = c) };
  try {
    const program = await buildProgram(context, argv, json ? { onUsageError: (text) => (usage = text) } : {});
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, context, json, usage);
  }
}

function reportError(err: unknown, ctx: CliContext, json: boolean, usage: string | undefined): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
    // Commander printed its one-line message already, unless --json asked for the JSON shape.
    if (json) ctx.stderr(errorJson('E_USAGE', (usage ?? err.message).trim().replace(/^error: /, ''), undefined));
    return EXIT.usage;
  }
  const e = err instanceof BlueError ? err : new BlueError('E_INTERNAL', String(err), { cause: err });
  const internal = !isUserFacing(e);
  const stack = internal && err instanceof Error && err.stack ? err.stack : undefined;
  if (json) ctx.stderr(errorJson(e.code, e.expected ? `${e.message}; expected ${e.expected}` : e.message, formatLocation(e.where) || undefined, stack));
  else ctx.stderr(`${e.oneLine()}\n${stack ? `${stack}\n` : ''}`);
  return exitCodeOf(e);
}

/** One line of JSON: `{"error":{"code","message","where"}}` (`where` null when unknown). */
function errorJson(code: string, message: string, where: string | undefined, stack?: string): string {
  return `${JSON.stringify({ error: { code, message, where: where ?? null, ...(stack ? { stack } : {}) } })}\n`;
}
