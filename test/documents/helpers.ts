/** Shared fixtures for the documents tests: temp workspaces, the corpus, git repos. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGolden } from '../golden.ts';

/** This test folder. */
export const here = fileURLToPath(new URL('.', import.meta.url));

/** The hand-written corpus of RFC/ADR files (every name form and header syntax). */
export const corpusDir = path.join(here, 'corpus');

/** The repo's fixtures folder (real material from blue; see fixtures/README.md). */
export const fixturesDir = path.resolve(here, '../../fixtures');

/**
 * A workspace laid out as blue keeps its documents: blue's own RFCs and ADRs under
 * `.blue/docs/{rfcs,adrs}` and its five flat dialogue records under `.blue/docs/dialogues/`.
 */
export function blueDocsRoot(): string {
  const root = tmpRoot();
  const docs = path.join(root, '.blue', 'docs');
  for (const type of ['rfcs', 'adrs']) fs.cpSync(path.join(fixturesDir, 'blue-docs', type), path.join(docs, type), { recursive: true });
  fs.mkdirSync(path.join(docs, 'dialogues'));
  for (const f of fs.readdirSync(path.join(fixturesDir, 'blue-records'))) {
    if (f.endsWith('.md')) fs.copyFileSync(path.join(fixturesDir, 'blue-records', f), path.join(docs, 'dialogues', f));
  }
  return root;
}

/** A fresh empty workspace root. */
export function tmpRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blue-'));
}

/** A workspace holding a copy of the corpus. */
export function corpusRoot(): string {
  const root = tmpRoot();
  fs.cpSync(corpusDir, root, { recursive: true });
  return root;
}

/** Runs git in `cwd` and returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Makes `root` a git repo with everything committed. */
export function gitInit(root: string): void {
  git(root, 'init', '-q');
  git(root, 'config', 'user.email', 'test@example.com');
  git(root, 'config', 'user.name', 'Test');
  git(root, 'config', 'commit.gpgsign', 'false');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'corpus');
}

/** Sorted file names in `root/dir`. */
export function ls(root: string, dir: string): string[] {
  return fs.readdirSync(path.join(root, dir)).sort();
}

/** Reads `root/rel`. */
export function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

/** The golden file `documents/<name>` (see test/golden.ts). */
export function golden(name: string, actual: string): string {
  return readGolden(`documents/${name}`, actual);
}
