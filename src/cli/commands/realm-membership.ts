/**
 * `blue realm leave|list` and the realm index kept by join/leave (`~/.blue/index.yaml`), plus
 * the `--realm NAME` choice shared by every realm command.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadRealm, modelAt, resolveRef, readIndex, readMembership, readMemberships, removeMembership, indexJoin, indexLeave, type RealmModel, type RealmView } from '../../realm/realm/index.ts';
import type { CliContext } from '../context.ts';
import { userDirs } from '../user-dirs.ts';

const chosen = new WeakMap<Command, string>();

/** The `--realm NAME` given to `blue realm` or its subcommand (undefined: the repo's only realm). */
export function chosenRealm(realm: Command): string | undefined {
  return chosen.get(realm) ?? realm.opts<{ realm?: string }>().realm;
}

/**
 * Gives every realm subcommand `--realm NAME` (options are positional in this program, so the
 * parent's option alone would only be read before the subcommand) and records the choice.
 */
export function shareRealmOption(realm: Command): void {
  const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
  const unrelated = new Set(['init', 'join', 'list']); // they name no realm of this repo
  for (const leaf of realm.commands.flatMap(leaves)) {
    if (unrelated.has(leaf.name()) && leaf.parent === realm) continue;
    if (!leaf.options.some((o) => o.long === '--realm')) leaf.option('--realm <name>', 'the realm to act on, when this repo joined several');
  }
  realm.hook('preAction', (_self, action) => {
    const name = action.opts<{ realm?: string }>().realm;
    if (name !== undefined) chosen.set(realm, name);
  });
}

/**
 * The realm `check` reads when the membership pins a `ref:` (tag or commit): the realm as
 * committed there, read from the checkout (`checkout`, identity already checked); undefined
 * when not pinned (then the merged view is read).
 * @throws UserError E_REALM when the ref names no commit or its files are malformed.
 */
export function pinnedView(ctx: CliContext, checkout: RealmModel, chosen?: string): RealmView | undefined {
  const { membership } = readMembership(ctx.cwd, chosen);
  if (!membership.ref) return undefined;
  const commit = resolveRef(checkout.root, membership.ref);
  return { model: modelAt(checkout.root, commit), mainRef: membership.ref };
}

/**
 * After a join: records the realm at `realmRoot` in the user's index (skipped without a home
 * dir). The join itself is done, so an index that cannot be written is a warning only.
 */
export function noteJoin(ctx: CliContext, realmRoot: string): void {
  const { home } = userDirs(ctx.env);
  if (home) indexUpdate(ctx, () => indexJoin(home, loadRealm(realmRoot).realm.data.name, fs.realpathSync(realmRoot), fs.realpathSync(ctx.cwd)));
}

function indexUpdate(ctx: CliContext, f: () => void): void {
  try {
    f();
  } catch (err) {
    ctx.stderr(`warning: realm index not updated: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
  }
}

/** Registers `leave` and `list` on the `realm` command. */
export function registerMembership(realm: Command, ctx: CliContext): void {
  realm
    .command('leave [name]')
    .description("Leave a realm: remove this repo's membership (and its index entry); the realm's files about it go through a pull request")
    .action((name: string | undefined) => {
      const { membership, realmRoot } = readMembership(ctx.cwd, name ?? chosenRealm(realm));
      removeMembership(ctx.cwd, membership.name);
      const { home } = userDirs(ctx.env);
      if (home) indexUpdate(ctx, () => indexLeave(home, membership.name, fs.realpathSync(ctx.cwd)));
      const left = realmFilesOf(realmRoot, membership.repo);
      const todo = left.length
        ? `; the realm still lists ${membership.repo} in ${left.join(', ')}: remove them in the realm repo (git rm, then a pull request) once its importers no longer need its exports`
        : '';
      ctx.stdout(`Left realm ${membership.name}${todo}\n`);
    });
  realm
    .command('list')
    .description('The realms this repo joined, and those in your index (~/.blue/index.yaml)')
    .option('--json', 'print JSON', false)
    .action((o: { json: boolean }) => {
      const joined = readMemberships(ctx.cwd);
      const { home } = userDirs(ctx.env);
      const index = home ? readIndex(home).realms : [];
      if (o.json) return ctx.stdout(`${JSON.stringify({ joined, index }, null, 2)}\n`);
      const lines = joined.length ? joined.map((m) => `${m.name} (as ${m.repo}, ${m.path}${m.ref ? `, pinned at ${m.ref}` : ''})`) : ['this repo has joined no realm'];
      for (const r of index) lines.push(`index: ${r.name} ${r.path} (${r.repos.length} repo(s))`);
      ctx.stdout(`${lines.join('\n')}\n`);
    });
}

/** Realm-relative files naming `repo`: its repo file and bindings. */
function realmFilesOf(realmRoot: string, repo: string): string[] {
  if (!fs.existsSync(realmRoot)) return [];
  const files = [`repos/${repo}.yaml`];
  const domains = path.join(realmRoot, 'domains');
  if (fs.existsSync(domains)) for (const d of fs.readdirSync(domains).sort()) files.push(`domains/${d}/bindings/${repo}.yaml`);
  return files.filter((f) => fs.existsSync(path.join(realmRoot, f)));
}
