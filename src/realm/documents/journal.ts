/**
 * File operations with undo: a transition is several steps (rename, header rewrite, the other
 * document's header, the index) and must leave nothing half-done when one fails.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { writeFileAtomic } from '../../core/index.ts';

/** The filesystem calls documents make; tests inject failures through it. Paths are absolute. */
export interface DocFs {
  readFile(file: string): string;
  writeFile(file: string, text: string): void;
  rename(from: string, to: string): void;
  exists(file: string): boolean;
  remove(file: string): void;
}

/** The real filesystem; writes are atomic (temp file + rename). */
export const nodeFs: DocFs = {
  readFile: (f) => fs.readFileSync(f, 'utf8'),
  writeFile: writeFileAtomic,
  rename: (a, b) => fs.renameSync(a, b),
  exists: (f) => fs.existsSync(f),
  remove: (f) => fs.rmSync(f, { force: true }),
};

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** True when `file` (absolute) is tracked in a git work tree (so a rename should be `git mv`). */
export function isGitTracked(file: string): boolean {
  const dir = path.dirname(file);
  try {
    if (git(dir, ['rev-parse', '--is-inside-work-tree']).trim() !== 'true') return false;
    git(dir, ['ls-files', '--error-unmatch', '--', path.basename(file)]);
    return true;
  } catch {
    return false;
  }
}

/** Steps done so far, undone in reverse order by {@link Journal.rollback}. */
export class Journal {
  private readonly undo: (() => void)[] = [];
  constructor(private readonly fsPort: DocFs = nodeFs) {}

  /**
   * Renames `from` → `to` (both absolute): `git mv` when `from` is tracked, else a plain rename.
   * @throws UserError E_EXISTS when `to` exists (a plain rename would silently overwrite it).
   */
  move(from: string, to: string): void {
    if (this.fsPort.exists(to)) throw new UserError('E_EXISTS', `${path.basename(to)} already exists; refusing to overwrite it`);
    if (isGitTracked(from)) {
      git(path.dirname(from), ['mv', '--', from, to]);
      this.undo.push(() => void git(path.dirname(to), ['mv', '--', to, from]));
    } else {
      this.fsPort.rename(from, to);
      this.undo.push(() => this.fsPort.rename(to, from));
    }
  }

  /** Writes `text` to `file`, remembering what was there (or that nothing was). */
  write(file: string, text: string): void {
    const before = this.fsPort.exists(file) ? this.fsPort.readFile(file) : undefined;
    this.undo.push(() => (before === undefined ? this.fsPort.remove(file) : this.fsPort.writeFile(file, before)));
    this.fsPort.writeFile(file, text);
  }

  /** Undoes every recorded step, newest first; keeps going if an undo step fails. */
  rollback(): void {
    for (const step of this.undo.reverse()) {
      try {
        step();
      } catch {
        // best effort: the original error is what the user needs to see
      }
    }
    this.undo.length = 0;
  }

  /** Runs `fn(journal)`; on any throw rolls back and rethrows. */
  static run<T>(fsPort: DocFs, fn: (j: Journal) => T): T {
    const j = new Journal(fsPort);
    try {
      return fn(j);
    } catch (err) {
      j.rollback();
      throw err;
    }
  }
}
