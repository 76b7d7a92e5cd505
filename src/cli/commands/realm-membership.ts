/**
 * `blue realm leave|list` and the realm index kept by join/leave (`~/.blue/index.yaml`), plus
 * the `--realm NAME` choice shared by every realm command.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { leaveRealm, loadRealm, modelAt, resolveRef, readIndex, readMembership, readMemberships, removeMembership, indexJoin, indexLeave, type LeaveResult, type RealmModel, type RealmView } from '../../realm/realm/index.ts';
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

/** Runs `f`; when it throws, warns `warning: <what>: <the error's first line>` and returns undefined. */
function warnOnFailure<T>(ctx: CliContext, what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    ctx.stderr(`warning: ${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return undefined;
  }
}

function indexUpdate(ctx: CliContext, f: () => void): void {
  warnOnFailure(ctx, 'realm index not updated', f);
}

/** Registers `leave` and `list` on the `realm` command. */
export function registerMembership(realm: Command, ctx: CliContext): void {
  realm
    .command('leave [name]')
    .description("Leave a realm: remove this repo's membership, its index entry and, through a sync (pull request), its repo file and bindings in the realm")
    .action(async (name: string | undefined) => {
      const { membership, realmRoot } = readMembership(ctx.cwd, name ?? chosenRealm(realm));
      // The realm side first: a failed sync leaves the membership in place, so leave can be run again.
      const model = fs.existsSync(realmRoot) ? readableRealm(ctx, realmRoot) : undefined;
      const gone = model && (await leaveRealm(model, membership.repo, ctx.clock));
      removeMembership(ctx.cwd, membership.name);
      const { home } = userDirs(ctx.env);
      if (home) indexUpdate(ctx, () => indexLeave(home, membership.name, fs.realpathSync(ctx.cwd)));
      ctx.stdout(`${[`Left realm ${membership.name}`, ...(gone ? leaveLines(membership.repo, gone) : [])].join('\n')}\n`);
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

/** The realm at `root`, or undefined (with a warning: its files are left alone) when it cannot be read. */
function readableRealm(ctx: CliContext, root: string): RealmModel | undefined {
  return warnOnFailure(ctx, 'realm files not changed', () => loadRealm(root));
}

/** What happened to the realm's files about `repo`, or what remains and why. */
function leaveLines(repo: string, r: LeaveResult): string[] {
  const members = r.memberOf.map((f) => `${f} still lists ${repo} as a member: the domain's other members remove it there`);
  return [...filesLines(repo, r), ...members];
}

function filesLines(repo: string, r: LeaveResult): string[] {
  if (r.files.length === 0) return [];
  if (!r.sync?.branch) {
    const files = r.files.join(', ');
    return [`The realm still lists ${repo} in ${files}: ${r.blockers.join('; ') || 'nothing was committed'}; then git rm them in the realm repo and open a pull request`];
  }
  const s = r.sync;
  const lines = [`Removed ${r.files.join(', ')} on ${s.branch}`];
  if (s.pushed) lines.push(`Pushed ${s.branch} to ${s.remote}; open a pull request to merge it`);
  else if (s.pushError) lines.push(`Push of ${s.branch} to ${s.remote} was refused (${s.pushError}); push it by hand or run \`blue realm sync\` from a member`);
  else if (s.merged) lines.push(`Merged ${s.branch} into the realm's main (no remote)`);
  return lines;
}
