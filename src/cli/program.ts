/**
 * The commander program: top-level commands from the command table (a group's module is
 * imported only when the command line needs it), `--version`, `help [command…]` with
 * `help exit-codes`, `completion <shell>`, and the examples of every command.
 */
import fs from 'node:fs';
import { Argument, Command, Help } from 'commander';
import { UserError } from '../core/index.ts';
import { GROUP_LOADERS, TOP_LEVEL_COMMANDS, groupsFor, type GroupName } from './command-table.ts';
import { COMPLETION_SHELLS, completionScript, type Shell } from './completion.ts';
import type { CliContext } from './context.ts';
import { applyExamples } from './examples.ts';
import { exitCodeText } from './exit-codes.ts';

/** Options of {@link buildProgram}. */
export interface ProgramOptions {
  /** Group imports; tests pass spies. Default {@link GROUP_LOADERS}. */
  loaders?: Record<GroupName, () => Promise<(program: Command, ctx: CliContext) => void>>;
  /** Load every group whatever `argv` says (completion, tests of the whole tree). */
  all?: boolean;
  /** Called with a usage error's text instead of printing it (the CLI's `--json` mode). */
  onUsageError?: (text: string) => void;
}

/** The package version, from package.json (same relative place from src/ and dist/). */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Builds the program for `argv`: the groups `argv` names are registered in full, the others as
 * name-and-description stubs so the top-level help still lists every command.
 */
export async function buildProgram(ctx: CliContext, argv: readonly string[], opts: ProgramOptions = {}): Promise<Command> {
  const loaders = opts.loaders ?? GROUP_LOADERS;
  const program = new Command('blue')
    .description('Alignment dialogues: expert panels, computed convergence, RFCs and realms')
    .version(packageVersion(), '-V, --version', 'Print the version')
    .helpOption('-h, --help', 'Show help')
    .enablePositionalOptions() // `realm contract create --version 1.0.0` is the subcommand's option
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr, outputError: (text, write) => (opts.onUsageError ? opts.onUsageError(text) : write(text)) })
    .configureHelp({ subcommandTerm: topLevelTerm })
    .showHelpAfterError(false);
  const wanted = opts.all ? new Set(Object.keys(loaders) as GroupName[]) : groupsFor(argv);
  const done = new Set<GroupName>();
  for (const entry of TOP_LEVEL_COMMANDS) {
    if (!wanted.has(entry.group)) program.command(entry.name).description(entry.description);
    else if (!done.has(entry.group)) {
      done.add(entry.group);
      (await loaders[entry.group]())(program, ctx);
    }
  }
  registerHelp(program, ctx);
  registerCompletion(program, ctx);
  applyExamples(program);
  return program;
}

/** Top-level commands are listed by name only: the stubs of unloaded groups know no more. */
function topLevelTerm(this: void, cmd: Command): string {
  const topLevel = cmd.parent !== null && cmd.parent.parent === null;
  return topLevel ? cmd.name() : Help.prototype.subcommandTerm.call(new Help(), cmd);
}

function registerHelp(program: Command, ctx: CliContext): void {
  program
    .command('help')
    .description('Show help for a command; `blue help exit-codes` lists the exit codes')
    .argument('[command...]', 'command path, e.g. `rfc create`, or exit-codes')
    .action((words: string[]) => {
      if (words[0] === 'exit-codes') return ctx.stdout(exitCodeText());
      let cmd = program;
      for (const word of words) {
        const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub) throw new UserError('E_USAGE', `unknown command "${words.join(' ')}"`, { expected: `one of ${cmd.commands.map((c) => c.name()).join(', ')}` });
        cmd = sub;
      }
      cmd.outputHelp();
    });
}

function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(COMPLETION_SHELLS))
    .action((shell: Shell) => ctx.stdout(completionScript(program, shell)));
}
