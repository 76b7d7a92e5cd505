/**
 * The folder-boundary rule (.dependency-cruiser.cjs, ARCHITECTURE §2): src/ passes it, and a
 * tree with each kind of violation is reported rule by rule, so a rule that stops matching fails.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/**
 * Runs dependency-cruiser over `src` in `cwd`: the violations (JSON report) and the exit status
 * of the run `npm run lint:bounds` makes (the default `err` report, which exits non-zero on errors).
 */
function cruise(cwd: string): { status: number | null; violations: Violation[] } {
  const run = (extra: string[]) => spawnSync(process.execPath, [CLI, 'src', '--config', CONFIG, ...extra], { cwd, encoding: 'utf8' });
  const out = JSON.parse(run(['--output-type', 'json']).stdout) as { summary: { violations: Violation[] } };
  return { status: run([]).status, violations: out.summary.violations };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A temp project holding `files` (path → source) and the repo's tsconfig. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-bounds-'));
  dirs.push(dir);
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/**
 * SQL as blue writes it (upper-case keywords) or a better-sqlite3 handle's API on `line`: the
 * first match, or null. Line by line, so prose naming a keyword alone does not count.
 */
function sqlIn(line: string): string | null {
  const sql = /\b(SELECT\b.*\bFROM|INSERT (OR [A-Z]+ )?INTO|UPDATE [a-z_]+ SET|DELETE FROM|(CREATE|DROP|ALTER) (TEMP )?(TABLE|INDEX|UNIQUE INDEX)|PRAGMA [a-z_]+)\b/;
  const handle = /\.(prepare|pragma)\(|['"]better-sqlite3['"]/;
  return (sql.exec(line) ?? handle.exec(line))?.[0] ?? null;
}

describe('folder boundaries', () => {
  it('src/ has no boundary violation', () => {
    const { status, violations } = cruise(ROOT);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(status).toBe(0);
  });

  it('reports a deep import, an import against the direction, a folder cycle and an unresolved import', () => {
    const dir = tree({
      'src/orchestrator/index.ts': "export * from './settings.ts';\nexport * from './uses-store.ts';\n",
      'src/orchestrator/settings.ts': 'export const SETTINGS = 1;\n',
      'src/orchestrator/rotation-modes.ts': "export const ROTATION_MODES = ['a'];\n",
      'src/orchestrator/uses-store.ts': "import { DB } from '../store/db.ts';\nexport const USES = DB;\n",
      'src/store/index.ts': "export * from './db.ts';\n",
      'src/store/db.ts': "import { SETTINGS } from '../orchestrator/index.ts';\nexport const DB = SETTINGS;\n",
      'src/cli/deep.ts': "import { SETTINGS } from '../orchestrator/settings.ts';\nexport const X = SETTINGS;\n",
      'src/cli/light.ts': "import { ROTATION_MODES } from '../orchestrator/rotation-modes.ts';\nexport const Y = ROTATION_MODES;\n",
      'src/cli/fine.ts': "import { SETTINGS } from '../orchestrator/index.ts';\nexport const Z = SETTINGS;\n",
      'src/markdown/upward.ts': "import type { X } from '../cli/index.ts';\nexport type M = X;\n",
      'src/cli/index.ts': "export type X = number;\n",
      // realm's two engines each have an index.ts; behind them is internal.
      'src/realm/documents/index.ts': "export * from './lint.ts';\n",
      'src/realm/documents/lint.ts': 'export const LINT = 1;\n',
      'src/mcp/docs.ts': "import { LINT } from '../realm/documents/index.ts';\nexport const D = LINT;\n",
      'src/mcp/deep-docs.ts': "import { LINT } from '../realm/documents/lint.ts';\nexport const E = LINT;\n",
      'src/core/broken.ts': "import { NOPE } from './missing.ts';\nexport const B = NOPE;\n",
      // A cycle inside one folder is the folder's own business.
      'src/core/a.ts': "import { B } from './b.ts';\nexport const A = () => B;\n",
      'src/core/b.ts': "import { A } from './a.ts';\nexport const B = () => A;\n",
    });
    const { status, violations } = cruise(dir);
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual(
      [
        'direction-markdown: src/markdown/upward.ts → src/cli/index.ts',
        'direction-store: src/store/db.ts → src/orchestrator/index.ts',
        'no-deep-import-cli: src/cli/deep.ts → src/orchestrator/settings.ts',
        'no-deep-import: src/orchestrator/uses-store.ts → src/store/db.ts',
        'no-deep-import: src/mcp/deep-docs.ts → src/realm/documents/lint.ts',
        'not-to-unresolvable: src/core/broken.ts → ./missing.ts',
        ...violations.filter((v) => v.rule.name === 'no-folder-cycle').map((v) => `no-folder-cycle: ${v.from} → ${v.to}`),
      ].sort(),
    );
    // The orchestrator → store → orchestrator loop is a cycle that leaves its folder; core's a ↔ b is not reported.
    const cycles = violations.filter((v) => v.rule.name === 'no-folder-cycle');
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles.every((v) => (v.cycle ?? []).some((c) => c.name === 'src/store/db.ts'))).toBe(true);
    expect(status).not.toBe(0);
  });

  it('only src/store imports better-sqlite3 (a value or a type import)', () => {
    const dir = tree({
      'src/store/index.ts': "import Database from 'better-sqlite3';\nexport const DB = Database;\n",
      'src/realm/raw.ts': "import Database from 'better-sqlite3';\nexport const R = Database;\n",
      'src/mcp/typed.ts': "import type { Database } from 'better-sqlite3';\nexport type T = Database;\n",
    });
    const { status, violations } = cruise(dir);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort()).toEqual([
      'sqlite-only-in-store: src/mcp/typed.ts → better-sqlite3',
      'sqlite-only-in-store: src/realm/raw.ts → better-sqlite3',
    ]);
    expect(status).not.toBe(0);
  });

  it('no SQL and no SQLite handle outside src/store', () => {
    // The check itself: each kind of statement is caught; a marker regex spelling UPDATE is not SQL.
    expect(
      [
        "db.prepare('SELECT * FROM documents WHERE type = ?')",
        '`INSERT OR IGNORE INTO document_links (source) VALUES (?)`',
        "'UPDATE sessions SET heartbeat_at = ?'",
        "'DELETE FROM events'",
        'CREATE TABLE entries (kind TEXT)',
        'CREATE UNIQUE INDEX x ON y(z)',
        "db.pragma('journal_mode = WAL')",
        "import Database from 'better-sqlite3';",
      ].map(sqlIn),
    ).not.toContain(null);
    expect(sqlIn('/^\\s*([A-Za-z])(\\d+)-(?:RESPONSE|RESP|REPLY|FOLLOW-?UP|UPDATE)\\s*:?/i.exec(rest)')).toBeNull();
    expect(sqlIn('// The store a dialogue lives in (SQLite via better-sqlite3).')).toBeNull();

    const offenders: string[] = [];
    for (const entry of fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true, recursive: true })) {
      const file = path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (!entry.isFile() || !file.endsWith('.ts') || file.startsWith('src/store/')) continue;
      fs.readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const hit = sqlIn(line);
          if (hit) offenders.push(`${file}:${i + 1}: ${hit}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('exit codes and argv stay in src/cli: no library file sets process.exitCode, exits or reads argv', () => {
    const offenders: string[] = [];
    for (const entry of fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true, recursive: true })) {
      const file = path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (!entry.isFile() || !file.endsWith('.ts') || file.startsWith('src/cli/')) continue;
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      if (/process\.(exitCode|exit\(|argv)/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('runs in npm test and in .ci/run', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['lint:bounds']).toContain('depcruise src --config .dependency-cruiser.cjs');
    expect(pkg.scripts.test).toContain('npm run lint:bounds');
    expect(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toContain('npm run lint:bounds');
  });
});
