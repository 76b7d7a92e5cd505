/** Helpers every test area shares: temp workspaces, a captured CLI context, caught user errors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliContext } from '../src/cli/context.ts';
import { main } from '../src/cli/main.ts';
import { type Clock, UserError, counterIds, fixedClock, seededRng } from '../src/core/index.ts';

/** A fresh temp folder. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blue-'));
}

/** Options of {@link captureContext}. */
export interface ContextOptions {
  env?: Record<string, string | undefined>;
  /** ISO instant of the fixed clock, or a clock. Default 2026-11-21T10:00:00Z. */
  clock?: string | Clock;
  seed?: number;
}

/** A CLI context over `cwd` whose output is captured (`out()`, `err()`). */
export function captureContext(cwd: string, opts: ContextOptions = {}): CliContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const clock = opts.clock ?? '2026-11-21T10:00:00Z';
  return {
    cwd,
    env: opts.env ?? {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    clock: typeof clock === 'string' ? fixedClock(clock) : clock,
    ids: counterIds(),
    rng: seededRng(opts.seed ?? 1),
    isTTY: false,
    setExitCode: () => undefined,
    out: () => out,
    err: () => err,
  };
}

/** Runs `blue <argv>` in `cwd` and returns the exit code and captured output. */
export async function runCli(argv: string[], cwd: string, opts: ContextOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const ctx = captureContext(cwd, opts);
  const code = await main(argv, ctx);
  return { code, stdout: ctx.out(), stderr: ctx.err() };
}

/** The error of class `kind` that `fn` throws. @throws Error when it throws nothing, or something else. */
export function thrownAs<E extends Error>(kind: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof kind) return err;
    throw err;
  }
  throw new Error(`expected a ${kind.name}`);
}

/** The UserError `fn` throws. @throws Error when it throws nothing, or something else. */
export function thrownUserError(fn: () => unknown): UserError {
  return thrownAs(UserError, fn);
}
