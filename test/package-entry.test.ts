/**
 * The package entry as a user imports it: `import … from 'blue-dialogue'` resolves through the
 * package.json `exports` map to the built dist/index.js (Node's self-reference), and its API runs
 * a dialogue in memory with a scripted provider.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Runs an ES module script in the repo root and returns its stdout parsed as JSON. */
function runModule(script: string): unknown {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('package entry', () => {
  it('exports "." points at the built entry and its types', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(fs.existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'dist', 'index.d.ts'))).toBe(true);
  });

  it('runs a dialogue in memory through the public API', () => {
    const out = runModule(`
      import { BUILTIN_POOLS_DIR, DEFAULT_SETTINGS, DialogueStore, EXIT, createFakeProvider, dialogueStatus, fixedClock, openDatabase, resolvePool, seededRng, startDialogue } from 'blue-dialogue';
      const store = new DialogueStore(openDatabase(':memory:'));
      const provider = createFakeProvider({ respond: (req) => req.meta.round === 0 ? '[PERSPECTIVE P01: ' + req.meta.expert + ' view]\\nA point.\\n' : 'Done.\\n\\n[MOVE:CONVERGE]\\n' });
      const deps = { root: null, store, provider, clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(3) };
      const pool = resolvePool('general', { root: process.cwd(), builtinDir: BUILTIN_POOLS_DIR });
      const settings = { ...DEFAULT_SETTINGS, provider: 'replay', seed: 3, judge: false, rotation: 'none', panelSize: 3, minRounds: 2, maxRounds: 4 };
      const result = await startDialogue(deps, { question: 'Should the cache be write-through?', pool, constraints: [], sources: [] }, settings);
      const status = dialogueStatus(store, result.id);
      console.log(JSON.stringify({ outcome: result.outcome, rounds: result.rounds, statusId: status.id, usage: EXIT.usage }));
    `) as { outcome: string; rounds: number; statusId: string; usage: number };
    expect(out.outcome).toBe('converged');
    expect(out.rounds).toBe(2);
    expect(out.statusId).toMatch(/should-the-cache-be-write-through/);
    expect(out.usage).toBe(2);
  });
});
