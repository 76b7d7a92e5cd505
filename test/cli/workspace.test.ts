/**
 * Workspace discovery: the nearest `.blue/`, else the git root, else the current directory for
 * commands that create; read commands never create `.blue/` or a database; `blue init`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findWorkspace } from '../../src/cli/workspace.ts';
import { loadConfig } from '../../src/orchestrator/index.ts';
import { runCli, tempDir } from '../support.ts';

const EXAMPLE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/api-versioning');
const START = ['dialogue', 'start', 'How should we version our public HTTP API?', '--provider', 'replay', '--replay', EXAMPLE, '--quiet'];

/** Every path under `dir`, sorted. */
function tree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('read commands outside a workspace', () => {
  it.each([[['dialogue', 'list']], [['rfc', 'list']], [['adr', 'list']], [['record', 'list']]])('%j lists nothing, notes on stderr how to start, creates nothing', async (argv) => {
    const cwd = tempDir();
    const r = await runCli(argv, cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^note: no Blue workspace in .* \(run `blue init` to create one\)\n$/);
    expect(tree(cwd)).toEqual([]);
  });

  it.each([[['dialogue', 'list', '--json']], [['rfc', 'list', '--json']], [['adr', 'list', '--json']], [['record', 'list', '--json']]])('%j prints [] and nothing on stderr (no note in a machine format), creates nothing', async (argv) => {
    const cwd = tempDir();
    const r = await runCli(argv, cwd);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '[]\n', '']);
    expect(tree(cwd)).toEqual([]);
  });

  it.each([[['dialogue', 'status']], [['dialogue', 'show', 'x']], [['dialogue', 'export', 'x']], [['dialogue', 'steer', 'x', '--constraint', 'c']], [['rfc', 'show', '1']], [['adr', 'show', '2']]])(
    '%j: one line, exit 2, creates nothing',
    async (argv) => {
      const cwd = tempDir();
      const r = await runCli(argv, cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error\[E_NOT_FOUND\] no Blue workspace in .* or any parent directory; expected .*`blue init`.*\n$/);
      expect(tree(cwd)).toEqual([]);
    },
  );

  it('lint checks the folder but creates nothing', async () => {
    const cwd = tempDir();
    const r = await runCli(['lint'], cwd);
    expect(r.code).toBe(0);
    expect(tree(cwd)).toEqual([]);
  });
});

describe('findWorkspace', () => {
  it('takes the nearest .blue/ folder, skips a .blue file, and knows a worktree\'s .git file', () => {
    const top = tempDir();
    fs.mkdirSync(path.join(top, '.blue'));
    const repo = path.join(top, 'repo');
    fs.mkdirSync(path.join(repo, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.blue'), 'not a folder');
    expect(findWorkspace(path.join(repo, 'a', 'b'))).toEqual({ root: top, found: 'blue' });
    const worktree = tempDir();
    fs.writeFileSync(path.join(worktree, '.git'), 'gitdir: /elsewhere\n');
    fs.mkdirSync(path.join(worktree, 'src'));
    expect(findWorkspace(path.join(worktree, 'src'))).toEqual({ root: worktree, found: 'git' });
    const bare = tempDir();
    expect(findWorkspace(bare)).toEqual({ root: bare, found: 'none' });
  });

  it('never looks for .blue/ above the git root, and never takes the home folder\'s .blue/', () => {
    const top = tempDir();
    fs.mkdirSync(path.join(top, '.blue'));
    const repo = path.join(top, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'src'));
    expect(findWorkspace(path.join(repo, 'src'))).toEqual({ root: repo, found: 'git' });
    const home = tempDir();
    fs.mkdirSync(path.join(home, '.blue'));
    fs.mkdirSync(path.join(home, 'notes'));
    expect(findWorkspace(path.join(home, 'notes'), home)).toEqual({ root: path.join(home, 'notes'), found: 'none' });
    expect(findWorkspace(path.join(top, 'x'), home)).toEqual({ root: top, found: 'blue' });
  });
});

describe('blue init', () => {
  it('writes commented defaults that load as {} and a .gitignore for the database; a second run keeps both', async () => {
    const cwd = tempDir();
    const first = await runCli(['init'], cwd);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created .blue/config.yaml');
    expect(tree(cwd)).toEqual(['.blue', '.blue/.gitignore', '.blue/config.yaml']);
    expect(loadConfig(cwd)).toEqual({});
    expect(fs.readFileSync(path.join(cwd, '.blue', 'config.yaml'), 'utf8')).toMatch(/^# maxRounds: 10 /m);
    expect(fs.readFileSync(path.join(cwd, '.blue', '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['blue.db', 'blue.db-wal', 'blue.db-shm']));

    fs.writeFileSync(path.join(cwd, '.blue', 'config.yaml'), 'maxRounds: 3\n');
    const second = await runCli(['init'], cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/kept +\.blue\/config\.yaml \(already there\)/);
    expect(fs.readFileSync(path.join(cwd, '.blue', 'config.yaml'), 'utf8')).toBe('maxRounds: 3\n');
  });

  it('after init, read commands work on the empty workspace without creating the database', async () => {
    const cwd = tempDir();
    await runCli(['init'], cwd);
    const list = await runCli(['dialogue', 'list', '--json'], cwd);
    expect([list.code, list.stdout, list.stderr]).toEqual([0, '[]\n', '']);
    expect((await runCli(['rfc', 'list'], cwd)).code).toBe(0);
    expect((await runCli(['dialogue', 'status'], cwd)).stderr).toMatch(/^error\[E_NOT_FOUND\] no dialogues in this workspace/);
    expect(fs.existsSync(path.join(cwd, '.blue', 'blue.db'))).toBe(false);
  });
});

describe('run from a subdirectory', () => {
  it('dialogues and RFCs land in the workspace root, never in a second .blue/', async () => {
    const root = tempDir();
    await runCli(['init'], root);
    const sub = path.join(root, 'src', 'deep');
    fs.mkdirSync(sub, { recursive: true });
    expect((await runCli(START, sub)).code).toBe(0);
    const rfc = await runCli(['rfc', 'create', 'Versioning'], sub);
    expect(rfc.code, rfc.stderr).toBe(0);
    expect(tree(sub)).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'dialogues'))).toHaveLength(1);
    expect(fs.readdirSync(path.join(root, 'rfcs'))).toEqual(['0001-versioning.draft.md']);
    const list = await runCli(['dialogue', 'list', '--json'], sub);
    expect(JSON.parse(list.stdout)).toMatchObject([{ status: 'converged', rounds: 3 }]);
    expect(findWorkspace(sub)).toEqual({ root, found: 'blue' });
  }, 60_000);

  it('in a git repo without .blue/, a start makes .blue/ at the git root and git ignores the database', async () => {
    const root = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: root });
    const sub = path.join(root, 'pkg');
    fs.mkdirSync(sub);
    expect(findWorkspace(sub)).toEqual({ root, found: 'git' });
    expect((await runCli(START, sub)).code).toBe(0);
    expect(fs.existsSync(path.join(root, '.blue', 'blue.db'))).toBe(true);
    expect(fs.existsSync(path.join(sub, '.blue'))).toBe(false);
    execFileSync('git', ['add', '-A'], { cwd: root });
    const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: root, encoding: 'utf8' }).split('\n');
    expect(staged).toContain('.blue/.gitignore');
    expect(staged.filter((f) => /blue\.db/.test(f))).toEqual([]);
  }, 60_000);
});
