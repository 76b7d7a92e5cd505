/** `contract bump --allow-breaking --reason`: an explicit, recorded override of the semver rule. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { S3_SCHEMA, git, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

describe('realm override of a detected breaking change', () => {
  it('needs a reason, is recorded in the evolution entry and the sync commit trailer, and check --mode contract reports it', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect((await run(fungal, 'sync')).code).toBe(0);
    const realmFile = path.join(realm, 'realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('require_approval: true', 'require_approval: false'));
    write(aperture, 'schema2.json', JSON.stringify({ ...S3_SCHEMA, required: [] })); // required → optional: breaking
    const bump = (...extra: string[]) => run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json', '--version', '1.1.0', ...extra);
    const refused = await bump();
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('breaking change needs a major bump, got minor (1.0.0 → 1.1.0)');
    expect((await bump('--allow-breaking')).err).toContain('error[E_USAGE] --allow-breaking needs --reason');
    const ok = await bump('--allow-breaking', '--reason', 'every importer still sends read');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Override: a breaking change published as minor by aperture (every importer still sends read); recorded in the evolution history');
    expect(ok.out).toContain('Bumped s3-access/s3-permissions 1.0.0 → 1.1.0');
    const evolution = parse(fs.readFileSync(path.join(realm, CONTRACT), 'utf8')).evolution as { version: string; override?: unknown }[];
    expect(evolution.at(-1)).toMatchObject({ version: '1.1.0', compatible: false, override: { by: 'aperture', reason: 'every importer still sends read', verdict: 'breaking' } });
    const synced = await run(aperture, 'sync');
    expect(synced.code).toBe(0);
    const branch = /on (sync\/aperture\/\S+)/.exec(synced.out)![1]!;
    expect(git(realm, 'log', '-1', '--format=%B', branch)).toContain('Blue-Repo: aperture\nBlue-Override: s3-permissions 1.1.0 by aperture (breaking change): every importer still sends read');
    const check = await run(aperture, 'check', '--mode', 'contract');
    expect(check.code).toBe(0);
    expect(check.out).toMatch(
      new RegExp(`note: ${CONTRACT}:67: contract "s3-permissions" 1\\.0\\.0 → 1\\.1\\.0 is a breaking change published as minor under an override by "aperture" at \\S+: every importer still sends read`),
    );
    // An override where nothing needs one is refused.
    write(aperture, 'v3.yaml', 'read: ["jobs/*/masks/*"]\nwrite: ["x/*"]\n');
    const pointless = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml', '--version', '1.1.1', '--allow-breaking', '--reason', 'x');
    expect(pointless.code).toBe(2);
    expect(pointless.err).toContain('the unchanged change already fits a patch bump (1.1.0 → 1.1.1); nothing to override');
    const overBump = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml', '--version', '2.0.0', '--allow-breaking', '--reason', 'x');
    expect(overBump.err).toContain('--allow-breaking overrides only a breaking change');
  });

  it('sync --allow-breaking --reason records the override for a contract edited by hand; without it sync refuses', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect((await run(fungal, 'sync')).code).toBe(0);
    const realmFile = path.join(realm, 'realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('require_approval: true', 'require_approval: false'));
    const file = path.join(realm, CONTRACT);
    // By hand: read is no longer required (breaking), published as 1.1.0.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^version: 1\.0\.0$/m, 'version: 1.1.0').replace(/required:\n\s+- read\n/, 'required: []\n'));
    const refused = await run(aperture, 'sync');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('sync refused, nothing was committed: breaking change needs a major bump, got minor (1.0.0 → 1.1.0)');
    expect((await run(aperture, 'sync', '--allow-breaking')).err).toContain('--allow-breaking needs --reason');
    const ok = await run(aperture, 'sync', '--allow-breaking', '--reason', 'read is always sent');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`Override recorded in ${CONTRACT} by aperture: read is always sent`);
    const branch = /on (sync\/aperture\/\S+)/.exec(ok.out)![1]!;
    expect(git(realm, 'log', '-1', '--format=%B', branch)).toContain('Blue-Override: s3-permissions 1.1.0 by aperture (breaking change): read is always sent');
    const entry = (parse(git(realm, 'show', `${branch}:${CONTRACT}`)).evolution as { version: string }[]).at(-1);
    expect(entry).toMatchObject({ version: '1.1.0', compatible: false, override: { by: 'aperture', reason: 'read is always sent', verdict: 'breaking' } });
    expect((await run(aperture, 'check', '--mode', 'contract')).out).toContain('is a breaking change published as minor under an override by "aperture"');
  });
});
