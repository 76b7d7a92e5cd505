/**
 * `blue dialogue start|resume|steer|promote` and `blue demo`: running dialogues. The read
 * commands are in dialogue-read.ts. Thin: parse flags, build dependencies, call the orchestrator, print.
 * The orchestrator, pools, providers and progress view are imported when an action runs, so
 * registering these commands (for `blue dialogue list` or help) loads none of them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { BlueError, UserError, seededRng } from '../../core/index.ts';
import type { DialogueResult, DialogueSettings, ProgressEvent } from '../../orchestrator/index.ts';
import { ROTATION_MODES } from '../../orchestrator/rotation-modes.ts';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import type { StartFlags } from '../flags.ts';
import { EXIT, exitCodeOf } from '../exit-codes.ts';
import { processLease } from '../lease.ts';
import { withReadStore, withStore } from '../with-store.ts';
import { poolRef, workspaceRoot } from '../workspace.ts';
import { registerDialogueImportCommand } from './dialogue-import.ts';
import { START_FIRST, registerDialogueReadCommands } from './dialogue-read.ts';

/** Collects a repeatable option into a list. */
const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** The modules a running dialogue needs, imported on first use. */
async function runModules() {
  const [orchestrator, pool, flags, providers, realm] = await Promise.all([
    import('../../orchestrator/index.ts'),
    import('../../experts/index.ts'),
    import('../flags.ts'),
    import('../providers.ts'),
    import('../../realm/realm/index.ts'),
  ]);
  return { orchestrator, pool, flags, providers, realm };
}

/** Registers the dialogue commands and `demo`. */
export function registerDialogueCommands(program: Command, ctx: CliContext): void {
  const dialogue = program.command('dialogue').description(describeCommand('dialogue'));
  dialogue
    .command('start')
    .description('Start an alignment dialogue on a design question')
    .argument('<question>', 'the design question')
    .option('--pool <name|file>', 'expert pool (pools/<name>.yaml, shipped pool, or a file)')
    .option('--panel-size <n>', 'experts per round')
    .option('--max-rounds <n>', 'rounds before the dialogue ends forced (default 10)')
    .option('--min-rounds <n>', 'rounds before convergence may be declared (default 2)')
    .option('--constraint <text>', 'a constraint every expert must respect (repeatable)', collect, [])
    .option('--source <file>', 'a grounding file shown to every expert (repeatable)', collect, [])
    .option('--provider <name>', 'anthropic | openai | claude-code | replay (openai: OPENAI_BASE_URL, a URL or ollama|lmstudio|vllm|openrouter)')
    .option('--replay <dir>', 'recorded dialogue folder to replay (ours or blue\'s)')
    .option('--model <id>', 'expert model')
    .option('--judge-model <id>', 'judge model')
    .option('--no-judge', 'no LLM judge: deterministic synthesis only')
    .option('--concurrency <n>', 'expert calls in flight')
    .option('--max-cost <usd>', 'stop before a call would push spend over this many USD')
    .addOption(new Option('--rotation <mode>', 'panel rotation between rounds').choices([...ROTATION_MODES]))
    .option('--record', 'save every request/response pair for exact replay')
    .option('--seed <n>', 'seed for panel sampling')
    .option('--title <text>', 'dialogue title (default: the question)')
    .option('--realm-context', "add this repo's realm contracts to the sources")
    .option('--quiet', 'no progress output')
    .option('--json', 'one JSON event per line')
    .action(async (question: string, flags: StartFlags) => {
      const { orchestrator: o, pool: pools, flags: f, providers, realm } = await runModules();
      // Every input is read and checked before the workspace or its database is touched.
      o.dialogueNaming({ question, ...(flags.title === undefined ? {} : { title: flags.title }) });
      const settings = f.startSettings(ctx, flags);
      const root = workspaceRoot(ctx);
      const choice = await providers.buildProvider(ctx, settings);
      const pool = choice.recording && !flags.pool ? o.recordingPool(choice.recording) : pools.resolvePool(flags.pool ? poolRef(ctx, flags.pool) : settings.pool, { root, builtinDir: pools.BUILTIN_POOLS_DIR });
      const sources = [...f.readSources(ctx, flags.source, root), ...(flags.realmContext ? realm.realmContextSources(root) : [])];
      const { withRealmSessions } = await import('./realm-sessions.ts');
      const result = await withRealmSessions(ctx, root, 'dialogue', [flags.title ?? question], () => withStore(ctx, (store) =>
        runWithView(ctx, flags, settings, (onEvent, signal) =>
          o.startDialogue(
            { root, store, provider: choice.provider, clock: ctx.clock, rng: seededRng(settings.seed), ...(choice.recording ? { recording: choice.recording } : {}), ...judgeOption(providers.judgeFor(settings, choice)), onEvent, signal, record: settings.record, lease: processLease() },
            { question, ...(flags.title ? { title: flags.title } : {}), pool, constraints: flags.constraint, sources },
            settings,
          ),
        ),
      ));
      finish(ctx, result, flags.json === true, o.recordFileName);
    });

  dialogue
    .command('resume')
    .description('Continue a dialogue from its stored state (no stored expert call is repeated)')
    .argument('<id>', 'dialogue id or unique prefix')
    .option('--max-cost <usd>', 'raise the budget')
    .option('--replay <dir>', 'recorded folder (replay dialogues)')
    .option('--quiet', 'no progress output')
    .option('--json', 'one JSON event per line')
    .action(async (id: string, flags: { maxCost?: string; replay?: string; quiet?: boolean; json?: boolean }) => {
      const { orchestrator: o, flags: f, providers } = await runModules();
      const { withRealmSessions } = await import('./realm-sessions.ts');
      const result = await withRealmSessions(ctx, workspaceRoot(ctx), 'dialogue', [id], () => withStore(ctx, async (store, root) => {
        const row = o.findDialogue(store, id);
        const overrides: Partial<DialogueSettings> = {};
        if (flags.maxCost) overrides.maxCostUsd = f.positiveNumber(flags.maxCost, '--max-cost');
        if (flags.replay) overrides.replayDir = flags.replay;
        const settings = { ...row.settings, ...overrides };
        const observed = store.llmCalls(row.id).filter((c) => c.outcome === 'ok').map((c) => ({ purpose: c.purpose, outputTokens: c.output_tokens }));
        const choice = await providers.buildProvider(ctx, settings, store.spentUsd(row.id), observed);
        return runWithView(ctx, flags, { ...settings, spentUsd: store.spentUsd(row.id) }, (onEvent, signal) =>
          o.resumeDialogue(
            { root, store, provider: choice.provider, clock: ctx.clock, rng: seededRng(settings.seed + store.rounds(row.id).length), ...(choice.recording ? { recording: choice.recording } : {}), ...judgeOption(providers.judgeFor(settings, choice)), onEvent, signal, record: settings.record, lease: processLease() },
            row.id,
            overrides,
          ),
        );
      }, 'existing'));
      finish(ctx, result, flags.json === true, o.recordFileName);
    });

  dialogue
    .command('steer')
    .description('Add a constraint that the next round must respect (a CONSTRAINT PIVOT)')
    .argument('<id>', 'dialogue id or prefix')
    .requiredOption('--constraint <text>', 'the new constraint')
    .action(async (id: string, flags: { constraint: string }) => {
      const { steerDialogue } = await import('../../orchestrator/index.ts');
      withReadStore(ctx, (store) => {
        const r = steerDialogue({ store, clock: ctx.clock, lease: processLease() }, id, flags.constraint);
        ctx.stdout(`constraint added to ${r.id}: round ${r.round} prompts will carry it (run \`blue dialogue resume ${r.id}\`)\n`);
      });
    });

  dialogue
    .command('promote')
    .description('Promote a converged dialogue to rfcs/NNNN-slug.draft.md (or amend an RFC with --rfc)')
    .argument('[id]', 'dialogue id or prefix (default: the newest)')
    .option('--allow-forced', 'also promote a dialogue that ended without convergence (the RFC says so)')
    .option('--rfc <n>', 'amend this RFC instead of creating one')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, flags: { allowForced?: boolean; rfc?: string; json?: boolean }) => {
      const [o, { positiveInt }, { promoteCommandAction }] = await Promise.all([import('../../orchestrator/index.ts'), import('../flags.ts'), import('./docs.ts')]);
      const input = withReadStore(ctx, (store) => o.promotionInput(o.loadDialogue(store, id ?? o.newestDialogueId(store, START_FIRST)), ctx.clock.now().toISOString().slice(0, 10)));
      await promoteCommandAction(ctx, input, {
        ...(flags.allowForced ? { allowForced: true } : {}),
        ...(flags.rfc ? { rfc: positiveInt(flags.rfc, '--rfc') } : {}),
        ...(flags.json ? { json: true } : {}),
      });
    });

  registerDialogueReadCommands(dialogue, ctx);
  registerDialogueImportCommand(dialogue, ctx);

  program
    .command('demo')
    .description(describeCommand('demo'))
    .option('--quiet', 'no progress output')
    .option('--json', 'one JSON event per line')
    .action(async (flags: { quiet?: boolean; json?: boolean }) => {
      const { loadRecording } = await import('../../llm/index.ts');
      const dir = path.join(EXAMPLES_DIR, 'api-versioning');
      const question = loadRecording(dir).question;
      if (!question) throw new UserError('E_REPLAY', `the example recording has no question`, { where: { file: path.join(dir, 'dialogue.yaml') } });
      await program.parseAsync(['dialogue', 'start', question, '--provider', 'replay', '--replay', dir, ...(flags.quiet ? ['--quiet'] : []), ...(flags.json ? ['--json'] : [])], { from: 'user' });
    });
}

/** The bundled example recordings. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** Runs with the progress view; Ctrl-C aborts the run's signal, which the facilitator turns into a CANCEL event (resumable). */
async function runWithView(
  ctx: CliContext,
  flags: { quiet?: boolean; json?: boolean },
  settings: Pick<DialogueSettings, 'maxRounds' | 'maxCostUsd'> & { spentUsd?: number },
  run: (onEvent: (e: ProgressEvent) => void, signal: AbortSignal) => Promise<DialogueResult>,
): Promise<DialogueResult> {
  const { createProgressView, progressMode } = await import('../progress.ts');
  const mode = progressMode(flags, ctx.isTTY, ctx.env);
  const view = createProgressView(mode, {
    write: ctx.stdout,
    ...(mode === 'live' ? { stream: process.stdout } : {}),
    clock: ctx.clock,
    maxRounds: settings.maxRounds,
    maxCostUsd: settings.maxCostUsd,
    ...(settings.spentUsd ? { spentUsd: settings.spentUsd } : {}),
  });
  const controller = new AbortController();
  ctx.onInterrupt?.(() => {
    view.interrupted();
    controller.abort();
  });
  try {
    return await run(view.onEvent, controller.signal);
  } finally {
    view.done();
  }
}

/**
 * Exit code of a finished run: 0 converged; 3 ended without converging (forced, recording or
 * budget exhausted); 4 provider unavailable; 130 cancelled; a failed run exits by its error, or
 * undefined when it carries none.
 */
export function outcomeExitCode(result: DialogueResult): number | undefined {
  switch (result.outcome) {
    case 'converged':
      return EXIT.ok;
    case 'forced':
    case 'recording_exhausted':
    case 'budget_exhausted':
      return EXIT.notConverged;
    case 'cancelled':
      return EXIT.cancelled;
    case 'provider_unavailable':
      return EXIT.providerUnavailable;
    default:
      return result.error instanceof BlueError ? exitCodeOf(result.error) : undefined;
  }
}

/** Prints the one final line (from the stored rounds) and sets the exit code; a failed run throws its error. */
function finish(ctx: CliContext, result: DialogueResult, json: boolean, recordFileName: (id: string) => string): void {
  const code = outcomeExitCode(result);
  const resumable = result.outcome === 'budget_exhausted' || result.outcome === 'cancelled' || code === EXIT.providerUnavailable;
  if (!json) {
    ctx.stdout(`\n${result.outcome.toUpperCase()}: ${result.id} after ${result.rounds} round${result.rounds === 1 ? '' : 's'}\n`);
    ctx.stdout(`  verdict:  ${path.posix.join(result.dir, 'verdict.md')}\n  record:   ${path.posix.join(result.dir, recordFileName(result.id))}\n`);
    if (resumable) ctx.stdout(`  resume:   blue dialogue resume ${result.id}${result.outcome === 'budget_exhausted' ? ' --max-cost <higher USD>' : ''}\n`);
  }
  // A failed run's error is printed by main (one line, or JSON with --json) and exits by the table;
  // so is an unavailable provider's (E_LLM / E_LLM_AUTH: exit 4, the line names the cause, never the key).
  if (result.outcome === 'failed' || result.outcome === 'provider_unavailable') throw result.error ?? new BlueError('E_INTERNAL', `dialogue ${result.id} ${result.outcome} without an error`);
  ctx.setExitCode(code ?? EXIT.internal);
}

/** `{judge}` for the engine deps when the run has an LLM judge. */
function judgeOption<J>(judge: J | undefined): { judge?: J } {
  return judge ? { judge } : {};
}
