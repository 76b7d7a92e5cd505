/** CLI conventions: --version, examples in every help, completion scripts, exit codes, --json errors, lazy groups. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { GROUP_LOADERS, TOP_LEVEL_COMMANDS, type GroupName } from '../../src/cli/command-table.ts';
import { completionScript } from '../../src/cli/completion.ts';
import { EXAMPLES } from '../../src/cli/examples.ts';
import { EXIT_CODE_TABLE } from '../../src/cli/exit-codes.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { captureContext, runCli, tempDir } from '../support.ts';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Every command path of the fully loaded program (`[]` is `blue` itself). */
async function commandPaths(): Promise<string[][]> {
  const program = await buildProgram(captureContext(tempDir()), [], { all: true });
  const out: string[][] = [];
  const visit = (cmd: Command, p: string[]): void => {
    out.push(p);
    for (const sub of cmd.commands) visit(sub, [...p, sub.name()]);
  };
  visit(program, []);
  return out;
}

describe('--version', () => {
  it('prints the package.json version and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      const res = await runCli([flag], tempDir());
      expect(res).toMatchObject({ code: 0, stdout: `${PKG.version}\n`, stderr: '' });
    }
  });

  it('leaves a subcommand its own --version option', async () => {
    const res = await runCli(['realm', 'contract', 'create', 'x', '--domain', 'd', '--owner', 'o', '--schema', 's.json', '--version', '1.0.0'], tempDir());
    expect(res.stdout).not.toContain(PKG.version);
    expect(res.stderr).toMatch(/^error\[E_REALM\]/);
  });
});

describe('help', () => {
  it('shows an Examples: block for every command', async () => {
    const paths = await commandPaths();
    expect(paths.length).toBeGreaterThan(40);
    for (const p of paths) {
      const res = await runCli([...p, '--help'], tempDir());
      expect(res.code, p.join(' ')).toBe(0);
      expect(res.stdout, p.join(' ')).toMatch(/\nExamples:\n {2}\$ blue .+\n/);
    }
  });

  it('has no example entry for a command that does not exist', async () => {
    const known = new Set((await commandPaths()).map((p) => p.join(' ')));
    expect(Object.keys(EXAMPLES).filter((k) => !known.has(k))).toEqual([]);
  });

  it('`help <command…>` shows that command; an unknown one is a usage error', async () => {
    const res = await runCli(['help', 'rfc', 'create'], tempDir());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: blue rfc create \[options\] <title>/);
    const bad = await runCli(['help', 'rfc', 'nope'], tempDir());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error\[E_USAGE\] unknown command "rfc nope"; expected one of create, list, show, status\n$/);
  });

  it('`help exit-codes` prints every code of the table', async () => {
    const res = await runCli(['help', 'exit-codes'], tempDir());
    expect(res.code).toBe(0);
    for (const [code, meaning] of EXIT_CODE_TABLE) expect(res.stdout).toContain(`${String(code).padStart(3)}  ${meaning}`);
  });

  it('the README carries the same exit-code table', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const [code, meaning] of EXIT_CODE_TABLE) expect(readme).toContain(`| ${code} | ${meaning} |`);
  });

  it('the top-level help lists every command without loading a group, exactly as the loaded program does', async () => {
    const loaded: GroupName[] = [];
    const spies = Object.fromEntries(
      Object.entries(GROUP_LOADERS).map(([name, load]) => [name, () => (loaded.push(name as GroupName), load())]),
    ) as typeof GROUP_LOADERS;
    const lazy = await buildProgram(captureContext(tempDir()), ['--help'], { loaders: spies });
    expect(loaded).toEqual([]);
    const full = await buildProgram(captureContext(tempDir()), [], { all: true });
    expect(lazy.helpInformation()).toBe(full.helpInformation());
    for (const c of TOP_LEVEL_COMMANDS) expect(lazy.helpInformation()).toMatch(new RegExp(`\\n {2}${c.name} +\\S`));
  });

  it('`rfc list` loads only the documents group; `completion` loads them all', async () => {
    const loadedFor = async (argv: string[]): Promise<string[]> => {
      const loaded: string[] = [];
      const spies = Object.fromEntries(Object.entries(GROUP_LOADERS).map(([n, load]) => [n, () => (loaded.push(n), load())])) as typeof GROUP_LOADERS;
      await buildProgram(captureContext(tempDir()), argv, { loaders: spies });
      return loaded.sort();
    };
    expect(await loadedFor(['rfc', 'list'])).toEqual(['documents']);
    expect(await loadedFor(['dialogue', 'list', '--json'])).toEqual(['dialogue']);
    expect(await loadedFor(['help', 'realm'])).toEqual(['realm']);
    expect(await loadedFor(['completion', 'bash'])).toEqual(['dialogue', 'documents', 'init', 'mcp', 'pool', 'realm']);
  });
});

describe('blue completion', () => {
  it('prints a script for each shell that names every command and the nested ones', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const res = await runCli(['completion', shell], tempDir());
      expect(res.code, shell).toBe(0);
      for (const c of [...TOP_LEVEL_COMMANDS.map((t) => t.name), 'completion']) expect(res.stdout, `${shell} ${c}`).toContain(c);
      expect(res.stdout).toContain("'realm contract create'");
      expect(res.stdout).toContain('--max-cost');
      expect(res.stdout).toContain('blue-dialogue');
    }
  });

  it('refuses an unknown shell with exit 2', async () => {
    const res = await runCli(['completion', 'tcsh'], tempDir());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/tcsh/);
  });

  it('the bash script completes subcommands and options of the typed command path', async () => {
    const program = await buildProgram(captureContext(tempDir()), [], { all: true });
    const script = completionScript(program, 'bash');
    const complete = (...words: string[]): string[] =>
      execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _blue; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
    expect(complete('blue', 'r')).toEqual(['rfc', 'record', 'realm']);
    expect(complete('blue', 'rfc', '')).toEqual(expect.arrayContaining(['create', 'list', 'show', 'status', '--help']));
    expect(complete('blue', 'dialogue', 'start', '--pool', 'general', '--max')).toEqual(['--max-rounds', '--max-cost']);
    expect(complete('blue', 'realm', 'contract', 'c')).toEqual(['create']);
  });
});

describe('exit codes and --json errors', () => {
  it('an invalid pool under `pool validate` is a failed check: exit 1', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'pools'));
    fs.writeFileSync(path.join(root, 'pools', 'bad.yaml'), 'domain: x\nexperts:\n  - { role: A, tier: nope, relevance: 0.5 }\n');
    const res = await runCli(['pool', 'validate', 'pools/bad.yaml'], root);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error\[E_POOL\] pools\/bad\.yaml:3:\d+ /);
    // The same pool named by `dialogue start` is an input error.
    const start = await runCli(['dialogue', 'start', 'Q?', '--pool', 'pools/bad.yaml', '--provider', 'replay', '--replay', 'nowhere', '--quiet'], root);
    expect(start.code).toBe(2);
  });

  it('a usage error with --json is one JSON object on stderr', async () => {
    const res = await runCli(['rfc', 'list', '--json', '--bogus'], tempDir());
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(res.stderr)).toEqual({ error: { code: 'E_USAGE', message: "unknown option '--bogus'", where: null } });
  });

  it('a located error with --json carries code, message and where', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'pools'));
    fs.writeFileSync(path.join(root, 'pools', 'bad.yaml'), 'domain: x\nexperts:\n  - { role: A, tier: nope, relevance: 0.5 }\n');
    const res = await runCli(['pool', 'show', 'pools/bad.yaml', '--json'], root);
    expect(res.code).toBe(2);
    const body = JSON.parse(res.stderr) as { error: { code: string; message: string; where: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'where']);
    expect(body.error.code).toBe('E_POOL');
    expect(body.error.where).toMatch(/^pools\/bad\.yaml:3:\d+ experts\[0\]\.tier$/);
    expect(body.error.message).toMatch(/expected one of Core, Adjacent, Wildcard/);
  });

  it('without --json the same error is one plain line', async () => {
    const res = await runCli(['rfc', 'list', '--bogus'], tempDir());
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("error: unknown option '--bogus'\n");
  });
});
