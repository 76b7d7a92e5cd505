/** The CLI (`blue`): the in-process entry and the exit-code table. Only the package entry imports it. */
export { buildProgram, main, processContext } from './main.ts';
export type { CliContext } from './context.ts';
export { EXIT, EXIT_CODE_TABLE, exitCodeOf } from './exit-codes.ts';
