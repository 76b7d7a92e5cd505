/**
 * Finding the workspace a command works in. The root is the nearest ancestor of the current
 * directory holding `.blue/` (searched no higher than the git root), else the git root (nearest
 * ancestor holding `.git`), else — for commands that create things — the current directory.
 * Read commands never create `.blue/`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_FILE, UserError } from '../core/index.ts';
import type { DialogueSettings } from '../orchestrator/index.ts';
import { DEFAULT_ROLES, MAX_PANEL_SIZE } from '../orchestrator/limits.ts';
import type { CliContext } from './context.ts';

/** Where a workspace was found: `blue` (a `.blue/` folder), `git` (a git root) or `none`. */
export interface Workspace {
  /** Absolute workspace root. For `none`, the current directory. */
  root: string;
  found: 'blue' | 'git' | 'none';
}

/** The ancestors of `start`, nearest first (inclusive), up to the filesystem root. */
function ancestors(start: string): string[] {
  const out: string[] = [];
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    out.push(dir);
    if (path.dirname(dir) === dir) return out;
  }
}

const holdsBlue = (dir: string): boolean => fs.statSync(path.join(dir, '.blue'), { throwIfNoEntry: false })?.isDirectory() === true;
// `.git` is a folder in a clone and a file in a worktree or submodule.
const holdsGit = (dir: string): boolean => fs.existsSync(path.join(dir, '.git'));

/**
 * Discovers the workspace of `cwd` (reads the filesystem, writes nothing). The search for `.blue/`
 * stops at the git root, so a repo never joins a workspace above it; `home/.blue` is the user's own
 * state (sessions, the realm index), never a workspace.
 */
export function findWorkspace(cwd: string, home: string = os.homedir()): Workspace {
  const chain = ancestors(cwd);
  const gitIndex = chain.findIndex(holdsGit);
  const searched = gitIndex === -1 ? chain : chain.slice(0, gitIndex + 1);
  const blue = searched.find((dir) => dir !== path.resolve(home) && holdsBlue(dir));
  if (blue) return { root: blue, found: 'blue' };
  const git = chain[gitIndex];
  if (git) return { root: git, found: 'git' };
  return { root: path.resolve(cwd), found: 'none' };
}

/** The root a creating command writes into (see {@link findWorkspace}). */
export function workspaceRoot(ctx: CliContext): string {
  return findWorkspace(ctx.cwd).root;
}

/** A `--pool` value: a file is named relative to the current directory, a name is looked up in the workspace. */
export function poolRef(ctx: CliContext, ref: string): string {
  return /\.(ya?ml|json)$/i.test(ref) ? path.resolve(ctx.cwd, ref) : ref;
}

/** The one-line error of a read command run outside any workspace. */
export function noWorkspaceError(cwd: string): UserError {
  return new UserError('E_NOT_FOUND', `no Blue workspace in ${cwd} or any parent directory`, {
    expected: 'a folder holding .blue/ (run `blue init`, or `blue dialogue start "<question>"`)',
  });
}

/** The note a list command prints on stderr when there is no workspace (it then lists nothing). */
export function noWorkspaceNote(cwd: string): string {
  return `note: no Blue workspace in ${cwd} or any parent directory (run \`blue init\` to create one)\n`;
}

/**
 * The rows of a list command: `read()` inside a workspace; outside one, no rows and (unless
 * `json`) the {@link noWorkspaceNote} on stderr. `outside` tells the caller to print no
 * "nothing yet" hint.
 */
export function listRows<T>(ctx: CliContext, json: boolean | undefined, read: () => T[]): { rows: T[]; outside: boolean } {
  const outside = findWorkspace(ctx.cwd).found !== 'blue';
  if (outside && !json) ctx.stderr(noWorkspaceNote(ctx.cwd));
  return { rows: outside ? [] : read(), outside };
}

/** Lines of `.blue/.gitignore`: the database, its WAL files and the lock stay out of `git add -A`. */
export const GITIGNORE_TEXT = ['# Blue: local state (database and lock); config.yaml is meant to be committed', 'blue.db', 'blue.db-wal', 'blue.db-shm', 'documents.lock', 'cache.db', 'cache.db-wal', 'cache.db-shm', ''].join('\n');

/** One role's defaults as YAML flow mapping (`{ words: 300, effort: medium }`). */
const roleLine = (r: object): string => `{ ${Object.entries(r).map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;

/** `.blue/config.yaml` as `blue init` writes it: every setting commented out at its default `d`. */
export function defaultConfigText(d: Omit<DialogueSettings, 'provider' | 'seed'>): string {
  return [
    '# Blue workspace settings. Flags override these; uncomment a line to change a default.',
    `# pool: ${d.pool}            # expert pool: pools/<name>.yaml, a shipped pool, or a file`,
    `# panelSize: ${d.panelSize}             # experts per round (1-${MAX_PANEL_SIZE})`,
    `# maxRounds: ${d.maxRounds}            # rounds before a dialogue ends forced`,
    `# minRounds: ${d.minRounds}             # rounds before convergence may be declared`,
    `# rotation: ${d.rotation}     # graduated | wildcards | full | none`,
    '# provider: anthropic     # anthropic | replay',
    '# models:',
    `#   expert: ${d.model}`,
    `#   judge: ${d.judgeModel}`,
    `# judge: ${d.judge}             # false: deterministic synthesis only`,
    `# concurrency: ${d.concurrency}           # expert calls in flight`,
    '# maxCost: 1.00           # USD; stop before a call would spend more',
    `# maxTokens: ${d.maxTokens}          # upper bound of an expert call's output, tokens`,
    '# roles:                  # answer limit and thinking per role, sent only to models that accept them',
    `#   expert: ${roleLine(DEFAULT_ROLES.expert)}     # also thinking: adaptive | enabled | disabled | between_tools, budgetTokens; effort: low..max`,
    `#   judge: ${roleLine(DEFAULT_ROLES.judge)}       # no thinking/effort given = the model's defaults`,
    '# cacheTtl: 5m            # 1h keeps the stable prompt head cached for an hour (written at 2x input)',
    '',
  ].join('\n');
}

/** What {@link ensureWorkspace} / {@link initWorkspace} did to each file. */
export interface InitResult {
  root: string;
  /** Workspace-relative paths written now. */
  created: string[];
  /** Workspace-relative paths that were already there (left untouched). */
  kept: string[];
}

function writeIfMissing(root: string, rel: string, text: string, out: InitResult): void {
  const file = path.join(root, rel);
  if (fs.existsSync(file)) return void out.kept.push(rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // 'wx' fails rather than overwrite when another process wrote it in between.
  try {
    fs.writeFileSync(file, text, { flag: 'wx' });
    out.created.push(rel);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    out.kept.push(rel);
  }
}

/** Makes `<root>/.blue/` with its `.gitignore` (never overwritten). Used by commands that create. */
export function ensureWorkspace(root: string): InitResult {
  const out: InitResult = { root, created: [], kept: [] };
  writeIfMissing(root, path.join('.blue', '.gitignore'), GITIGNORE_TEXT, out);
  return out;
}

/** `blue init`: `.blue/config.yaml` (`configText`) and `.blue/.gitignore`; existing files are kept. */
export function initWorkspace(root: string, configText: string): InitResult {
  const out = ensureWorkspace(root);
  writeIfMissing(root, CONFIG_FILE, configText, out);
  return out;
}
