/**
 * The top-level commands: name, description and the group module that registers them. `blue`
 * imports a group only when the command line names one of its commands, so `blue --help`
 * loads no group and `blue rfc list` loads only the documents group.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.ts';

/** Registers a group's commands on the program. */
export type RegisterGroup = (program: Command, ctx: CliContext) => void;

/** The command groups, one module each under commands/. */
export type GroupName = 'dialogue' | 'pool' | 'documents' | 'realm' | 'init' | 'mcp';

/** Lazy imports of each group's register function. */
export const GROUP_LOADERS: Record<GroupName, () => Promise<RegisterGroup>> = {
  dialogue: async () => (await import('./commands/dialogue.ts')).registerDialogueCommands,
  pool: async () => (await import('./commands/pool.ts')).registerPoolCommands,
  documents: async () => (await import('./commands/docs.ts')).registerDocumentCommands,
  realm: async () => (await import('./commands/realm.ts')).registerRealmCommands,
  init: async () => (await import('./commands/init.ts')).registerInitCommand,
  mcp: async () => (await import('./commands/mcp.ts')).registerMcpCommands,
};

/** One top-level command. */
export interface TopLevelCommand {
  name: string;
  description: string;
  group: GroupName;
}

/** Every top-level command, in help order (each group's commands in the order it registers them). */
export const TOP_LEVEL_COMMANDS: readonly TopLevelCommand[] = [
  { name: 'dialogue', group: 'dialogue', description: 'Run and inspect alignment dialogues' },
  { name: 'demo', group: 'dialogue', description: 'Run a whole dialogue offline on the bundled example recording (no API key needed)' },
  { name: 'pool', group: 'pool', description: 'List, show, validate and sample expert pools' },
  { name: 'rfc', group: 'documents', description: 'RFC documents (rfcs/NNNN-slug.<status>.md)' },
  { name: 'adr', group: 'documents', description: 'ADR documents (adrs/NNNN-slug.<status>.md)' },
  { name: 'record', group: 'documents', description: 'Dialogue records (<id>.dialogue.<status>.md): recorded → published' },
  { name: 'index', group: 'documents', description: 'Rebuild the document index from the files' },
  { name: 'lint', group: 'documents', description: 'Check documents: duplicate numbers, name/header disagreement, unknown statuses, broken links' },
  { name: 'realm', group: 'realm', description: 'Cross-repo contracts and bindings' },
  { name: 'status', group: 'realm', description: 'This repo in its realm: RFCs in progress, exports, imports, changes affecting consumers, changes not synced' },
  { name: 'init', group: 'init', description: 'Create .blue/config.yaml and .blue/.gitignore (existing files are kept)' },
  { name: 'mcp', group: 'mcp', description: 'Serve Blue as an MCP server on stdio (for Claude Code and other MCP clients)' },
];

/**
 * The description of a top-level command (the group modules use it, so help text has one source).
 * @throws Error for a name missing from {@link TOP_LEVEL_COMMANDS} (a programming error).
 */
export function describeCommand(name: string): string {
  const hit = TOP_LEVEL_COMMANDS.find((c) => c.name === name);
  if (!hit) throw new Error(`no top-level command "${name}" in the command table`);
  return hit.description;
}

/**
 * The groups a command line needs: the group of the first operand (or of the operand after
 * `help`), every group for `completion`, none for `--help`, `--version` or an unknown word.
 */
export function groupsFor(argv: readonly string[]): Set<GroupName> {
  const operands = argv.filter((a) => !a.startsWith('-'));
  const first = operands[0] === 'help' ? operands[1] : operands[0];
  if (first === 'completion') return new Set(Object.keys(GROUP_LOADERS) as GroupName[]);
  const hit = TOP_LEVEL_COMMANDS.find((c) => c.name === first);
  return new Set(hit ? [hit.group] : []);
}
