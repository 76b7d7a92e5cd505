/**
 * The exclusive document lock (`.blue/documents.lock`, via proper-lockfile) that serialises every
 * change to numbered documents, so two concurrent `create`s never pick the same number (blue had
 * no lock and collided: reference §1.7, §8.1.5).
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { UserError } from '../../core/index.ts';

/** Lock target, relative to the workspace root. */
export const LOCK_FILE = path.join('.blue', 'documents.lock');

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (the API is synchronous; waits are short and rare). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Runs `fn` holding the exclusive document lock of `root`, retrying every ~20 ms.
 * A lock older than `staleMs` (a crashed process) is taken over by proper-lockfile.
 * @throws UserError E_STATE when the lock is still held after `timeoutMs`.
 */
export function withDocumentLock<T>(root: string, fn: () => T, timeoutMs = 20_000, staleMs = 10_000): T {
  const target = path.join(root, LOCK_FILE);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.closeSync(fs.openSync(target, 'a'));
  const deadline = Date.now() + timeoutMs;
  let release: (() => void) | undefined;
  for (let attempt = 0; !release; attempt++) {
    try {
      release = lockfile.lockSync(target, { stale: staleMs, realpath: false });
    } catch (err) {
      if ((err as { code?: string }).code !== 'ELOCKED') throw err;
      if (Date.now() > deadline) throw new UserError('E_STATE', `documents are locked by another blue process (${LOCK_FILE})`);
      sleepSync(10 + (attempt % 5) * 5);
    }
  }
  try {
    return fn();
  } finally {
    release();
  }
}
