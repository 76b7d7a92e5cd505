import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

/** Registers the pool commands on `program`. */
export function registerPoolCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
