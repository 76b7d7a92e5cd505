/**
 * The aperture/fungal walk-through of seed 004 Round 4, end to end through the CLI with real
 * git repositories in a temp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { S3_SCHEMA, cli, git, initRepo, tempDir, write } from './helpers.ts';

describe('aperture/fungal walk-through', () => {
  it('init, join, domain, contract, export, import, bump, check, status, sync, graph', async () => {
    const run = cli();
    const top = tempDir();
    const aperture = initRepo(path.join(top, 'aperture'));
    const fungal = initRepo(path.join(top, 'fungal'));
    const realm = path.join(top, 'realm-letemcook');
    write(aperture, '.blue/config.yaml', '# project settings\nmodels:\n  default: claude-x # keep me\n');
    write(aperture, 'models/training/s3_paths.py', 'READ = ["jobs/*/masks/*"]\n');
    write(aperture, 'schema.json', JSON.stringify(S3_SCHEMA));
    write(aperture, 'value.yaml', 'read:\n  - "jobs/*/masks/*"\nwrite: []\n');
    write(fungal, 'cdk/stack.py', '# IAM policy\n');

    expect((await run(top, 'init', '--name', 'letemcook', '--path', 'realm-letemcook')).code).toBe(0);
    expect(fs.existsSync(path.join(realm, 'realm.yaml'))).toBe(true);
    expect(git(realm, 'log', '--oneline')).toContain('Initialize realm: letemcook');

    expect((await run(aperture, 'join', '../realm-letemcook')).code).toBe(0);
    expect((await run(fungal, 'join', '../realm-letemcook')).code).toBe(0);
    const config = fs.readFileSync(path.join(aperture, '.blue/config.yaml'), 'utf8');
    expect(config).toContain('# keep me');
    expect(parse(config)).toEqual({ models: { default: 'claude-x' }, realm: { name: 'letemcook', path: '../realm-letemcook', repo: 'aperture' } });
    expect(parse(fs.readFileSync(path.join(realm, 'repos/aperture.yaml'), 'utf8')).path).toBe('../aperture');

    expect((await run(aperture, 'domain', 'create', 's3-access', '--repos', 'aperture,fungal')).code).toBe(0);
    const created = await run(aperture, 'contract', 'create', 's3-permissions', '--domain', 's3-access', '--owner', 'aperture', '--schema', 'schema.json', '--value', 'value.yaml');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect((await run(aperture, 'binding', 'export', 's3-permissions', '--domain', 's3-access', '--source', 'models/training/s3_paths.py')).code).toBe(0);
    const imported = await run(fungal, 'binding', 'import', 's3-permissions', '--domain', 's3-access', '--version', '>=1.0.0 <2.0.0', '--binding', 'cdk/stack.py');
    expect(imported).toMatchObject({ code: 0, out: 'fungal imports s3-permissions >=1.0.0 <2.0.0 (resolved 1.0.0)\n' });

    expect(await run(fungal, 'check')).toMatchObject({ code: 0, out: '0 error(s), 0 warning(s)\n' });
    expect((await run(aperture, 'sync')).out).toContain('Committed');
    expect((await run(fungal, 'sync')).out).toContain('domains/s3-access/bindings/fungal.yaml');

    // aperture adds a training-metrics path (seed: "New version: 1.3.0"): a value-only change → patch.
    write(aperture, 'value.yaml', 'read:\n  - "jobs/*/masks/*"\n  - "training-metrics/experiments/*"\nwrite: []\n');
    write(aperture, 'models/training/s3_paths.py', 'READ = ["jobs/*/masks/*", "training-metrics/experiments/*"]\n');
    expect((await run(aperture, 'check', '--mode', 'exporter')).code).toBe(1); // code changed, contract not updated
    const bump = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'value.yaml');
    expect(bump.code).toBe(0);
    expect(bump.out).toContain('Bumped s3-access/s3-permissions 1.0.0 → 1.0.1; imported by fungal');
    expect((await run(aperture, 'check', '--mode', 'exporter')).code).toBe(0);

    // fungal's import is now stale: a warning, exit 1 only under --strict.
    const importer = await run(fungal, 'check', '--mode', 'importer');
    expect(importer.code).toBe(0);
    expect(importer.out).toContain('warning: domains/s3-access/bindings/fungal.yaml:9: import of "s3-permissions" by "fungal" is stale: resolved 1.0.0, contract is at 1.0.1');
    expect((await run(fungal, 'check', '--mode', 'importer', '--strict')).code).toBe(1);

    // Not synced yet: nothing reached the realm's main, so nothing is announced.
    expect((await run(fungal, 'status')).out).toContain('notifications: none');
    const synced = await run(aperture, 'sync');
    expect(synced.out).toMatch(/Committed 2 file\(s\) on sync\/aperture\/\d{8}T\d{6}Z/);
    expect(git(realm, 'log', '--format=%s')).toContain('aperture: sync 2 files');
    const status = await run(fungal, 'status');
    expect(status.out).toContain('changed: s3-access/s3-permissions 1.0.0 → 1.0.1 (by aperture)');
    expect((await run(fungal, 'status')).out).toContain('notifications: none');

    // fungal resolves the new version by re-importing; the check is clean again.
    expect((await run(fungal, 'binding', 'import', 's3-permissions', '--version', '>=1.0.0, <2.0.0', '--binding', 'cdk/stack.py')).code).toBe(0);
    expect(await run(fungal, 'check', '--strict')).toMatchObject({ code: 0 });

    const graph = await run(fungal, 'graph');
    expect(graph.out).toContain('imported by fungal (>=1.0.0, <2.0.0, resolved 1.0.1, current)');
  });
});
