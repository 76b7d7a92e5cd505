/**
 * CI for realms (seed 003 Round 12): `blue realm ci init` writes a GitHub Actions workflow —
 * exporter and importer checks in a member repo, contract checks in the realm repo, both
 * caching `.blue/cache.db` — and `check --realm-url` fetches the realm at a ref into a folder
 * the caller owns. A token (BLUE_REALM_TOKEN, read by src/cli) reaches git only through the
 * child's environment (GIT_CONFIG_*), so it is never written to disk, argv or output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { UserError, writeFileAtomic } from '../../core/index.ts';
import { firstLine, tryGit } from './git.ts';

/** The workflow's path relative to the repo root. */
export const CI_WORKFLOW = '.github/workflows/blue-realm.yml';

/** Where the workflow runs: a member repo (exporter/importer) or the realm repo (contracts). */
export type CiKind = 'member' | 'realm';

/**
 * The workflow text for `kind`. `realmUrl` is the realm's clone URL (a member repo's workflow
 * fetches it; default: the `BLUE_REALM_URL` repository variable), `ref` the realm ref to check
 * against. Pure.
 */
export function ciWorkflow(kind: CiKind, opts: { realmUrl?: string; ref?: string } = {}): string {
  const cache = {
    name: 'Cache blue realm results',
    uses: 'actions/cache@v4',
    with: { path: '.blue/cache.db', key: "blue-realm-${{ runner.os }}-${{ hashFiles('.blue/config.yaml') }}-${{ github.sha }}", 'restore-keys': "blue-realm-${{ runner.os }}-" },
  };
  const setup = [
    // Full history: identity (root commit) and contract provenance read it.
    { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
    { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
    cache,
    { name: 'Install blue', run: 'npm install --global blue-dialogue' },
  ];
  const check = (mode: string, remote: boolean) => ({
    name: `blue realm check --mode ${mode}`,
    run: remote ? `blue realm check --mode ${mode} --realm-url "$BLUE_REALM_URL" --ref "$BLUE_REALM_REF"` : `blue realm check --mode ${mode}`,
    ...(remote ? { env: { BLUE_REALM_TOKEN: '${{ secrets.BLUE_REALM_TOKEN }}' } } : {}),
  });
  const job = (steps: object[]) => ({ 'runs-on': 'ubuntu-latest', steps: [...setup, ...steps] });
  const workflow =
    kind === 'member'
      ? {
          name: 'blue realm',
          on: { pull_request: {}, push: { branches: ['main'] } },
          env: { BLUE_REALM_URL: opts.realmUrl ?? '${{ vars.BLUE_REALM_URL }}', BLUE_REALM_REF: opts.ref ?? 'main' },
          jobs: { exporter: job([check('exporter', true)]), importer: job([check('importer', true)]) },
        }
      : {
          name: 'blue realm',
          on: { pull_request: {}, push: { branches: ['main'] } },
          jobs: { contracts: job([check('contract', false)]) },
        };
  return `# Written by \`blue realm ci init\`; edit freely.\n${stringify(workflow, { lineWidth: 0 })}`;
}

/**
 * Writes the workflow into `repoRoot`.
 * @throws UserError E_EXISTS when it exists and `force` is not set.
 */
export function writeCiWorkflow(repoRoot: string, text: string, force = false): string {
  const file = path.join(repoRoot, CI_WORKFLOW);
  if (fs.existsSync(file) && !force) throw new UserError('E_EXISTS', `${CI_WORKFLOW} already exists`, { where: { file: CI_WORKFLOW }, expected: '--force to replace it' });
  writeFileAtomic(file, text);
  return CI_WORKFLOW;
}

/**
 * Fetches the realm at `url` and `ref` (branch, tag or commit) into the empty folder `dir`
 * with its full history. With `token`, git sends it as an HTTP Authorization header set
 * through the child's environment only; otherwise git's own credential helper answers.
 * @param env the environment git runs with (from src/cli).
 * @throws UserError E_REALM `cannot fetch realm <url> at <ref>: <git's reason>` (the token is never in it).
 */
export function fetchRealm(url: string, ref: string, dir: string, env: Record<string, string | undefined>, token?: string): void {
  const childEnv: NodeJS.ProcessEnv = { ...env, GIT_TERMINAL_PROMPT: '0' };
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    Object.assign(childEnv, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  const steps = [
    ['init', '-q', '-b', 'main'],
    ['fetch', '-q', url, ref],
    ['-c', 'advice.detachedHead=false', 'checkout', '-q', 'FETCH_HEAD'],
  ];
  for (const args of steps) {
    const r = tryGit(dir, args, childEnv);
    if (!r.ok) {
      const reason = firstLine(r.stderr || r.stdout).split(token ?? '\0').join('***');
      throw new UserError('E_REALM', `cannot fetch realm ${url} at ${ref}: ${reason}`, { expected: 'a reachable realm URL and ref; a token in BLUE_REALM_TOKEN or git credentials' });
    }
  }
}
