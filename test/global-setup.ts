/**
 * Vitest global setup: tests that spawn bin/blue.js run the compiled dist/, so compile src/ first
 * when dist/ is missing or older than any source file (`npm test` builds anyway; this keeps a
 * bare `npx vitest run` after an edit from testing stale JavaScript).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const STAMP = path.join(ROOT, 'dist', 'cli', 'main.js');

/** Newest modification time (ms) of the files under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function setup(): () => void {
  // Spawned CLIs inherit process.env: keep their per-user state (realm index, sessions.db) out of the real home.
  const userState = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-user-'));
  process.env.BLUE_HOME = path.join(userState, 'home');
  process.env.XDG_RUNTIME_DIR = path.join(userState, 'run');
  const teardown = (): void => fs.rmSync(userState, { recursive: true, force: true });
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(ROOT, 'src')), fs.statSync(path.join(ROOT, 'package.json')).mtimeMs);
  if (built >= sources) return teardown;
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  return teardown;
}
