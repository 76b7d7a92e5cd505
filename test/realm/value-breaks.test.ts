/**
 * Seed 004 Round 4: aperture removes `training-runs/*` that fungal's binding still uses. The
 * schema is unchanged, yet the change is breaking for fungal, and it is named. Edits made
 * without a version bump fail `check --mode contract` and `sync`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

/** A ready realm whose contract reads `training-runs/*`, which fungal's cdk/stack.py uses. */
async function withTrainingRuns() {
  const ready = await readyRealm();
  const { run, aperture, fungal } = ready;
  write(aperture, 'v2.yaml', 'read: ["jobs/*/masks/*", "training-runs/*"]\n');
  expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
  write(fungal, 'cdk/stack.py', 'paths = ["s3://bucket/training-runs/*"]\n');
  expect((await run(fungal, 'binding', 'import', 's3-permissions', '--version', '>=1.0.0 <2.0.0', '--binding', 'cdk/stack.py')).code).toBe(0);
  expect((await run(aperture, 'sync')).code).toBe(0);
  expect((await run(fungal, 'sync')).code).toBe(0);
  return ready;
}

describe('value-level breaking changes (seed 004 Round 4)', () => {
  it('removing training-runs/* still used by fungal is a breaking change naming fungal', async () => {
    const { run, realm, aperture } = await withTrainingRuns();
    const before = fs.readFileSync(path.join(realm, CONTRACT), 'utf8');
    write(aperture, 'v3.yaml', 'read: ["jobs/*/masks/*"]\n');
    const refused = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml', '--version', '1.0.2');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'breaking change detected: removed "training-runs/*" from value.read, still used by fungal (cdk/stack.py); it needs a major bump, got patch (1.0.1 → 1.0.2)',
    );
    expect(fs.readFileSync(path.join(realm, CONTRACT), 'utf8')).toBe(before);
    // Without --version the bump takes the level the change needs, and says why.
    const major = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml');
    expect(major.code).toBe(0);
    expect(major.out).toContain('✗ value.read: removed "training-runs/*", still used by fungal (cdk/stack.py) - BREAKING');
    expect(major.out).toContain('Result: BREAKING (major version bump OK)');
    expect(major.out).toContain('Breaking change detected for fungal: removed "training-runs/*" from value.read, still used in cdk/stack.py\n');
    // realm.yaml requires approval of breaking changes: 2.0.0 waits for fungal.
    expect(major.out).toContain('Pending s3-access/s3-permissions 2.0.0: a breaking change needs approval from fungal');
  });

  it('removing an entry no importer mentions stays a value-only change', async () => {
    const { run, aperture } = await withTrainingRuns();
    write(aperture, 'v3.yaml', 'read: ["training-runs/*"]\n');
    const r = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Bumped s3-access/s3-permissions 1.0.1 → 1.0.2');
  });

  it('a hand edit of the value without a bump fails check --mode contract and sync', async () => {
    const { run, realm, aperture } = await withTrainingRuns();
    const file = path.join(realm, CONTRACT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('jobs/*/masks/*', 'jobs/*/other/*'));
    const check = await run(aperture, 'check', '--mode', 'contract');
    expect(check.code).toBe(1);
    expect(check.out).toContain(`error: ${CONTRACT}:2: contract "s3-permissions" value edited without a version bump (still 1.0.1)`);
    const head = git(realm, 'rev-parse', 'HEAD');
    const sync = await run(aperture, 'sync');
    expect(sync.code).toBe(2);
    expect(sync.err).toContain('sync refused, nothing was committed: value edited without a version bump (still 1.0.1)');
    expect(git(realm, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('a hand edit of the schema without a bump fails check --mode contract', async () => {
    const { run, realm, aperture } = await withTrainingRuns();
    const file = path.join(realm, CONTRACT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/required:\n\s+- read\n/, 'required: []\n'));
    const check = await run(aperture, 'check', '--mode', 'contract');
    expect(check.code).toBe(1);
    expect(check.out).toContain('contract "s3-permissions" schema edited without a version bump (still 1.0.1)');
  });

  it('a hand edit that removes training-runs/* under a minor version is refused by sync', async () => {
    const { run, realm, aperture } = await withTrainingRuns();
    const file = path.join(realm, CONTRACT);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/\n\s+- training-runs\/\*/, '').replace('version: 1.0.1', 'version: 1.1.0'));
    const sync = await run(aperture, 'sync');
    expect(sync.code).toBe(2);
    expect(sync.err).toContain('breaking change detected: removed "training-runs/*" from value.read, still used by fungal (cdk/stack.py)');
  });
});
