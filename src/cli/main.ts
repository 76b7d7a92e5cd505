/**
 * The `blue` program. The only module that reads argv, cwd, env and decides exit codes.
 */
import { Command, CommanderError } from 'commander';
import { BlueError, isUserFacing, randomIds, seededRng, systemClock } from '../core/index.ts';
import type { CliContext } from './context.ts';
import { registerDialogueCommands } from './commands/dialogue.ts';
import { registerDocumentCommands } from './commands/docs.ts';
import { registerPoolCommands } from './commands/pool.ts';
import { registerRealmCommands } from './commands/realm.ts';

/** Builds the commander program wired to `ctx`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('blue')
    .description('Alignment dialogues: expert panels, computed convergence, RFCs and realms.')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .showHelpAfterError(false);
  registerDialogueCommands(program, ctx);
  registerPoolCommands(program, ctx);
  registerDocumentCommands(program, ctx);
  registerRealmCommands(program, ctx);
  return program;
}

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
 * Runs the CLI and resolves to the exit code: 0 ok, 1 check failed, 2 usage/input error,
 * 70 internal error (printed with its stack).
 */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {

  let code = 0;
  const context: CliContext = { ...ctx, setExitCode: (c) => (code = c) };
  try {
    await buildProgram(context).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, context);
  }
}

function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    return 2; // commander already printed its one-line message
  }
  if (isUserFacing(err)) {
    ctx.stderr(`${err.oneLine()}\n`);
    return err.exitCode;
  }
  const e = err instanceof BlueError ? err : new BlueError('E_INTERNAL', String(err), { cause: err });
  ctx.stderr(`${e.oneLine()}\n${err instanceof Error && err.stack ? err.stack : ''}\n`);
  return 70;
}
