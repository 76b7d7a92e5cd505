/**
 * `blue dialogue import FILE`: a recorded inline dialogue (`*.dialogue.recorded.md`) written as
 * our folder layout, so it can be replayed (`dialogue start --provider replay --replay DIR`),
 * rejudged and promoted.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

const RECORD_SUFFIX = /(?:\.dialogue\.(?:recorded|pub))?\.md$/;

/** Registers `blue dialogue import`. */
export function registerDialogueImportCommand(dialogue: Command, ctx: CliContext): void {
  dialogue
    .command('import')
    .description('Import a recorded inline dialogue (*.dialogue.recorded.md) as a replayable dialogue folder')
    .argument('<file>', 'the recorded dialogue')
    .option('--out <dir>', 'folder to write (default: dialogues/<file name>); must be new or empty')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: { out?: string; json?: boolean }) => {
      const { importFiles, importReport, loadRecord, writeImport } = await import('../../orchestrator/index.ts');
      const loaded = loadRecord(path.resolve(ctx.cwd, file));
      const out = path.resolve(ctx.cwd, flags.out ?? path.join('dialogues', path.basename(file).replace(RECORD_SUFFIX, '')));
      writeImport(out, importFiles(loaded));
      const report = { ...importReport(loaded, path.relative(ctx.cwd, out) || '.'), file: path.relative(ctx.cwd, loaded.file) };
      if (flags.json) return void ctx.stdout(`${JSON.stringify(report, null, 2)}\n`);
      ctx.stdout(`imported ${report.file} → ${report.out}: ${report.rounds} rounds, panel ${report.panelSize.join('/')}, ${report.responses} responses, ${report.markers} markers\n`);
      if (report.skippedRounds.length > 0) ctx.stdout(`  not imported (no expert response): ${report.skippedRounds.join('; ')}\n`);
      ctx.stdout(`  replay:   blue dialogue start ${JSON.stringify(report.question)} --provider replay --replay ${report.out}\n`);
    });
}
