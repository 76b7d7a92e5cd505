/**
 * `blue rfc …`, `blue adr …`, `blue record …`, `blue index`, `blue lint`, and the action behind
 * `blue dialogue promote`. Thin: parse arguments, call src/realm/documents, print.
 * `list` and `show` read the index through light modules; the commands that parse or write
 * Markdown import the documents engine when they run.
 */
import type { Command } from 'commander';
import { UserError } from '../../core/index.ts';
import type { IndexReport, NumberedType, PromotionInput, PromotionOptions, PromotionResult, RenameStyle } from '../../realm/documents/index.ts';
import { NAME_FORMS, TYPE_WORDS, formatNumber } from '../../realm/documents/model.ts';
import { type DocIndex, type IndexedDocument, docKey, withDocIndex } from '../../realm/documents/queries.ts';
import { requireStatus } from '../../realm/documents/transitions.ts';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { workspaceDb } from '../with-store.ts';
import { findWorkspace, listRows } from '../workspace.ts';

/**
 * Runs `fn` with the workspace's document index and root, closing it afterwards. `create` makes
 * the workspace when missing; `read` creates nothing.
 * @throws UserError E_NOT_FOUND for `read` outside any workspace.
 */
function withIndex<T>(ctx: CliContext, fn: (index: DocIndex, root: string) => T, mode: 'create' | 'read' = 'create'): T {
  const { root, at } = workspaceDb(ctx, mode === 'create' ? 'create' : 'existing');
  return withDocIndex(at, (index) => fn(index, root));
}

/** `YYYY-MM-DD` from the injected clock. */
function today(ctx: CliContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

/**
 * A document number argument (`1`, `0001`).
 * @throws UserError E_USAGE for anything else.
 */
export function parseDocNumber(value: string, flag = 'number'): number {
  if (!/^\d{1,4}$/.test(value.trim()) || Number(value) === 0) throw new UserError('E_USAGE', `${flag} "${value}" is not a document number`, { expected: '1 to 9999' });
  return Number(value);
}

/**
 * A `--rename-style` value.
 * @throws UserError E_USAGE naming the styles.
 */
export function parseRenameStyle(value: string): RenameStyle {
  const styles: readonly string[] = ['keep', ...NAME_FORMS];
  if (styles.includes(value)) return value as RenameStyle;
  throw new UserError('E_USAGE', `--rename-style "${value}" is not a naming style`, { expected: `one of ${styles.join(', ')}` });
}

/** `blue index` in words: totals, per type the counts by status, then every file not read. */
export function formatIndexReport(r: IndexReport): string {
  const lines = [`indexed ${r.documents} documents, ${r.links} links`];
  for (const [type, counts] of Object.entries(r.statuses)) {
    lines.push(`  ${type}: ${Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(', ')}`);
  }
  for (const f of r.stray.companions) lines.push(`skipped ${f} (RFC plan companion)`);
  for (const f of r.stray.other) lines.push(`skipped ${f} (not Markdown)`);
  for (const f of r.stray.unrecognised) lines.push(`not read ${f}: unrecognised name (see blue lint)`);
  return `${lines.join('\n')}\n`;
}

function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

function listLine(d: IndexedDocument): string {
  return `${formatNumber(d.number ?? 0)}  ${(d.status ?? '?').padEnd(12)} ${d.title}  (${d.file})\n`;
}

/** The documents engine (Markdown parsing, lifecycle, lint, promotion), imported on first use. */
const documents = () => import('../../realm/documents/index.ts');

function registerTypeCommands(program: Command, ctx: CliContext, type: NumberedType): void {
  const word = TYPE_WORDS[type];
  const group = program.command(type).description(describeCommand(type));

  const create = group.command('create <title>').description(`Create an ${word} from the template`).option('--json', 'print JSON');
  if (type === 'adr') create.option('--rfc <n>', 'the RFC this ADR records');
  create.action(async (title: string, o: { json?: boolean; rfc?: string }) => {
    const { cleanTitle, createAdr, createRfc, requireSlug } = await documents();
    requireSlug(cleanTitle(title)); // a title with nothing to name the file is refused before .blue/ is made
    const deps = { now: ctx.clock.now().toISOString() };
    const out = withIndex(ctx, (index, root) =>
      type === 'rfc'
        ? createRfc(root, index, title, today(ctx), deps)
        : createAdr(root, index, title, today(ctx), deps, o.rfc === undefined ? {} : { rfc: parseDocNumber(o.rfc, '--rfc') }),
    );
    if (o.json) printJson(ctx, out);
    else ctx.stdout(`created ${out.file}\n`);
  });

  group
    .command('list')
    .description(`List ${word}s from the index`)
    .option('--status <status>', 'only this status')
    .option('--json', 'print JSON')
    .action((o: { status?: string; json?: boolean }) => {
      const status = o.status === undefined ? undefined : requireStatus(type, o.status);
      const { rows: docs, outside } = listRows(ctx, o.json, () => withIndex(ctx, (index) => index.list(type, status), 'read'));
      if (o.json) printJson(ctx, docs);
      else if (!outside) ctx.stdout(docs.length > 0 ? docs.map(listLine).join('') : `no ${word}s in the index (run blue index after adding files by hand)\n`);
    });

  group
    .command('show <n>')
    .description(`Show one ${word} from the index, with its links`)
    .option('--json', 'print JSON')
    .action((n: string, o: { json?: boolean }) => {
      const number = parseDocNumber(n);
      const out = withIndex(ctx, (index) => {
        const docs = index.find(type, number);
        const doc = docs[0];
        if (!doc) throw new UserError('E_NOT_FOUND', `${word} ${formatNumber(number)} is not in the index (run blue index)`);
        const links = [...index.linksTouching(docKey(type, number)), ...index.linksTouching(doc.file)];
        return { ...doc, duplicates: docs.slice(1).map((d) => d.file), links };
      }, 'read');
      if (o.json) return printJson(ctx, out);
      ctx.stdout(`${word} ${formatNumber(number)}: ${out.title}\nstatus: ${out.status ?? '?'}\nfile: ${out.file}\n`);
      if (out.date) ctx.stdout(`date: ${out.date}\n`);
      for (const l of out.links) ctx.stdout(`link: ${l.source} ${l.kind} ${l.target}\n`);
    });

  group
    .command('status <n>')
    .description(`Move an ${word} to another status (renames the file, rewrites the header)`)
    .requiredOption('--set <status>', 'the new status')
    .option('--by <n>', 'the superseding document (with --set superseded)')
    .option('--rename-style <style>', `name the file as ${NAME_FORMS.join('|')} instead of keeping its style`)
    .option('--json', 'print JSON')
    .action(async (n: string, o: { set: string; by?: string; renameStyle?: string; json?: boolean }) => {
      const { setDocumentStatus } = await documents();
      const number = parseDocNumber(n);
      const opts = {
        ...(o.by === undefined ? {} : { by: parseDocNumber(o.by, '--by') }),
        ...(o.renameStyle === undefined ? {} : { renameStyle: parseRenameStyle(o.renameStyle) }),
      };
      const out = withIndex(ctx, (index, root) => setDocumentStatus(root, index, type, number, o.set, { now: ctx.clock.now().toISOString() }, opts));
      if (o.json) printJson(ctx, out);
      else ctx.stdout(`${word} ${formatNumber(number)}: ${out.from} → ${out.to} (${out.file})\n`);
    });
}

function registerRecordCommands(program: Command, ctx: CliContext): void {
  const group = program.command('record').description(describeCommand('record'));
  group
    .command('list')
    .description('List dialogue records from the index')
    .option('--status <status>', 'only this status (recorded, published)')
    .option('--json', 'print JSON')
    .action((o: { status?: string; json?: boolean }) => {
      const status = o.status === undefined ? undefined : requireStatus('dialogue', o.status);
      const { rows: docs, outside } = listRows(ctx, o.json, () => withIndex(ctx, (index) => index.list('dialogue', status), 'read'));
      if (o.json) printJson(ctx, docs);
      else if (!outside) ctx.stdout(docs.length > 0 ? docs.map((d) => `${(d.status ?? '?').padEnd(10)} ${d.slug}  (${d.file})\n`).join('') : 'no dialogue records in the index\n');
    });
  group
    .command('status <id>')
    .description('Move a dialogue record to another status (renames it, rewrites the links to it)')
    .requiredOption('--set <status>', 'the new status')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { set: string; json?: boolean }) => {
      const { setRecordStatus } = await documents();
      const out = withIndex(ctx, (index, root) => setRecordStatus(root, index, id, o.set, { now: ctx.clock.now().toISOString() }));
      if (o.json) printJson(ctx, out);
      else ctx.stdout(`record ${id}: ${out.from} → ${out.to} (${out.file})\n`);
    });
}

/** Registers `rfc`, `adr`, `record`, `index` and `lint` on `program`. */
export function registerDocumentCommands(program: Command, ctx: CliContext): void {
  registerTypeCommands(program, ctx, 'rfc');
  registerTypeCommands(program, ctx, 'adr');
  registerRecordCommands(program, ctx);

  program
    .command('index')
    .description(describeCommand('index'))
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { rebuildIndex } = await documents();
      const out = withIndex(ctx, (index, root) => rebuildIndex(root, index, ctx.clock.now().toISOString()));
      if (o.json) printJson(ctx, out);
      else ctx.stdout(formatIndexReport(out));
    });

  program
    .command('lint')
    .description(describeCommand('lint'))
    .option('--fix', 'point links to a renamed document at its current name first')
    .option('--json', 'print JSON')
    .action(async (o: { fix?: boolean; json?: boolean }) => {
      const { fixRenamedLinks, formatFinding, hasErrors, lintDocuments } = await documents();
      if (o.fix) {
        const fixed = withIndex(ctx, (index, root) => fixRenamedLinks(root, index, { now: ctx.clock.now().toISOString() }));
        (o.json ? ctx.stderr : ctx.stdout)(`fixed links to ${fixed.targets.length} renamed documents in ${fixed.files.length} files\n`);
      }
      const findings = lintDocuments(findWorkspace(ctx.cwd).root);
      if (o.json) printJson(ctx, findings);
      else ctx.stdout(findings.length > 0 ? findings.map((f) => `${formatFinding(f)}\n`).join('') : 'no problems found\n');
      if (hasErrors(findings)) ctx.setExitCode(EXIT.checkFailed);
    });
}

/**
 * The action behind `blue dialogue promote <id> [--allow-forced] [--rfc N]`: the caller builds
 * `input` from the dialogue store; this opens the database, promotes and prints the result.
 * @throws UserError as {@link promoteDialogue} does.
 */
export async function promoteCommandAction(ctx: CliContext, input: PromotionInput, opts: PromotionOptions & { json?: boolean }): Promise<PromotionResult> {
  const { promoteDialogue } = await documents();
  const { json, ...promotion } = opts;
  const out = withIndex(ctx, (index, root) => promoteDialogue(root, index, input, promotion, { now: ctx.clock.now().toISOString() }));
  if (json) printJson(ctx, out);
  else ctx.stdout(out.amended ? `amended ${out.file} with ${input.dialogueId}\n` : `promoted ${input.dialogueId} to ${out.file}\n`);
  for (const r of out.related) {
    ctx.stderr(
      `note: the question names RFC ${formatNumber(r.number)} (${r.file}); if this dialogue amends it, remove ${out.file} and run: blue dialogue promote ${input.dialogueId} --rfc ${r.number}\n`,
    );
  }
  return out;
}
