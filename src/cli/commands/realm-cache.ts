/** `blue realm cache stats|clear`: the check cache `.blue/cache.db` of this repo. */
import type { Command } from 'commander';
import { UserError } from '../../core/index.ts';
import { CACHE_KINDS, openCache, type RealmCache } from '../../realm/realm/index.ts';
import type { CliContext } from '../context.ts';

/** Registers `cache stats` and `cache clear` on the `realm` command. */
export function registerCache(realm: Command, ctx: CliContext): void {
  const cache = realm.command('cache').description("The check cache (.blue/cache.db): exports, contracts, validations");
  cache
    .command('stats')
    .description('Entries, hits and misses per kind since the last clear')
    .option('--json', 'print JSON', false)
    .action((o: { json: boolean }) =>
      withCache(ctx, (c) => {
        const s = c.stats();
        if (o.json) return ctx.stdout(`${JSON.stringify(s, null, 2)}\n`);
        ctx.stdout(`${CACHE_KINDS.map((k) => `${k}: ${s[k].entries} entries, ${s[k].hits} hits, ${s[k].misses} misses`).join('\n')}\n`);
      }),
    );
  cache
    .command('clear')
    .description('Delete every cached entry and reset the counters')
    .action(() =>
      withCache(ctx, (c) => {
        c.clear();
        ctx.stdout('Cleared .blue/cache.db\n');
      }),
    );
}

function withCache(ctx: CliContext, f: (c: RealmCache) => void): void {
  const c = openCache(ctx.cwd);
  if (!c) throw new UserError('E_CONFIG', 'cannot open the check cache', { where: { file: '.blue/cache.db' }, expected: 'a writable .blue/ folder' });
  try {
    f(c);
  } finally {
    c.close();
  }
}
