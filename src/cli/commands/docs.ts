import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

/** Registers the docs commands on `program`. */
export function registerDocumentCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
