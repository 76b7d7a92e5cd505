/** `blue init`: makes the current workspace (or the git root) a Blue workspace. Idempotent. */
import path from 'node:path';
import type { Command } from 'commander';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import { defaultConfigText, initWorkspace, workspaceRoot } from '../workspace.ts';

/** Registers `blue init` on `program`. */
export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description(describeCommand('init'))
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { DEFAULT_SETTINGS } = await import('../../orchestrator/index.ts');
      const out = initWorkspace(workspaceRoot(ctx), defaultConfigText(DEFAULT_SETTINGS));
      if (o.json) return void ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
      const shown = path.relative(ctx.cwd, out.root) || '.';
      for (const f of out.created) ctx.stdout(`created ${path.join(shown, f)}\n`);
      for (const f of out.kept) ctx.stdout(`kept    ${path.join(shown, f)} (already there)\n`);
      ctx.stdout(`workspace: ${out.root}\n`);
    });
}
