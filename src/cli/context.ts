/**
 * What a command needs from the outside world. Only src/cli builds one from the real
 * process (argv, cwd, env, streams); tests build their own.
 */
import type { Clock, IdSource, Rng } from '../core/index.ts';

/** Injected process surroundings for every command. */
export interface CliContext {
  /**
   * The directory the command runs in. Paths the user types are relative to it; the workspace
   * root (where dialogues/, rfcs/, adrs/, pools/ and .blue/ live) is found from it (workspace.ts).
   */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Writes to standard output (no newline added). */
  stdout: (text: string) => void;
  /** Writes to standard error (no newline added). */
  stderr: (text: string) => void;
  clock: Clock;
  ids: IdSource;
  /** Seedable randomness (panel sampling). */
  rng: Rng;
  /** True when stdout is an interactive terminal (live progress view). */
  isTTY: boolean;
  /** Sets the process exit code without throwing (e.g. 1 for a failed check). */
  setExitCode: (code: number) => void;
  /** Registers a Ctrl-C handler for the current command (absent in tests). */
  onInterrupt?: (handler: () => void) => void;
}
