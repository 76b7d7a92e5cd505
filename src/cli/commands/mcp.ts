/**
 * `blue mcp`: serves the MCP server on stdin/stdout for Claude Code and other MCP clients. Thin:
 * builds the server's dependencies from the process (cwd, env) and serves until the client leaves.
 */
import type { Command } from 'commander';
import type { McpDeps, StartArgs } from '../../mcp/index.ts';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import { type StartFlags, readSources, startSettings } from '../flags.ts';
import { packageVersion } from '../program.ts';
import { buildProvider, judgeFor } from '../providers.ts';
import { processLease } from '../lease.ts';

/** Registers `blue mcp`. */
export function registerMcpCommands(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description(describeCommand('mcp'))
    .action(async () => {
      const { serveStdio } = await import('../../mcp/index.ts');
      await serveStdio(mcpDeps(ctx));
    });
}

/** The server's dependencies from the CLI context. Exported for tests that run the server in-process. */
export function mcpDeps(ctx: CliContext): McpDeps {
  return {
    root: ctx.cwd,
    clock: ctx.clock,
    version: packageVersion(),
    startSettings: (args) => {
      const settings = startSettings(ctx, startFlags(args));
      return args.tierModels ? { ...settings, tierModels: { ...settings.tierModels, ...args.tierModels } } : settings;
    },
    providers: async (settings, spent) => {
      const choice = await buildProvider(ctx, settings, spent);
      const judge = judgeFor(settings, choice);
      return { ...choice, ...(judge ? { judge } : {}) };
    },
    readSources: (files) => readSources(ctx, files),
    lease: processLease,
    // stdout carries the protocol: diagnostics go to stderr.
    log: (line) => ctx.stderr(`${line}\n`),
  };
}

/** Tool arguments as the `dialogue start` flags (numbers as the strings commander would pass). */
function startFlags(a: StartArgs): StartFlags {
  const str = (v: number | undefined) => (v === undefined ? undefined : String(v));
  const flags: StartFlags = { constraint: [], source: [], judge: a.judge ?? true, quiet: true };
  const set = <K extends keyof StartFlags>(k: K, v: StartFlags[K] | undefined) => {
    if (v !== undefined) flags[k] = v;
  };
  set('pool', a.pool);
  set('panelSize', str(a.panelSize));
  set('maxRounds', str(a.maxRounds));
  set('minRounds', str(a.minRounds));
  set('provider', a.provider);
  set('replay', a.replayDir);
  set('model', a.model);
  set('judgeModel', a.judgeModel);
  set('concurrency', str(a.concurrency));
  set('maxCost', str(a.maxCost));
  set('rotation', a.rotation);
  set('record', a.record);
  set('seed', str(a.seed));
  return flags;
}
