/** The installed entry point: bin/blue.js runs the compiled dist/ (built by `npm test` first). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOP_LEVEL_COMMANDS } from '../../src/cli/command-table.ts';
import { tempDir } from '../support.ts';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'blue.js');

function blue(args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  return spawnSync(process.execPath, [BIN, ...args], { cwd: tempDir(), encoding: 'utf8' });
}

describe('bin/blue.js (compiled)', () => {
  it('prints the top-level help listing every command', () => {
    const r = blue(['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: blue \[options\] \[command\]/);
    for (const c of TOP_LEVEL_COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
  });

  it('finds the shipped pools and examples from dist/ (paths relative to the compiled files)', () => {
    const r = blue(['pool', 'list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((p) => p.name)).toContain('general');
    const demo = blue(['demo', '--quiet']);
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/CONVERGED: \S+ after 3 rounds/);
  });

  it('does not ship test files or fixtures in the package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[]; bin: Record<string, string>; devDependencies: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin', 'pools', 'examples', 'README.md', 'LICENSE']));
    expect(pkg.files.filter((f) => /^(src|test|fixtures)\b/.test(f))).toEqual([]);
    expect(pkg.bin).toEqual({ blue: 'bin/blue.js', 'blue-dialogue': 'bin/blue.js' });
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
  });
});
