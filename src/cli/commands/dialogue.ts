/**
 * `blue dialogue start|resume|status|list|show|steer|lint|rejudge|export|promote` and `blue demo`.
 * Thin: parse flags, build dependencies, call the orchestrator, print.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { UserError, seededRng } from '../../core/index.ts';
import { lintResponse } from '../../experts/markers.ts';
import { BUILTIN_POOLS_DIR, resolvePool } from '../../experts/pool.ts';
import {
  DEFAULT_SETTINGS,
  type DialogueResult,
  type DialogueSettings,
  type DialogueStatusReport,
  ROTATION_MODES,
  dialogueStatus,
  findDialogue,
  formatStatus,
  loadConfig,
  loadDialogue,
  recordFileName,
  recordingPool,
  rejudge,
  resumeDialogue,
  startDialogue,
  steerDialogue,
  verdictView,
} from '../../orchestrator/index.ts';
import { loadRecording } from '../../llm/index.ts';
import { DialogueStore, openDatabase } from '../../store/index.ts';
import type { CliContext } from '../context.ts';
import { createProgressView, type ProgressMode } from '../progress.ts';
import { buildProvider, chooseProviderName } from '../providers.ts';
import { promoteCommandAction } from './docs.ts';
import { realmContextSources } from '../../realm/realm/index.ts';

/** Options of `dialogue start` as commander parses them. */
interface StartFlags {
  pool?: string;
  panelSize?: string;
  maxRounds?: string;
  minRounds?: string;
  constraint: string[];
  source: string[];
  provider?: string;
  replay?: string;
  model?: string;
  judgeModel?: string;
  judge: boolean;
  concurrency?: string;
  maxCost?: string;
  rotation?: string;
  record?: boolean;
  seed?: string;
  title?: string;
  realmContext?: boolean;
  quiet?: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** Registers the dialogue commands and `demo`. */
export function registerDialogueCommands(program: Command, ctx: CliContext): void {
  const dialogue = program.command('dialogue').description('Run and inspect alignment dialogues');
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
    .option('--provider <name>', 'anthropic | replay')
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
      const settings = startSettings(ctx, flags);
      const result = await withStore(ctx, async (store) => {
        const choice = buildProvider(ctx, settings);
        const pool = choice.recording && !flags.pool ? recordingPool(choice.recording) : resolvePool(settings.pool, { root: ctx.cwd, builtinDir: BUILTIN_POOLS_DIR });
        const sources = [...readSources(ctx, flags.source), ...(flags.realmContext ? realmContextSources(ctx.cwd) : [])];
        return runWithView(ctx, flags, (onEvent, signal) =>
          startDialogue(
            { root: ctx.cwd, store, provider: choice.provider, clock: ctx.clock, rng: seededRng(settings.seed), ...(choice.recording ? { recording: choice.recording } : {}), ...(settings.judge && settings.provider === 'anthropic' ? { judge: choice.provider } : {}), onEvent, signal, record: settings.record },
            { question, ...(flags.title ? { title: flags.title } : {}), pool, constraints: flags.constraint, sources },
            settings,
          ),
        );
      });
      finish(ctx, result, flags.json === true);
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
      const result = await withStore(ctx, async (store) => {
        const row = findDialogue(store, id);
        const overrides: Partial<DialogueSettings> = {};
        if (flags.maxCost) overrides.maxCostUsd = positiveNumber(flags.maxCost, '--max-cost');
        if (flags.replay) overrides.replayDir = flags.replay;
        const settings = { ...(JSON.parse(row.settings_json) as DialogueSettings), ...overrides };
        const choice = buildProvider(ctx, settings, store.spentUsd(row.id));
        return runWithView(ctx, flags, (onEvent, signal) =>
          resumeDialogue(
            { root: ctx.cwd, store, provider: choice.provider, clock: ctx.clock, rng: seededRng(settings.seed + store.rounds(row.id).length), ...(choice.recording ? { recording: choice.recording } : {}), ...(settings.judge && settings.provider === 'anthropic' ? { judge: choice.provider } : {}), onEvent, signal, record: settings.record },
            row.id,
            overrides,
          ),
        );
      });
      finish(ctx, result, flags.json === true);
    });

  dialogue
    .command('status')
    .description('Where a dialogue stands: metrics per round, tokens and USD per expert and in total')
    .argument('[id]', 'dialogue id or prefix (default: the newest)')
    .option('--json', 'JSON output')
    .action((id: string | undefined, flags: { json?: boolean }) =>
      withStoreSync(ctx, (store) => {
        const target = id ?? store.listDialogues()[0]?.id;
        if (!target) throw new UserError('E_NOT_FOUND', 'no dialogues in this workspace', { expected: 'run `blue dialogue start` first' });
        const report: DialogueStatusReport = dialogueStatus(store, target);
        ctx.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
      }),
    );

  dialogue
    .command('list')
    .description('List dialogues, newest first')
    .option('--json', 'JSON output')
    .action((flags: { json?: boolean }) =>
      withStoreSync(ctx, (store) => {
        const rows = store.listDialogues().map((d) => ({ id: d.id, status: d.status, rounds: store.rounds(d.id).filter((r) => r.status === 'judged').length, question: d.question }));
        if (flags.json) ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) ctx.stdout('no dialogues yet: blue dialogue start "<question>"\n');
        else for (const r of rows) ctx.stdout(`${r.id}  ${r.status.padEnd(19)} ${r.rounds} rounds\n`);
      }),
    );

  dialogue
    .command('show')
    .description('Print a dialogue document (verdict by default)')
    .argument('<id>', 'dialogue id or prefix')
    .addOption(new Option('--doc <name>', 'which document').choices(['verdict', 'summary', 'scoreboard', 'tensions', 'record']).default('verdict'))
    .option('--round <n>', 'round for --doc summary (default: last)')
    .option('--json', 'the verdict as JSON')
    .action((id: string, flags: { doc: string; round?: string; json?: boolean }) =>
      withStoreSync(ctx, (store) => {
        const data = loadDialogue(store, id);
        if (flags.json) return void ctx.stdout(`${JSON.stringify(verdictView(data), null, 2)}\n`);
        const dir = path.join(ctx.cwd, data.dialogue.dir);
        const lastRound = data.rounds.filter((r) => r.status === 'judged').at(-1)?.round ?? 0;
        const file = {
          verdict: 'verdict.md',
          summary: path.join(`round-${flags.round ?? lastRound}`, 'summary.md'),
          scoreboard: 'scoreboard.md',
          tensions: 'tensions.md',
          record: recordFileName(data.dialogue.id),
        }[flags.doc]!;
        const full = path.join(dir, file);
        if (!fs.existsSync(full)) throw new UserError('E_NOT_FOUND', `${path.join(data.dialogue.dir, file)} does not exist yet`, { expected: 'a document the dialogue has written' });
        ctx.stdout(fs.readFileSync(full, 'utf8'));
      }),
    );

  dialogue
    .command('steer')
    .description('Add a constraint that the next round must respect (a CONSTRAINT PIVOT)')
    .argument('<id>', 'dialogue id or prefix')
    .requiredOption('--constraint <text>', 'the new constraint')
    .action((id: string, flags: { constraint: string }) =>
      withStoreSync(ctx, (store) => {
        const r = steerDialogue({ store, clock: ctx.clock }, id, flags.constraint);
        ctx.stdout(`constraint added to ${r.id}: round ${r.round} prompts will carry it (run \`blue dialogue resume ${r.id}\`)\n`);
      }),
    );

  dialogue
    .command('lint')
    .description('Lint the markers of every response in a dialogue folder (ours or blue\'s)')
    .argument('<dir|id>', 'a dialogue folder, or a dialogue id')
    .option('--json', 'JSON output')
    .action((target: string, flags: { json?: boolean }) => {
      const dir = resolveDialogueDir(ctx, target);
      const findings = lintFolder(dir).map((f) => ({ ...f, file: path.relative(ctx.cwd, f.file) }));
      if (flags.json) ctx.stdout(`${JSON.stringify(findings, null, 2)}\n`);
      else for (const f of findings) ctx.stdout(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}\n`);
      if (!flags.json) ctx.stdout(`${findings.length} finding${findings.length === 1 ? '' : 's'}\n`);
      if (findings.some((f) => f.severity === 'error')) ctx.setExitCode(1);
    });

  dialogue
    .command('rejudge')
    .description('Re-parse and re-judge a recorded folder (ours or blue\'s) without writing to it')
    .argument('<dir>', 'recorded dialogue folder')
    .option('--json', 'JSON output')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const report = await rejudge(path.resolve(ctx.cwd, dir));
      if (flags.json) return void ctx.stdout(`${JSON.stringify(report)}\n`);
      ctx.stdout(`status: ${report.status}\n`);
      for (const r of report.rounds) {
        ctx.stdout(`round ${r.round}: panel ${r.panelSize}, P ${r.perspectives} (new ${r.newPerspectives}), T ${r.tensionsRaised}, open ${r.openTensions}, converge ${r.convergeSignals}/${r.panelSize} (${r.convergePercent}%), velocity ${r.velocity}\n`);
      }
    });

  dialogue
    .command('export')
    .description('Everything stored about a dialogue, as JSON')
    .argument('<id>', 'dialogue id or prefix')
    .action((id: string) =>
      withStoreSync(ctx, (store) => {
        const data = loadDialogue(store, id);
        const plain = { ...data, experts: [...data.experts.values()], panels: Object.fromEntries(data.panels), responses: Object.fromEntries(data.responses), contributors: Object.fromEntries(data.contributors) };
        ctx.stdout(`${JSON.stringify(plain, null, 2)}\n`);
      }),
    );

  dialogue
    .command('promote')
    .description('Promote a converged dialogue to rfcs/NNNN-slug.draft.md (or amend an RFC with --rfc)')
    .argument('<id>', 'dialogue id or prefix')
    .option('--allow-forced', 'also promote a dialogue that ended without convergence (the RFC says so)')
    .option('--rfc <n>', 'amend this RFC instead of creating one')
    .option('--json', 'JSON output')
    .action((id: string, flags: { allowForced?: boolean; rfc?: string; json?: boolean }) =>
      withStoreSync(ctx, (store) => {
        const data = loadDialogue(store, id);
        const input = {
          dialogueId: data.dialogue.id,
          recordFile: path.posix.join(data.dialogue.dir, recordFileName(data.dialogue.id)),
          verdict: verdictView(data),
          date: ctx.clock.now().toISOString().slice(0, 10),
          contracts: touchedContracts(data.settings),
        };
        promoteCommandAction(ctx, input, {
          ...(flags.allowForced ? { allowForced: true } : {}),
          ...(flags.rfc ? { rfc: positiveInt(flags.rfc, '--rfc') } : {}),
          ...(flags.json ? { json: true } : {}),
        });
      }),
    );

  program
    .command('demo')
    .description('Run a whole dialogue offline on the bundled example recording (no API key needed)')
    .option('--quiet', 'no progress output')
    .option('--json', 'one JSON event per line')
    .action(async (flags: { quiet?: boolean; json?: boolean }) => {
      const dir = path.join(EXAMPLES_DIR, 'api-versioning');
      const question = loadRecording(dir).question;
      if (!question) throw new UserError('E_REPLAY', `the example recording has no question`, { where: { file: path.join(dir, 'dialogue.yaml') } });
      await program.parseAsync(['dialogue', 'start', question, '--provider', 'replay', '--replay', dir, ...(flags.quiet ? ['--quiet'] : []), ...(flags.json ? ['--json'] : [])], { from: 'user' });
    });
}

/** The bundled example recordings. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url));

function startSettings(ctx: CliContext, flags: StartFlags): DialogueSettings {
  const config = loadConfig(ctx.cwd);
  const provider = chooseProviderName(flags.provider ?? config.provider, flags.replay, ctx.env);
  const settings: DialogueSettings = {
    ...DEFAULT_SETTINGS,
    ...(config.pool ? { pool: config.pool } : {}),
    ...(config.panelSize ? { panelSize: config.panelSize } : {}),
    ...(config.maxRounds ? { maxRounds: config.maxRounds } : {}),
    ...(config.minRounds ? { minRounds: config.minRounds } : {}),
    ...(config.rotation ? { rotation: config.rotation } : {}),
    ...(config.models?.expert ? { model: config.models.expert } : {}),
    ...(config.models?.judge ? { judgeModel: config.models.judge } : {}),
    ...(config.models?.tiers ? { tierModels: config.models.tiers } : {}),
    ...(config.judge !== undefined ? { judge: config.judge } : {}),
    ...(config.concurrency ? { concurrency: config.concurrency } : {}),
    ...(config.maxCost ? { maxCostUsd: config.maxCost } : {}),
    ...(config.maxTokens ? { maxTokens: config.maxTokens } : {}),
    ...(ctx.env.BLUE_MODEL ? { model: ctx.env.BLUE_MODEL } : {}),
    ...(ctx.env.BLUE_JUDGE_MODEL ? { judgeModel: ctx.env.BLUE_JUDGE_MODEL } : {}),
    provider,
    seed: flags.seed ? positiveInt(flags.seed, '--seed') : Math.floor(ctx.rng.next() * 2 ** 31),
  };
  if (flags.pool) settings.pool = flags.pool;
  if (flags.panelSize) settings.panelSize = positiveInt(flags.panelSize, '--panel-size');
  if (flags.maxRounds) settings.maxRounds = positiveInt(flags.maxRounds, '--max-rounds');
  if (flags.minRounds) settings.minRounds = positiveInt(flags.minRounds, '--min-rounds');
  if (flags.rotation) settings.rotation = flags.rotation as DialogueSettings['rotation'];
  if (flags.model) settings.model = flags.model;
  if (flags.judgeModel) settings.judgeModel = flags.judgeModel;
  if (flags.judge === false || provider === 'replay') settings.judge = false;
  if (flags.concurrency) settings.concurrency = positiveInt(flags.concurrency, '--concurrency');
  if (flags.maxCost) settings.maxCostUsd = positiveNumber(flags.maxCost, '--max-cost');
  if (flags.record) settings.record = true;
  if (flags.replay) settings.replayDir = path.resolve(ctx.cwd, flags.replay);
  if (settings.minRounds > settings.maxRounds) settings.minRounds = settings.maxRounds;
  return settings;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError('E_USAGE', `${flag} "${text}" is not a whole number ≥ 1`, { where: { field: flag }, expected: 'an integer ≥ 1' });
  return n;
}

function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UserError('E_USAGE', `${flag} "${text}" is not a positive number`, { where: { field: flag }, expected: 'a number > 0 (USD)' });
  return n;
}

function readSources(ctx: CliContext, files: string[]): { path: string; content: string }[] {
  return files.map((f) => {
    const full = path.resolve(ctx.cwd, f);
    if (!fs.existsSync(full)) throw new UserError('E_NOT_FOUND', `source file not found: ${f}`, { where: { field: '--source' }, expected: 'a readable file' });
    return { path: path.relative(ctx.cwd, full), content: fs.readFileSync(full, 'utf8') };
  });
}

async function withStore<T>(ctx: CliContext, fn: (store: DialogueStore) => Promise<T>): Promise<T> {
  const store = new DialogueStore(openDatabase(ctx.cwd));
  try {
    return await fn(store);
  } finally {
    store.db.close();
  }
}

function withStoreSync<T>(ctx: CliContext, fn: (store: DialogueStore) => T): T {
  const store = new DialogueStore(openDatabase(ctx.cwd));
  try {
    return fn(store);
  } finally {
    store.db.close();
  }
}

/** Runs with the progress view; Ctrl-C aborts in-flight calls and the snapshot stays resumable. */
async function runWithView(
  ctx: CliContext,
  flags: { quiet?: boolean; json?: boolean },
  run: (onEvent: (e: Parameters<ReturnType<typeof createProgressView>['onEvent']>[0]) => void, signal: AbortSignal) => Promise<DialogueResult>,
): Promise<DialogueResult> {
  const mode: ProgressMode = flags.json ? 'json' : flags.quiet ? 'quiet' : ctx.isTTY ? 'live' : 'plain';
  const view = createProgressView(mode, ctx.stdout, ctx.isTTY ? process.stdout : undefined);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  ctx.onInterrupt?.(onSigint);
  try {
    return await run(view.onEvent, controller.signal);
  } finally {
    view.done();
  }
}

function finish(ctx: CliContext, result: DialogueResult, json: boolean): void {
  if (!json) {
    ctx.stdout(`\n${result.outcome.toUpperCase()}: ${result.id} after ${result.rounds} round${result.rounds === 1 ? '' : 's'}\n`);
    ctx.stdout(`  verdict:  ${path.posix.join(result.dir, 'verdict.md')}\n  record:   ${path.posix.join(result.dir, recordFileName(result.id))}\n`);
    if (result.outcome === 'budget_exhausted' || result.outcome === 'cancelled') ctx.stdout(`  resume:   blue dialogue resume ${result.id}${result.outcome === 'budget_exhausted' ? ' --max-cost <higher USD>' : ''}\n`);
  }
  if (result.error && result.outcome === 'failed') throw result.error;
  if (result.outcome === 'cancelled') ctx.setExitCode(130); // the shell convention for Ctrl-C
}

/** Realm contracts among the dialogue's sources (`…/domains/<d>/contracts/<c>.yaml` → `<d>/<c>`). */
function touchedContracts(settings: DialogueSettings): string[] {
  const sources = (settings as unknown as { sources?: { path: string }[] }).sources ?? [];
  return sources.flatMap((s) => {
    const m = /domains\/([^/]+)\/contracts\/([^/]+)\.ya?ml$/.exec(s.path.split(path.sep).join('/'));
    return m ? [`${m[1]}/${m[2]}`] : [];
  });
}

function resolveDialogueDir(ctx: CliContext, target: string): string {
  const asDir = path.resolve(ctx.cwd, target);
  if (fs.existsSync(asDir) && fs.statSync(asDir).isDirectory()) return asDir;
  return withStoreSync(ctx, (store) => path.join(ctx.cwd, findDialogue(store, target).dir));
}

/** Lint findings of every response file in a folder, with file paths. */
export function lintFolder(dir: string): { file: string; line: number; column: number; severity: string; rule: string; message: string }[] {
  const out: { file: string; line: number; column: number; severity: string; rule: string; message: string }[] = [];
  const rounds = fs.readdirSync(dir).filter((n) => /^round-\d+$/.test(n)).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  if (rounds.length === 0) throw new UserError('E_REPLAY', `no round-N/ folders in ${dir}`, { expected: 'a dialogue folder' });
  for (const r of rounds) {
    for (const f of fs.readdirSync(path.join(dir, r)).sort()) {
      if (!f.endsWith('.md') || f.endsWith('.prompt.md') || f === 'summary.md') continue;
      const file = path.join(dir, r, f);
      for (const finding of lintResponse(fs.readFileSync(file, 'utf8'))) out.push({ ...finding, file });
    }
  }
  return out;
}
