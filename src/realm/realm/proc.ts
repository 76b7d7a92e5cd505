/**
 * The injected process runner for external tools blue only drives (the GitHub CLI `gh`):
 * src/cli builds one over the real PATH, tests point PATH at a fake `gh`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Outcome of one process run. `code` is the exit status (127 when it could not start). */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs external programs. */
export interface ProcessRunner {
  /** True when `cmd` is an executable on the runner's PATH. */
  has(cmd: string): boolean;
  /** Runs `cmd args` in `cwd` without a shell; never throws. */
  run(cmd: string, args: string[], cwd: string): ProcessResult;
}

/**
 * A runner over `env` (its PATH; the environment is passed to the child as is).
 * @param env the process environment, from src/cli.
 */
export function processRunner(env: Record<string, string | undefined>): ProcessRunner {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const find = (cmd: string) => dirs.map((d) => path.join(d, cmd)).find(isExecutable);
  return {
    has: (cmd) => find(cmd) !== undefined,
    run: (cmd, args, cwd) => {
      const exe = find(cmd) ?? cmd;
      const r = spawnSync(exe, args, { cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
      return { code: r.status ?? 127, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error.message) : '') };
    },
  };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `args` as one POSIX shell command line (single-quoted where needed), for printing. */
export function shellLine(cmd: string, args: string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [cmd, ...args].map(quote).join(' ');
}
