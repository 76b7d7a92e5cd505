/**
 * Library entry of `blue-dialogue` (minimal for now): run the CLI in-process and match its
 * errors and exit codes. A fuller public API is planned separately.
 */
export { buildProgram, main, processContext, type CliContext, EXIT, EXIT_CODE_TABLE, exitCodeOf } from './cli/index.ts';
export { BlueError, CheckFailed, UserError, type ErrorCode, type ErrorLocation } from './core/index.ts';
