/**
 * Realm coordination commands (seed 003 Round 12, seed 004 Rounds 2 and 6): `realm worktree`,
 * `realm pr`, `realm ci init`, the top-level `blue status`, the trust guard of the user's
 * trust.yaml ({@link trustSource}), the realm sources of `realm check` (the realm repo itself, or a URL at a
 * ref, removed again by `dispose`) and the issues `realm sync --open-issues` offers. Only this layer reads env and HOME.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { UserError } from '../../core/index.ts';
import { assertIdentity } from '../../realm/realm/index.ts';
import { readMembership, readMemberships } from '../../realm/realm/index.ts';
import { loadRealm, realmPaths, type RealmModel } from '../../realm/realm/index.ts';
import { openRealm } from '../../realm/realm/index.ts';
import { changeRepos, mergeOrder, rfcContracts } from '../../realm/realm/index.ts';
import { createWorktrees, listWorktrees, removeWorktrees } from '../../realm/realm/index.ts';
import { createPullRequests, planPullRequests, pullRequestStatus } from '../../realm/realm/index.ts';
import { CI_WORKFLOW, ciWorkflow, fetchRealm, writeCiWorkflow } from '../../realm/realm/index.ts';
import { formatRepoStatus, repoStatus } from '../../realm/realm/index.ts';
import { openIssues, planImportIssues } from '../../realm/realm/index.ts';
import { processRunner } from '../../realm/realm/index.ts';
import { assertTrusted, trustLevel, type TrustLevel } from '../../realm/realm/index.ts';
import { currentBranch, tryGit } from '../../realm/realm/index.ts';
import type { SyncResult } from '../../realm/realm/index.ts';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { trustSource } from '../user-dirs.ts';
import { chosenRealm } from './realm-membership.ts';
import { emitChange } from './realm-sessions.ts';

/** `realm` subcommands that only read (allowed in a read-only realm). */
const READS = new Set(['check', 'status', 'graph', 'worktree list', 'pr status']);

/**
 * The trust levels that apply to a command in this repo: the chosen realm's (`--realm`), else
 * those of every realm the repo joined, so an unchosen realm never skips the check ([] when it
 * joined none or its config cannot be read: the command itself reports that).
 */
export function realmTrust(ctx: CliContext, chosen?: string): { realm: string; level: TrustLevel; display: string }[] {
  let realms: string[];
  try {
    realms = readMemberships(ctx.cwd).map((m) => m.name);
  } catch {
    return [];
  }
  if (chosen !== undefined) realms = realms.filter((r) => r === chosen);
  const source = trustSource(ctx.env, os.homedir());
  return realms.map((realm) => ({ realm, level: trustLevel(source, realm), display: source.display }));
}

/**
 * Refuses realm commands that the user's trust.yaml does not allow for the realms they act on.
 * Registered after `shareRealmOption`, so its hook has recorded `--realm` for {@link chosenRealm}.
 */
export function guardTrust(realm: Command, ctx: CliContext): void {
  realm.hook('preAction', (_self, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== realm; c = c.parent) names.unshift(c.name());
    const command = names.join(' ');
    if (command === 'init' || command === 'join') return;
    for (const t of realmTrust(ctx, chosenRealm(realm))) assertTrusted(t.level, t.realm, `realm ${command}`, !READS.has(command), t.display);
  });
}

/** Registers `realm worktree`, `realm pr` and `realm ci`. */
export function registerCoordination(realm: Command, ctx: CliContext): void {
  registerWorktree(realm, ctx);
  registerPr(realm, ctx);
  realm
    .command('ci')
    .description('CI workflows')
    .command('init')
    .description(`Write ${CI_WORKFLOW}: exporter/importer checks in a member repo, contract checks in the realm repo`)
    .option('--realm-url <url>', "the realm's clone URL (default: the realm checkout's origin, else the BLUE_REALM_URL variable)")
    .option('--ref <ref>', 'realm ref the member checks against', 'main')
    .option('--force', 'replace an existing workflow', false)
    .action((o: { realmUrl?: string; ref: string; force: boolean }) => {
      const inRealm = fs.existsSync(path.join(ctx.cwd, realmPaths.realm)) && realmTrust(ctx).length === 0;
      let url = o.realmUrl;
      if (!inRealm && url === undefined) {
        const { model } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
        const origin = tryGit(model.root, ['config', '--get', 'remote.origin.url']);
        // Credentials embedded in the remote URL never go into the workflow file.
        if (origin.ok && /^(https?|ssh|git):\/\/|^git@/.test(origin.stdout.trim())) url = origin.stdout.trim().replace(/^(https?:\/\/)[^@/]*@/, '$1');
      }
      const file = writeCiWorkflow(ctx.cwd, ciWorkflow(inRealm ? 'realm' : 'member', { realmUrl: url, ref: o.ref }), o.force);
      ctx.stdout(`Wrote ${file} (${inRealm ? 'contract checks of the realm repo' : 'exporter and importer checks'})\n`);
    });
}

function registerWorktree(realm: Command, ctx: CliContext): void {
  const wt = realm.command('worktree').description('Linked git worktrees of one change across the repos it touches');
  wt.command('create <name>')
    .description('Branch <name> and a worktree at <repo>/.blue/worktrees/<name> in each repo of the change (all or nothing)')
    .option('--domain <domain>', 'a domain the change touches (repeatable; default: the domains of this repo)', collect, [] as string[])
    .option('--rfc <number>', "the repos of the contracts the RFC's Contracts header row lists")
    .action((name: string, o: { domain: string[]; rfc?: string }) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const repos = mergeOrder(model, scopeRepos(ctx, model, repo, o));
      const made = createWorktrees(model, repos, name);
      emitChange(ctx, { realm: model.realm.data.name, repo, kind: 'worktree', detail: `worktree ${name} created in ${made.map((w) => w.repo).join(', ')}` });
      ctx.stdout(`Created worktree ${name} (branch ${name}) in ${made.length} repo(s), in merge order:\n${made.map((w) => `  ${w.repo}  ${rel(ctx, w.path)}`).join('\n')}\n`);
    });
  wt.command('list')
    .description("The realm's blue worktrees")
    .option('--json', 'print JSON', false)
    .action((o: { json: boolean }) => {
      const { model } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const all = listWorktrees(model);
      if (o.json) return ctx.stdout(`${JSON.stringify(all, null, 2)}\n`);
      ctx.stdout(all.length ? `${all.map((w) => `${path.basename(w.path)}  ${w.repo}  ${w.branch}  ${rel(ctx, w.path)}`).join('\n')}\n` : 'no worktrees\n');
    });
  wt.command('remove <name>')
    .description('Remove worktree <name> from every repo (branches are kept)')
    .option('--force', 'also remove worktrees with uncommitted changes', false)
    .action((name: string, o: { force: boolean }) => {
      const { model } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const r = removeWorktrees(model, name, o.force);
      const lines = [r.removed.length ? `Removed worktree ${name} from ${r.removed.map((w) => w.repo).join(', ')}` : `No worktree ${name}`];
      lines.push(...r.kept.map((k) => `Kept ${k}`));
      if (r.kept.length > 0) ctx.setExitCode(EXIT.checkFailed);
      ctx.stdout(`${lines.join('\n')}\n`);
    });
}

function scopeRepos(ctx: CliContext, model: RealmModel, repo: string, o: { domain: string[]; rfc?: string }): string[] {
  if (o.rfc !== undefined) {
    const n = Number(o.rfc);
    if (!Number.isInteger(n) || n <= 0) throw new UserError('E_USAGE', `--rfc ${o.rfc} is not an RFC number`, { expected: '--rfc N' });
    return changeRepos(model, { contracts: rfcContracts(ctx.cwd, n), domains: o.domain });
  }
  const domains = o.domain.length ? o.domain : [...model.domains.values()].filter((d) => d.data.members.includes(repo)).map((d) => d.name);
  return changeRepos(model, { domains });
}

function registerPr(realm: Command, ctx: CliContext): void {
  const pr = realm.command('pr').description('Pull requests of a coordinated change, in merge order');
  const plan = (branch: string | undefined, o: { base: string; title?: string }) => {
    const { model } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
    return planPullRequests(model, { branch: branch ?? currentBranch(ctx.cwd), base: o.base, title: o.title });
  };
  pr.command('create [branch]')
    .description('Open one PR per repo that has the branch (default: the current branch) with `gh`, or print the commands')
    .option('--base <branch>', 'target branch', 'main')
    .option('--title <text>', 'title prefix (default: the branch name)')
    .option('--dry-run', 'print the gh commands instead of running them', false)
    .action((branch: string | undefined, o: { base: string; title?: string; dryRun: boolean }) => {
      const p = plan(branch, o);
      const runner = processRunner(ctx.env);
      const r = createPullRequests(p, o.dryRun ? { ...runner, has: () => false } : runner);
      const head = `Merge order: ${p.order.join(' → ')}`;
      const why = o.dryRun ? 'dry run' : 'gh is not on PATH';
      if (!r.ran) return ctx.stdout(`${head}\n${why}; run these (push each branch first):\n${r.commands.join('\n')}\n`);
      if (r.outcomes.some((x) => !x.ok)) ctx.setExitCode(EXIT.checkFailed);
      ctx.stdout(`${head}\n${r.outcomes.map((x, i) => `${i + 1}. ${x.repo}: ${x.ok ? x.detail : `failed: ${x.detail}`}`).join('\n')}\n`);
    });
  pr.command('status [branch]')
    .description("Each PR's state (`gh pr view`), in merge order")
    .option('--base <branch>', 'target branch', 'main')
    .action((branch: string | undefined, o: { base: string }) => {
      const p = plan(branch, o);
      const r = pullRequestStatus(p, processRunner(ctx.env));
      const head = `Merge order: ${p.order.join(' → ')}`;
      if (!r.ran) return ctx.stdout(`${head}\ngh is not on PATH; run these:\n${r.commands.join('\n')}\n`);
      ctx.stdout(`${head}\n${r.outcomes.map((x, i) => `${i + 1}. ${x.repo}: ${x.detail}`).join('\n')}\n`);
    });
}

/** Registers the top-level `blue status`. */
export function registerRepoStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(describeCommand('status'))
    .option('--json', 'print JSON', false)
    .action((o: { json: boolean }) => {
      for (const t of realmTrust(ctx)) assertTrusted(t.level, t.realm, 'status', false, t.display);
      const { model, repo } = openRealm(ctx.cwd);
      const s = repoStatus(model, repo, ctx.cwd);
      ctx.stdout(o.json ? `${JSON.stringify(s, null, 2)}\n` : formatRepoStatus(s));
    });
}

/**
 * The realm `realm check` reads: fetched from `--realm-url` at `--ref` into a temp folder, the
 * realm repo itself when the cwd is one (contract, compatibility and realm-wide modes), or this
 * repo's realm checkout (`checkout`: the caller reads it as merged main plus the pending branch).
 */
export function openForCheck(
  ctx: CliContext,
  o: { realmUrl?: string; ref?: string },
  mode: string,
  chosen?: string,
): { model: RealmModel; repo: string; checkout: boolean; dispose?: () => void } {
  if (o.realmUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-realm-fetch-'));
    const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
      fetchRealm(o.realmUrl, o.ref ?? 'main', dir, ctx.env, ctx.env.BLUE_REALM_TOKEN);
      const model = loadRealm(dir);
      const member = realmTrust(ctx).length > 0 ? readMembership(ctx.cwd, chosen).membership.repo : '';
      if (member) assertIdentity(model, member, ctx.cwd);
      else if (mode === 'exporter' || mode === 'importer') throw notMember(mode);
      return { model, repo: member, checkout: false, dispose };
    } catch (err) {
      dispose();
      throw err;
    }
  }
  if (realmTrust(ctx).length === 0 && fs.existsSync(path.join(ctx.cwd, realmPaths.realm))) {
    if (mode === 'exporter' || mode === 'importer') throw notMember(mode);
    return { model: loadRealm(ctx.cwd), repo: '', checkout: false };
  }
  return { ...openRealm(ctx.cwd, { realm: chosen }), checkout: true };
}

function notMember(mode: string): UserError {
  return new UserError('E_REALM', `check --mode ${mode} checks a member repo's bindings; this is not a member repo`, { expected: 'run it in a repo that joined the realm' });
}

/**
 * After a sync: offers one issue per affected importer (`--open-issues`, or a yes/no prompt on
 * a TTY, answered through `prompt`: stdin by default) and opens them with `gh`, or prints the
 * commands without it.
 * @returns the lines to print.
 */
export async function offerIssues(
  ctx: CliContext,
  model: RealmModel,
  repo: string,
  r: Pick<SyncResult, 'changes'>,
  flag: boolean | undefined,
  prompt: (question: string) => Promise<boolean> = ask,
): Promise<string[]> {
  const plans = planImportIssues(loadRealm(model.root), r, repo);
  if (plans.length === 0 || flag === false) return [];
  const wanted = flag === true || (ctx.isTTY && (await prompt(`Open an issue in ${plans.map((p) => p.repo).join(', ')} about the change? [y/N] `)));
  if (!wanted) return [];
  const out = openIssues(plans, processRunner(ctx.env), ctx.cwd);
  return out.ran ? out.lines : ['gh is not on PATH; open the issues with:', ...out.lines];
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function rel(ctx: CliContext, p: string): string {
  return path.relative(ctx.cwd, p) || '.';
}

/** Commander's collector of a repeatable option (the realm commands' copy of flags.ts's, which would load the orchestrator). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
