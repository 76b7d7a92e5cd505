/**
 * `blue realm …`: init, join, domain/contract/binding management, check, status, sync, graph.
 * Thin layer: parses flags, reads input files relative to the cwd, calls src/realm/realm,
 * and writes results through ctx.stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../core/index.ts';
import { readTextFile } from '../../core/index.ts';
import {
  bumpContract,
  checkPassed,
  checkRealm,
  formatCheckFinding,
  createContract,
  createDomain,
  exportBinding,
  formatNotification,
  graphMermaid,
  graphTree,
  importBinding,
  initRealm,
  joinRealm,
  openRealm,
  openCache,
  parseYaml,
  refreshExport,
  syncRealm,
  approveContract,
  publishContract,
  admitRepo,
  loadRealm,
  pendingAdmission,
  pendingError,
  realmStatus,
  realmView,
  recordMainChanges,
  statusOf,
  takeUnseen,
  type CheckMode,
  type RealmView,
  type RealmModel,
  type RealmStatus,
  type CheckReport,
  type DetectEntry,
  formatSession,
} from '../../realm/realm/index.ts';
import { NotificationsRepo } from '../../store/index.ts';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { ensureWorkspace } from '../workspace.ts';
import { registerCache } from './realm-cache.ts';
import { activeSessions, emitChange, importChangePoller, watchRealm, withSession } from './realm-sessions.ts';
import { chosenRealm, noteJoin, pinnedView, registerMembership, shareRealmOption } from './realm-membership.ts';
import { collect, guardTrust, offerIssues, openForCheck, realmTrust, registerCoordination, registerRepoStatus } from './realm-coord.ts';

const MODES = ['exporter', 'importer', 'contract', 'compatibility'] as const;

/** Registers the realm commands on `program`. */
export function registerRealmCommands(program: Command, ctx: CliContext): void {
  const realm = program
    .command('realm')
    .description(describeCommand('realm'))
    .option('--realm <name>', 'the realm to act on, when this repo joined several');
  registerSetup(realm, ctx);
  registerContracts(realm, ctx);
  registerBindings(realm, ctx);
  registerReads(realm, ctx);
  registerTrust(realm, ctx);
  registerMembership(realm, ctx);
  registerCache(realm, ctx);
  registerCoordination(realm, ctx);
  // After every subcommand is registered, so each leaf gets --realm.
  shareRealmOption(realm);
  guardTrust(realm, ctx);
  registerRepoStatus(program, ctx);
}

/**
 * `admission: approval`: an approver accepts a pending join (admission.ts). `ack`: the explicit
 * acknowledge of notifications for readers of `status --json`, which never marks them seen.
 */
function registerTrust(realm: Command, ctx: CliContext): void {
  realm
    .command('ack')
    .description('Acknowledge (mark seen) this repo\'s realm notifications, including changes that just reached main')
    .action(() => {
      const { model: checkout, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const view = realmView(checkout, repo);
      const log = NotificationsRepo.open(ctx.cwd);
      try {
        recordMainChanges(log, view, repo, ctx.clock);
        const seen = takeUnseen(log, view.model.realm.data.name, repo, ctx.clock);
        ctx.stdout(`Acknowledged ${seen.length} notification(s)${seen.map((n) => `\n  ${formatNotification(n)}`).join('')}\n`);
      } finally {
        log.close();
      }
    });
  realm
    .command('admit <repo>')
    .description('Accept the pending join of a repo (approvers listed in realm.yaml governance.approvers)')
    .action((name: string) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      admitRepo(model, { repo: name, actor: repo });
      ctx.stdout(`${repo} admitted ${name} to realm ${model.realm.data.name}; \`blue realm sync\` publishes it\n`);
    });
}

function registerSetup(realm: Command, ctx: CliContext): void {
  realm
    .command('init')
    .description('Create a realm git repository (realm.yaml, repos/, domains/)')
    .requiredOption('--name <name>', 'realm name')
    .option('--path <dir>', 'where to create it (default: the current directory)')
    .action((o: { name: string; path?: string }) => {
      const dir = path.resolve(ctx.cwd, o.path ?? '.');
      initRealm(dir, o.name, ctx.clock);
      ctx.stdout(`Created realm ${o.name} in ${o.path ?? '.'}\n`);
    });
  realm
    .command('join <realm-path>')
    .description('Register this repo in the realm and record membership in .blue/config.yaml')
    .option('--repo <name>', 'repo name (default: the directory name)')
    .option('--ref <ref>', 'pin the realm to a tag or commit: check reads the realm there')
    .action((realmPath: string, o: { repo?: string; ref?: string }) => {
      const repo = o.repo ?? path.basename(ctx.cwd);
      joinRealm(ctx.cwd, realmPath, repo, ctx.clock, { ref: o.ref });
      ensureWorkspace(ctx.cwd); // .blue/ now exists: keep its database out of git
      noteJoin(ctx, path.resolve(ctx.cwd, realmPath));
      const waiting = pendingAdmission(loadRealm(path.resolve(ctx.cwd, realmPath)), repo);
      if (waiting) return ctx.stdout(`Asked to join ${realmPath} as ${repo}; the join is pending until an approver (${waiting.join(', ')}) runs \`blue realm admit ${repo}\`\n`);
      ctx.stdout(`Joined ${realmPath} as ${repo}${o.ref ? ` (pinned at ${o.ref})` : ''}\n`);
    });
  realm
    .command('domain')
    .description('Manage domains')
    .command('create <name>')
    .description('Create a domain; the first listed repo is the provider')
    .requiredOption('--repos <list>', 'comma-separated member repos, provider first')
    .option('--description <text>', 'what the domain coordinates', '')
    .action((name: string, o: { repos: string; description: string }) => {
      const { model } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const members = o.repos.split(',').map((s) => s.trim()).filter(Boolean);
      createDomain(model, name, members, ctx.clock, o.description);
      ctx.stdout(`Created domain ${name} (${members.join(', ')})\n`);
    });
}

function registerContracts(realm: Command, ctx: CliContext): void {
  const contract = realm.command('contract').description('Manage contracts');
  contract
    .command('create <name>')
    .description('Create a contract owned by this repo')
    .requiredOption('--domain <domain>', 'domain')
    .requiredOption('--owner <repo>', 'owner repo (must be this repo)')
    .requiredOption('--schema <file>', 'JSON Schema (JSON or YAML)')
    .option('--value <file>', 'initial value (JSON or YAML)')
    .option('--version <semver>', 'initial version', '1.0.0')
    .option('--exporter-hook <cmd>', 'validation hook for the exporter')
    .option('--importer-hook <cmd>', 'validation hook for importers')
    .action((name: string, o: CreateOpts) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const validation = o.exporterHook || o.importerHook ? { exporter: o.exporterHook, importer: o.importerHook, ci_only: [] } : undefined;
      const c = createContract(model, {
        domain: o.domain,
        name,
        owner: o.owner,
        actor: repo,
        schema: readObject(ctx, o.schema),
        value: o.value ? readObject(ctx, o.value) : undefined,
        version: o.version,
        validation,
      });
      emitChange(ctx, { realm: model.realm.data.name, repo, kind: 'create', detail: `created ${o.domain}/${name} ${c.version}` });
      ctx.stdout(`Created contract ${o.domain}/${name} ${c.version} (owner ${c.owner})\n`);
    });
  contract
    .command('bump <name>')
    .description('Publish a new version; the semver level must match the schema change')
    .option('--domain <domain>', 'domain (when the name is ambiguous)')
    .option('--value <file>', 'new value (JSON or YAML)')
    .option('--schema <file>', 'new JSON Schema')
    .option('--version <semver>', 'target version (default: the level the change requires)')
    .option('--change <text>', 'changelog line (repeatable)', collect, [] as string[])
    .option('--allow-breaking', 'publish --version although the change needs a bigger bump (needs --reason; recorded)', false)
    .option('--reason <text>', 'why the override is right (with --allow-breaking)')
    .action(async (name: string, o: BumpOpts) => {
      if (o.allowBreaking && !o.reason?.trim()) throw new UserError('E_USAGE', '--allow-breaking needs --reason', { expected: '--reason "why importers are not affected"' });
      if (o.reason && !o.allowBreaking) throw new UserError('E_USAGE', '--reason is only used with --allow-breaking', { expected: '--allow-breaking --reason TEXT' });
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const r = await bumpContract(model, {
        contract: name,
        domain: o.domain,
        actor: repo,
        value: o.value ? readObject(ctx, o.value) : undefined,
        schema: o.schema ? readObject(ctx, o.schema) : undefined,
        version: o.version,
        changes: o.change.length > 0 ? o.change : undefined,
        allowBreaking: o.allowBreaking ? { reason: o.reason!.trim() } : undefined,
        now: ctx.clock.now(),
      });
      refreshExport(model, { contract: r.contract, domain: r.domain, repo, repoRoot: ctx.cwd });
      const breaks = r.valueBreaks.map((b) => `Breaking change detected for ${b.importer}: removed "${b.entry}" from ${b.path}, still used in ${b.file}\n`).join('');
      const who = r.importers.length ? `; imported by ${r.importers.join(', ')}` : '';
      const over = r.override ? `Override: a ${r.override.verdict} change published as ${r.level} by ${r.override.by} (${r.override.reason}); recorded in the evolution history\n` : '';
      if (r.pending) {
        const asks = r.pending.needs.join(', ');
        return ctx.stdout(`${r.report}${breaks}${over}Pending ${r.domain}/${r.contract} ${r.to}: a breaking change needs approval from ${asks} (\`blue realm approve ${r.contract} ${r.to}\`), then \`blue realm contract publish ${r.contract}\`; ${r.from} stays published\n`);
      }
      emitChange(ctx, { realm: model.realm.data.name, repo, kind: 'bump', detail: `bumped ${r.domain}/${r.contract} ${r.from} → ${r.to}` });
      ctx.stdout(`${r.report}${breaks}${over}Bumped ${r.domain}/${r.contract} ${r.from} → ${r.to}${who}\n`);
    });
  registerGovernance(realm, contract, ctx);
}

function registerGovernance(realm: Command, contract: Command, ctx: CliContext): void {
  contract
    .command('publish <name>')
    .description('Publish an approved pending breaking version (owner); the previous one stays usable for the grace period')
    .option('--domain <domain>', 'domain (when the name is ambiguous)')
    .action((name: string, o: { domain?: string }) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const r = publishContract(model, { contract: name, domain: o.domain, actor: repo, now: ctx.clock.now() });
      emitChange(ctx, { realm: model.realm.data.name, repo, kind: 'publish', detail: `published ${name} ${r.from} → ${r.to}` });
      ctx.stdout(`Published ${name} ${r.from} → ${r.to}; ${r.from} stays usable until ${r.until}\n`);
    });
  realm
    .command('approve <contract> <version>')
    .description('Approve a pending breaking version of a contract this repo imports')
    .option('--domain <domain>', 'domain (when the name is ambiguous)')
    .action((name: string, version: string, o: { domain?: string }) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const missing = approveContract(model, { contract: name, domain: o.domain, version, actor: repo });
      ctx.stdout(`${repo} approved ${name} ${version}${missing.length ? `; still needed: ${missing.join(', ')}` : '; the owner can now publish it'}\n`);
    });
}

function registerBindings(realm: Command, ctx: CliContext): void {
  const binding = realm.command('binding').description('Declare exports and imports');
  binding
    .command('export <contract>')
    .description('Declare that this repo exports a contract it owns')
    .option('--domain <domain>', 'domain')
    .requiredOption('--source <file>', 'source file the contract comes from (repeatable)', collect, [] as string[])
    .option('--detect-field <field>', "export detection: the contract value's field (dotted) the code holds")
    .option('--detect-files <glob>', 'export detection: files holding it (repeatable)', collect, [] as string[])
    .option('--detect-pattern <regex>', 'export detection: regex whose first group captures one value')
    .action((name: string, o: ExportOpts) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const detect = detectOption(o);
      exportBinding(model, { contract: name, domain: o.domain, repo, repoRoot: ctx.cwd, sourceFiles: o.source, detect });
      ctx.stdout(`${repo} exports ${name} from ${o.source.join(', ')}\n`);
    });
  binding
    .command('import <contract>')
    .description('Declare that this repo imports a contract within a semver range')
    .option('--domain <domain>', 'domain')
    .requiredOption('--version <range>', 'semver range, e.g. ">=1.0.0 <2.0.0" or ">=1.0.0, <2.0.0"')
    .option('--binding <file>', 'file in this repo that implements the import')
    .action((name: string, o: { domain?: string; version: string; binding?: string }) => {
      const { model, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const b = importBinding(model, { contract: name, domain: o.domain, repo, range: o.version, bindingFile: o.binding }, ctx.clock);
      const imp = b.imports.find((i) => i.contract === name);
      ctx.stdout(`${repo} imports ${name} ${o.version} (resolved ${imp?.resolved_version ?? '?'})\n`);
    });
}

function registerReads(realm: Command, ctx: CliContext): void {
  realm
    .command('check')
    .description('Validate the realm: exit 0 valid, 1 errors (or warnings under --strict)')
    .option('--mode <mode>', `one of ${MODES.join(', ')}`)
    .option('--from <version>', 'compatibility: old version')
    .option('--to <version>', 'compatibility: new version')
    .option('--contract <name>', 'compatibility: contract')
    .option('--domain <domain>', 'compatibility: domain')
    .option('--strict', 'treat warnings as failure (exit 1)', false)
    .option('--run-hooks', "run the contracts' validation hooks", false)
    .option('--json', 'print JSON', false)
    .option('--no-cache', 'compute everything, neither reading nor writing .blue/cache.db')
    .option('--realm-url <url>', 'check against the realm fetched from this URL (token: BLUE_REALM_TOKEN or git credentials)')
    .option('--ref <ref>', 'with --realm-url: branch, tag or commit', 'main')
    .action(async (o: CheckOpts) => {
      if (o.mode !== undefined && !(MODES as readonly string[]).includes(o.mode)) {
        throw new UserError('E_USAGE', `unknown check mode "${o.mode}"`, { expected: `one of ${MODES.join(', ')}` });
      }
      const mode = (o.mode ?? 'all') as CheckMode;
      const source = openForCheck(ctx, o, mode, chosenRealm(realm));
      const cache = o.cache ? openCache(ctx.cwd) : undefined;
      let view: RealmView;
      let r: CheckReport;
      try {
        // A member's checkout is read as merged main plus its pending branch; a fetched realm or the realm repo as it is.
        view = source.checkout
          ? (pinnedView(ctx, source.model, chosenRealm(realm)) ?? realmView(source.model, source.repo))
          : { model: source.model, mainRef: o.realmUrl ? (o.ref ?? 'main') : 'HEAD' };
        r = await checkRealm(view.model, { ...o, mode, repo: source.repo, repoRoot: ctx.cwd, now: ctx.clock.now(), cache });
      } finally {
        cache?.close();
        source.dispose?.();
      }
      const code = checkPassed(r, o.strict) ? EXIT.ok : EXIT.checkFailed;
      const read = { ref: view.mainRef, pending: view.pending && { branch: view.pending.branch, files: view.pending.files }, fetch_error: view.fetchError };
      ctx.stdout(o.json ? `${JSON.stringify({ ...r, ...read, exitCode: code }, null, 2)}\n` : `${viewNotes(view).map((l) => `${l}\n`).join('')}${renderCheck(r)}`);
      if (code !== 0) ctx.setExitCode(code);
    });
  realm
    .command('status')
    .description("Show this repo's realm, contracts and unseen notifications (then mark them seen; --json only reads)")
    .option('--json', 'print JSON', false)
    .option('--watch', 'then print realm changes and sessions as they happen (until Ctrl-C)', false)
    .action(async (o: { json: boolean; watch: boolean }) => {
      const { model, repo } = status(ctx, o.json, chosenRealm(realm), realmTrust(ctx, chosenRealm(realm)).some((t) => t.level === 'read-only'));
      if (o.watch) await watchRealm(ctx, model.realm.data.name, repo, importChangePoller(model.root, repo));
    });
  realm
    .command('sync')
    .description('Commit this repo\'s realm changes on sync/<repo>/<timestamp>; fetch, rebase and push with a remote')
    .option('--json', 'print JSON', false)
    .option('--allow-breaking', 'record an override for a hand-edited contract whose bump is below its breaking change (needs --reason)', false)
    .option('--reason <text>', 'why the override is right (with --allow-breaking)')
    .option('--open-issues', 'open a GitHub issue (`gh issue create`) in each repo importing a changed contract')
    .option('--no-open-issues', 'do not offer the issues (no prompt on a TTY)')
    .action(async (o: { json: boolean; allowBreaking: boolean; reason?: string; openIssues?: boolean }) => {
      if (o.allowBreaking && !o.reason?.trim()) throw new UserError('E_USAGE', '--allow-breaking needs --reason', { expected: '--reason "why importers are not affected"' });
      const { model, repo } = openRealm(ctx.cwd, { allowPending: true, realm: chosenRealm(realm) });
      const waiting = pendingAdmission(model, repo);
      const allowBreaking = o.allowBreaking ? { reason: o.reason!.trim() } : undefined;
      const realmName = model.realm.data.name;
      const r = await withSession(ctx, { realm: realmName, repo, kind: 'sync' }, () => syncRealm(model, repo, ctx.clock, { joinRequestOnly: waiting !== undefined, allowBreaking }));
      for (const c of r.changes) {
        emitChange(ctx, { realm: realmName, repo, kind: 'sync', detail: `synced ${c.kind}: ${c.domain}/${c.contract} ${c.from ? `${c.from} → ` : ''}${c.to}` });
      }
      if (waiting && !r.branch) throw pendingError(model, repo, waiting);
      const issues = await offerIssues(ctx, model, repo, r, o.json && o.openIssues === undefined ? false : o.openIssues);
      if (o.json) return ctx.stdout(`${JSON.stringify({ ...r, issues }, null, 2)}\n`);
      const left = r.left.length > 0 ? [`Left uncommitted (not ${repo}'s): ${r.left.join(', ')}`] : [];
      if (!r.branch) return ctx.stdout(`${[`Nothing to sync for ${repo}${r.remote ? ` (up to date with ${r.remote})` : ''}`, ...left].join('\n')}\n`);
      const lines = r.files.length > 0 ? [`Committed ${r.files.length} file(s) on ${r.branch}`, ...r.files.map((f) => `  ${f}`)] : [`No new changes; ${r.branch} is not merged yet`];
      lines.push(...left);
      for (const f of r.overrides) lines.push(`Override recorded in ${f} by ${repo}: ${allowBreaking?.reason}`);
      if (r.rebased) lines.push(`Rebased ${r.branch} onto ${r.remote}/main`);
      if (r.conflicts.length > 0) lines.push(`${r.branch} conflicts with ${r.remote}/main in ${r.conflicts.join(', ')}: your change stays on the branch; merge ${r.remote}/main into it by hand (or in the pull request), then run \`blue realm sync\` again`);
      if (r.pushed) lines.push(`Pushed ${r.branch} to ${r.remote}; open a pull request to merge it`);
      if (r.pushError) lines.push(`Push of ${r.branch} to ${r.remote} was refused (${r.pushError}); the commit stays on the branch and the next \`blue realm sync\` pushes it again`);
      r.changes.forEach((c, i) => {
        const who = r.importers[i] ?? [];
        lines.push(`${c.kind}: ${c.domain}/${c.contract} ${c.from ? `${c.from} → ` : ''}${c.to}${who.length ? `; imported by ${who.join(', ')}` : ''}`);
      });
      if (waiting) lines.push(`The join of ${repo} is pending: this sync published only its request; an approver (${waiting.join(', ')}) accepts it with \`blue realm admit ${repo}\``);
      lines.push(...issues);
      if (r.conflicts.length > 0 || r.pushError) ctx.setExitCode(EXIT.checkFailed);
      ctx.stdout(`${lines.join('\n')}\n`);
    });
  realm
    .command('graph')
    .description('Repos, domains and contracts as a text tree, or a Mermaid flowchart')
    .option('--mermaid', 'Mermaid flowchart instead of the tree', false)
    .option('--json', 'print JSON', false)
    .action((o: { mermaid: boolean; json: boolean }) => {
      const { model: checkout, repo } = openRealm(ctx.cwd, { realm: chosenRealm(realm) });
      const view = realmView(checkout, repo);
      const model = view.model;
      const pending = view.pending && { branch: view.pending.branch, files: view.pending.files };
      if (o.json) return ctx.stdout(`${JSON.stringify({ ref: view.mainRef, pending, tree: graphTree(model), mermaid: graphMermaid(model) }, null, 2)}\n`);
      const notes = viewNotes(view).map((l) => (o.mermaid ? `%% ${l}\n` : `${l}\n`)).join('');
      ctx.stdout(o.mermaid ? `${graphMermaid(model)}${notes}` : `${graphTree(model)}${notes}`);
    });
}

/**
 * Prints the status (with the realm's live sessions); returns the checkout read, for --watch.
 * `readOnly` (a read-only realm in ~/.blue/trust.yaml): nothing is recorded or marked seen, as with --json.
 */
function status(ctx: CliContext, json: boolean, chosen?: string, readOnly = false): { model: RealmModel; repo: string } {
  const { model: checkout, repo } = openRealm(ctx.cwd, { realm: chosen });
  const sessions = activeSessions(ctx, checkout.realm.data.name);
  // --json only reads: unseen rows (when a database exists) plus changes not recorded yet.
  if (json) {
    ctx.stdout(`${JSON.stringify({ ...realmStatus(ctx.cwd, chosen), sessions }, null, 2)}\n`);
    return { model: checkout, repo };
  }
  const view = realmView(checkout, repo);
  let notes: RealmStatus['notifications'];
  if (readOnly) notes = realmStatus(ctx.cwd, chosen).notifications;
  else {
    const log = NotificationsRepo.open(ctx.cwd);
    try {
      recordMainChanges(log, view, repo, ctx.clock);
      notes = takeUnseen(log, view.model.realm.data.name, repo, ctx.clock);
    } finally {
      log.close();
    }
  }
  const s = statusOf(view, repo, notes);
  const from = s.ref === 'HEAD' ? '' : `; read from ${s.ref}`;
  const lines = [`realm ${s.realm} (this repo: ${repo}${from})`, ...viewNotes(view), `contracts:`];
  if (s.contracts.length === 0) lines.push('  (none)');
  for (const c of s.contracts) {
    const pending = c.pending_version ? `; pending ${c.pending_version} on ${s.pending?.branch}` : '';
    lines.push(`  ${c.domain}/${c.name} ${c.version} owner ${c.owner}${c.role === 'importer' ? `, imported at ${c.resolved ?? '?'}` : ''}${pending}`);
  }
  lines.push(notes.length ? 'notifications:' : 'notifications: none');
  for (const n of notes) lines.push(`  ${formatNotification(n)}`);
  if (sessions.length) lines.push('sessions:', ...sessions.map((x) => `  ${formatSession(x)}`));
  ctx.stdout(`${lines.join('\n')}\n`);
  return { model: checkout, repo };
}

/** Lines saying what the view could not show as merged: a failed fetch, this repo's pending branch. */
function viewNotes(view: RealmView): string[] {
  const lines: string[] = [];
  if (view.fetchError) lines.push(`warning: could not fetch (${view.fetchError}); showing the last fetched ${view.mainRef}`);
  if (view.pending) lines.push(`pending: ${view.pending.branch} is not merged into ${view.mainRef} yet (${view.pending.files.join(', ') || 'no file changes'})`);
  return lines;
}

function renderCheck(r: CheckReport): string {
  const lines: string[] = [];
  if (r.report) lines.push(r.report.trimEnd());
  for (const f of [...r.errors, ...r.warnings, ...r.notes]) lines.push(formatCheckFinding(f));
  lines.push(`${r.errors.length} error(s), ${r.warnings.length} warning(s)`);
  return `${lines.join('\n')}\n`;
}

/** Reads a JSON or YAML file holding an object, relative to the cwd. */
function readObject(ctx: CliContext, file: string): Record<string, unknown> {
  const abs = path.resolve(ctx.cwd, file);
  if (!fs.existsSync(abs)) throw new UserError('E_NOT_FOUND', `${file} does not exist`, { where: { file } });
  return parseYaml(readTextFile(abs, file, 'E_USAGE'), z.record(z.string(), z.unknown()), file).data;
}

interface ExportOpts {
  domain?: string;
  source: string[];
  detectField?: string;
  detectFiles: string[];
  detectPattern?: string;
}

/** The one detect entry the --detect-* flags give (all three or none). @throws UserError E_USAGE otherwise. */
function detectOption(o: ExportOpts): DetectEntry[] | undefined {
  const given = [o.detectField, o.detectFiles.length ? 'x' : undefined, o.detectPattern].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given < 3 || !o.detectField || !o.detectPattern) {
    throw new UserError('E_USAGE', 'export detection needs --detect-field, --detect-files and --detect-pattern together', { expected: '--detect-field read --detect-files "src/**/*.py" --detect-pattern "\"(jobs/[^\"]+)\""' });
  }
  return [{ field: o.detectField, files: o.detectFiles, pattern: o.detectPattern }];
}

interface CreateOpts {
  domain: string;
  owner: string;
  schema: string;
  value?: string;
  version: string;
  exporterHook?: string;
  importerHook?: string;
}
interface BumpOpts {
  domain?: string;
  value?: string;
  schema?: string;
  version?: string;
  change: string[];
  allowBreaking: boolean;
  reason?: string;
}
interface CheckOpts {
  mode?: string;
  from?: string;
  to?: string;
  contract?: string;
  domain?: string;
  strict: boolean;
  runHooks: boolean;
  json: boolean;
  cache: boolean;
  realmUrl?: string;
  ref?: string;
}
