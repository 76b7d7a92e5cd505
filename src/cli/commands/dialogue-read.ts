/**
 * `blue dialogue status|list|show|lint|rejudge|explain|export`: the read side of dialogues. The
 * orchestrator is imported when an action needs it: `dialogue list` reads the store only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { UserError } from '../../core/index.ts';
import type { LintFinding } from '../../experts/index.ts';
import type { DialogueStatusReport } from '../../orchestrator/index.ts';
import { dialogueRows, lastJudgedRound } from '../../orchestrator/listing.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { withReadStore } from '../with-store.ts';
import { listRows } from '../workspace.ts';

/** Registers the read commands under `blue dialogue`. */
/** What to do when a command without an id finds no dialogue. */
export const START_FIRST = 'run `blue dialogue start` first';

export function registerDialogueReadCommands(dialogue: Command, ctx: CliContext): void {
  dialogue
    .command('status')
    .description('Where a dialogue stands: metrics per round, tokens and USD per expert and in total')
    .argument('[id]', 'dialogue id or prefix (default: the newest)')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, flags: { json?: boolean }) => {
      const { dialogueStatus, formatStatus, newestDialogueId } = await orchestrator();
      withReadStore(ctx, (store) => {
        const report: DialogueStatusReport = dialogueStatus(store, id ?? newestDialogueId(store, START_FIRST));
        ctx.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
      });
    });

  dialogue
    .command('list')
    .description('List dialogues, newest first')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => {
      // Outside a workspace: nothing listed (`[]` with --json) and, for a person, a note on stderr.
      const { rows, outside } = listRows(ctx, flags.json, () =>
        withReadStore(ctx, (store) => dialogueRows(store)),
      );
      if (flags.json) ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0 && !outside) ctx.stdout('no dialogues yet: blue dialogue start "<question>"\n');
      else for (const r of rows) ctx.stdout(`${r.id}  ${r.status.padEnd(19)} ${r.rounds} rounds\n`);
    });

  dialogue
    .command('show')
    .description('Print a dialogue document (verdict by default)')
    .argument('<id>', 'dialogue id or prefix')
    .addOption(new Option('--doc <name>', 'which document').choices(['verdict', 'summary', 'scoreboard', 'tensions', 'record']).default('verdict'))
    .option('--round <n>', 'round for --doc summary (default: last)')
    .option('--json', 'the verdict as JSON')
    .action(async (id: string, flags: { doc: string; round?: string; json?: boolean }) => {
      const { dialogueDocFile, loadDialogue, verdictView } = await orchestrator();
      withReadStore(ctx, (store, root) => {
        const data = loadDialogue(store, id);
        if (flags.json) return void ctx.stdout(`${JSON.stringify(verdictView(data), null, 2)}\n`);
        const round = flags.doc === 'summary' ? (flags.round === undefined ? lastJudgedRound(data.rounds) : Number(flags.round)) : undefined;
        const file = dialogueDocFile(data.dialogue, flags.doc, round);
        const full = path.join(root, file);
        if (!fs.existsSync(full)) throw new UserError('E_NOT_FOUND', `${file} does not exist yet`, { expected: 'a document the dialogue has written' });
        ctx.stdout(fs.readFileSync(full, 'utf8'));
      });
    });

  dialogue
    .command('lint')
    .description('Lint the markers of every response in a dialogue folder (ours or blue\'s) or a recorded dialogue file')
    .argument('<dir|id|file>', 'a dialogue folder, a dialogue id, or a *.dialogue.recorded.md')
    .option('--json', 'print JSON')
    .action(async (target: string, flags: { json?: boolean }) => {
      const file = path.resolve(ctx.cwd, target);
      const raw = isMarkdownFile(file) ? await lintRecordFile(file) : await lintWithPlanner(await resolveDialogueDir(ctx, target));
      const findings = raw.map((f) => ({ ...f, file: path.relative(ctx.cwd, f.file) }));
      if (flags.json) ctx.stdout(`${JSON.stringify(findings, null, 2)}\n`);
      else for (const f of findings) ctx.stdout(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}\n`);
      if (!flags.json) ctx.stdout(`${findings.length} finding${findings.length === 1 ? '' : 's'}\n`);
      if (findings.some((f) => f.severity === 'error')) ctx.setExitCode(EXIT.checkFailed);
    });

  dialogue
    .command('rejudge')
    .description('Re-parse and re-judge a recorded folder (ours or blue\'s) or a recorded dialogue file without writing to it')
    .argument('<dir|file>', 'recorded dialogue folder, or a *.dialogue.recorded.md')
    .option('--json', 'print JSON')
    .action(async (target: string, flags: { json?: boolean }) => {
      const { rejudge, loadRecord } = await orchestrator();
      const full = path.resolve(ctx.cwd, target);
      const report = await rejudge(isMarkdownFile(full) ? loadRecord(full).recording : full);
      if (flags.json) return void ctx.stdout(`${JSON.stringify(report)}\n`);
      ctx.stdout(`status: ${report.status}\n`);
      for (const r of report.rounds) {
        const lost = Object.entries(r.findings).map(([rule, n]) => `${rule} ${n}`);
        ctx.stdout(`round ${r.round}: panel ${r.panelSize}, P ${r.perspectives} (new ${r.newPerspectives}), T ${r.tensionsRaised}, open ${r.openTensions}, converge ${r.convergeSignals}/${r.panelSize} (${r.convergePercent}%), velocity ${r.velocity}${lost.length > 0 ? `; findings: ${lost.join(', ')}` : ''}\n`);
      }
    });

  dialogue
    .command('explain')
    .description('Why each count is what it is: the round plan (merges, resolutions, links, unresolved references) with the rule behind each')
    .argument('<id|dir|file>', 'a dialogue id, a recorded folder or a *.dialogue.recorded.md (re-judged in memory, nothing written)')
    .option('--round <n>', 'only this round')
    .action(async (target: string, flags: { round?: string }) => {
      const round = flags.round === undefined ? undefined : roundNumber(flags.round);
      const { explainDialogue, explainFolder, loadRecord } = await orchestrator();
      const full = path.resolve(ctx.cwd, target);
      if (isMarkdownFile(full)) return void ctx.stdout(await explainFolder(loadRecord(full).recording, round));
      if (fs.existsSync(full) && fs.statSync(full).isDirectory()) return void ctx.stdout(await explainFolder(full, round));
      withReadStore(ctx, (store) => ctx.stdout(explainDialogue(store, target, round)));
    });

  dialogue
    .command('export')
    .description('Everything stored about a dialogue, as JSON')
    .argument('<id>', 'dialogue id or prefix')
    .action(async (id: string) => {
      const { loadDialogue } = await orchestrator();
      withReadStore(ctx, (store) => {
        const data = loadDialogue(store, id);
        const plain = { ...data, experts: [...data.experts.values()], panels: Object.fromEntries(data.panels), responses: Object.fromEntries(data.responses), contributors: Object.fromEntries(data.contributors) };
        ctx.stdout(`${JSON.stringify(plain, null, 2)}\n`);
      });
    });
}

/** The orchestrator, imported on first use. */
const orchestrator = () => import('../../orchestrator/index.ts');

async function resolveDialogueDir(ctx: CliContext, target: string): Promise<string> {
  const asDir = path.resolve(ctx.cwd, target);
  if (fs.existsSync(asDir) && fs.statSync(asDir).isDirectory()) return asDir;
  const { findDialogue } = await orchestrator();
  return withReadStore(ctx, (store, root) => path.join(root, findDialogue(store, target).dir));
}

/** A marker lint finding placed in a file (a response file, or a recorded dialogue). */
type FileFinding = LintFinding & { file: string };

/** Lint findings of every response file in a folder, with file paths. */
export async function lintFolder(dir: string): Promise<FileFinding[]> {
  const [{ lintResponse }, { isResponseFile }] = await Promise.all([import('../../experts/index.ts'), import('../../llm/index.ts')]);
  const out: FileFinding[] = [];
  const rounds = fs.readdirSync(dir).filter((n) => /^round-\d+$/.test(n)).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  let responses = 0;
  for (const r of rounds) {
    for (const f of fs.readdirSync(path.join(dir, r)).sort()) {
      if (!isResponseFile(f)) continue;
      responses++;
      const file = path.join(dir, r, f);
      for (const finding of lintResponse(fs.readFileSync(file, 'utf8'))) out.push({ ...finding, file });
    }
  }
  if (responses === 0) throw new UserError('E_REPLAY', `no expert response in ${dir}`, { expected: 'round-N/<expert>.md files (judge files such as scoreboard.md are not responses)' });
  return out;
}

/** The parser's findings of a folder, then what the planner loses there (unresolved references, at their files). */
async function lintWithPlanner(dir: string): Promise<FileFinding[]> {
  const parsed = await lintFolder(dir);
  const { plannedFindings } = await orchestrator();
  const planned = (await plannedFindings(dir)).map(({ round, expert, ...f }) => ({ ...f, file: expert ? path.join(dir, `round-${round}`, `${expert}.md`) : dir }));
  return [...parsed, ...planned];
}

function roundNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new UserError('E_USAGE', `--round must be a round number, got "${text}"`, { expected: '--round 0, --round 1, …' });
  return Number(text);
}

/** True for a Markdown file: a recorded inline dialogue rather than a folder or a dialogue id. */
function isMarkdownFile(file: string): boolean {
  return file.endsWith('.md') && fs.existsSync(file) && fs.statSync(file).isFile();
}

/** Lint findings of a recorded inline dialogue, at lines of the file. */
async function lintRecordFile(file: string): Promise<FileFinding[]> {
  const { lintRecord, loadRecord, plannedFindings } = await orchestrator();
  const loaded = loadRecord(file);
  // The planner's losses, placed at lines of the record file.
  const planned = (await plannedFindings(loaded.recording)).map(({ round, expert, ...f }) => ({ ...f, ...(loaded.recording.locate?.(round, expert, f.line, f.column) ?? { file }) }));
  return [...lintRecord(loaded), ...planned];
}
