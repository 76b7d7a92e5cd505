import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

/** Registers the realm commands on `program`. */
export function registerRealmCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
