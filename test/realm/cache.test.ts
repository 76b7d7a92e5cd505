/** Issue 13 items 4 and 7: the check cache (.blue/cache.db) and export detection. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CacheStats } from '../../src/realm/realm/index.ts';
import { write } from './helpers.ts';
import { readyRealm } from './setup.ts';

describe('realm check cache', () => {
  it('reads contract checks from the cache the second time, and --no-cache bypasses it', async () => {
    const { run, aperture, realm } = await readyRealm();
    const stats = async (): Promise<CacheStats> => JSON.parse((await run(aperture, 'cache', 'stats', '--json')).out) as CacheStats;
    const first = await run(aperture, 'check', '--mode', 'contract', '--json');
    expect((await stats()).contract).toEqual({ entries: 1, hits: 0, misses: 1 });
    const second = await run(aperture, 'check', '--mode', 'contract', '--json');
    expect((await stats()).contract).toEqual({ entries: 1, hits: 1, misses: 1 });
    expect(second.out).toBe(first.out);

    await run(aperture, 'check', '--mode', 'contract', '--no-cache');
    expect((await stats()).contract).toEqual({ entries: 1, hits: 1, misses: 1 });

    // An edit of the contract file is a new key: checked again, and its new finding shows.
    const file = path.join(realm, 'domains/s3-access/contracts/s3-permissions.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('jobs/*/masks/*', 'NOT VALID'));
    const edited = await run(aperture, 'check', '--mode', 'contract');
    expect(edited.out).toContain('fails its schema');
    expect((await stats()).contract).toMatchObject({ hits: 1, misses: 2 });

    expect((await run(aperture, 'cache', 'clear')).code).toBe(0);
    expect((await stats()).contract).toEqual({ entries: 0, hits: 0, misses: 0 });
    const text = (await run(aperture, 'cache', 'stats')).out;
    expect(text).toContain('contract: 0 entries, 0 hits, 0 misses');
  });
});

describe('export detection', () => {
  it('reports an exported value changed in code but not in the contract, through the cache', async () => {
    const { run, aperture } = await readyRealm();
    write(aperture, 'models/s3_paths.py', 'READ = "jobs/*/masks/*"\n');
    const declared = await run(aperture, 'binding', 'export', 's3-permissions', '--source', 'models/s3_paths.py',
      '--detect-field', 'read', '--detect-files', 'models/*.py', '--detect-pattern', 'READ = "([^"]+)"');
    expect(declared.code, declared.err).toBe(0);
    const clean = await run(aperture, 'check', '--mode', 'exporter');
    expect(clean.out).not.toContain('changed in code');
    expect(clean.code, clean.out).toBe(0);

    write(aperture, 'models/s3_paths.py', '# paths\nREAD = "jobs/*/masks/*"\nREAD = "jobs/*/previews/*"\n');
    const drift = await run(aperture, 'check', '--mode', 'exporter');
    expect(drift.code).toBe(1);
    expect(drift.out).toContain('value of "s3-permissions" changed in code but not in the contract: read: "jobs/*/previews/*" (models/s3_paths.py:3) is in the code');
    const again = await run(aperture, 'check', '--mode', 'exporter');
    expect(again.out).toBe(drift.out);
    const stats = JSON.parse((await run(aperture, 'cache', 'stats', '--json')).out) as CacheStats;
    expect(stats.export.hits).toBeGreaterThan(0);

    write(aperture, 'models/s3_paths.py', 'READ = "jobs/*/other/*"\n');
    const swapped = await run(aperture, 'check', '--mode', 'exporter');
    expect(swapped.out).toContain('"jobs/*/other/*" (models/s3_paths.py:1) is in the code; "jobs/*/masks/*" is only in the contract');
  });

  it('refuses an invalid detect pattern and partial detect flags', async () => {
    const { run, aperture } = await readyRealm();
    const bad = await run(aperture, 'binding', 'export', 's3-permissions', '--source', 'src.py', '--detect-field', 'read', '--detect-files', '*.py', '--detect-pattern', '(unclosed');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('invalid regular expression');
    const partial = await run(aperture, 'binding', 'export', 's3-permissions', '--source', 'src.py', '--detect-field', 'read');
    expect(partial.err).toContain('needs --detect-field, --detect-files and --detect-pattern together');
  });
});
