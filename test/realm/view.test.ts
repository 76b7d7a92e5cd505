/**
 * With a remote, check/status/graph read the realm from the fetched origin/main plus this
 * repo's own unmerged sync branch (shown as pending); notifications are born when a change
 * reaches origin/main; --json reads change nothing; `realm ack` acknowledges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3_SCHEMA, git, tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

/** readyRealm behind a bare remote, everything merged, fungal moved to a second clone. */
async function remoteRealm() {
  const r = await readyRealm();
  const bare = tempDir();
  git(bare, 'init', '-q', '--bare');
  git(r.realm, 'remote', 'add', 'origin', bare);
  git(r.realm, 'push', '-q', 'origin', 'main');
  const review = path.join(r.top, 'review');
  git(r.top, 'clone', '-q', '-b', 'main', bare, review);
  git(review, 'config', 'user.email', 'r@example.com');
  git(review, 'config', 'user.name', 'R');
  const mergeAll = () => {
    git(review, 'fetch', '-q', 'origin');
    for (const b of git(review, 'branch', '-r', '--format=%(refname:short)').split('\n').filter((x) => x.startsWith('origin/sync/'))) {
      git(review, 'merge', '-q', '--no-edit', b);
    }
    git(review, 'push', '-q', 'origin', 'main');
  };
  expect((await r.run(r.aperture, 'sync')).code).toBe(0);
  expect((await r.run(r.fungal, 'sync')).code).toBe(0);
  mergeAll();
  expect((await r.run(r.aperture, 'sync')).out).toContain('Nothing to sync for aperture');
  const realm2 = path.join(r.top, 'realm2');
  git(r.top, 'clone', '-q', '-b', 'main', bare, realm2);
  const config = path.join(r.fungal, '.blue/config.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('../realm-letemcook', '../realm2'));
  return { ...r, bare, realm2, mergeAll };
}

const json = async (run: Awaited<ReturnType<typeof remoteRealm>>['run'], cwd: string, ...argv: string[]) => JSON.parse((await run(cwd, ...argv, '--json')).out);

describe('realm view and notifications with a remote', () => {
  it('reads origin/main plus the own pending branch, never a local main moved onto unmerged work or the working tree', async () => {
    const { run, realm, aperture } = await remoteRealm();
    write(aperture, 'v2.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    const branch = /on (sync\/aperture\/\S+)/.exec((await run(aperture, 'sync')).out)![1]!;
    // Local main moved onto the unmerged branch, and an unreviewed hand edit in the working tree.
    git(realm, 'update-ref', 'refs/heads/main', branch);
    const file = path.join(realm, CONTRACT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^version: 1\.0\.1$/m, 'version: 9.9.9'));
    const status = await run(aperture, 'status');
    expect(status.out).toContain('realm letemcook (this repo: aperture; read from origin/main)');
    expect(status.out).toContain(`pending: ${branch} is not merged into origin/main yet (${CONTRACT})`);
    expect(status.out).toContain(`  s3-access/s3-permissions 1.0.0 owner aperture; pending 1.0.1 on ${branch}`);
    const s = await json(run, aperture, 'status');
    expect(s).toMatchObject({ ref: 'origin/main', pending: { branch }, contracts: [{ name: 's3-permissions', version: '1.0.0', pending_version: '1.0.1' }] });
    const check = await run(aperture, 'check', '--mode', 'contract');
    expect(check.out).toBe(`pending: ${branch} is not merged into origin/main yet (${CONTRACT})\n0 error(s), 0 warning(s)\n`);
    const graph = await run(aperture, 'graph');
    expect(graph.out).toContain('s3-permissions 1.0.0');
    expect(graph.out).not.toContain('9.9.9');
    expect((await json(run, aperture, 'graph')).pending.branch).toBe(branch);
  });

  it('creates notifications when the change reaches origin/main; status --json marks nothing; ack does', async () => {
    const { run, realm, aperture, fungal, realm2, mergeAll } = await remoteRealm();
    write(aperture, 'v2.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    expect((await run(aperture, 'sync')).out).toContain('Pushed sync/aperture/');
    // Bumped and pushed, not merged: nothing for fungal yet.
    expect((await json(run, fungal, 'status')).notifications).toEqual([]);
    expect((await run(fungal, 'status')).out).toContain('notifications: none');
    mergeAll();
    const peek = await json(run, fungal, 'status');
    expect(peek.contracts[0]).toMatchObject({ version: '1.0.1', role: 'importer', resolved: '1.0.0' });
    expect(peek.notifications.map((n: { kind: string; from_version: string; to_version: string }) => [n.kind, n.from_version, n.to_version])).toEqual([['changed', '1.0.0', '1.0.1']]);
    const seenBefore = git(realm2, 'for-each-ref', 'refs/blue');
    expect((await json(run, fungal, 'status')).notifications).toHaveLength(1);
    expect(git(realm2, 'for-each-ref', 'refs/blue')).toBe(seenBefore);
    // A second change reaches main; ack records both and marks them seen.
    // aperture bumps again before catching up with the merged main: its new commit builds on the merged one, no conflict.
    write(aperture, 'v3.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*", "jobs/*/out/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml')).code).toBe(0);
    expect((await run(aperture, 'sync')).code).toBe(0);
    mergeAll();
    const acked = await run(fungal, 'ack');
    expect(acked.code).toBe(0);
    expect(acked.out).toContain('Acknowledged 1 notification(s)\n  changed: s3-access/s3-permissions 1.0.0 → 1.0.2 (by aperture)');
    expect(git(realm2, 'rev-parse', 'refs/blue/seen/fungal')).toBe(git(realm2, 'rev-parse', 'origin/main'));
    expect((await json(run, fungal, 'status')).notifications).toEqual([]);
    // A change fungal already resolved by the time it looks is still announced: found from the last-seen main commit.
    write(aperture, 'v4.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*", "jobs/*/out/*", "jobs/*/tmp/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v4.yaml')).out).toContain('1.0.2 → 1.0.3');
    expect((await run(aperture, 'sync')).code).toBe(0);
    mergeAll();
    expect((await run(fungal, 'sync')).code).toBe(0); // realm2 catches up with origin/main (and marks the import outdated)
    expect((await run(fungal, 'binding', 'import', 's3-permissions', '--version', '>=1.0.0 <2.0.0')).out).toContain('(resolved 1.0.3)');
    expect((await run(fungal, 'sync')).code).toBe(0);
    mergeAll();
    const late = await json(run, fungal, 'status');
    expect(late.contracts[0]).toMatchObject({ version: '1.0.3', resolved: '1.0.3' });
    expect(late.notifications.map((n: { kind: string; from_version: string; to_version: string }) => [n.kind, n.from_version, n.to_version])).toEqual([['changed', '1.0.2', '1.0.3']]);
    expect((await run(aperture, 'sync')).out).toContain('Nothing to sync for aperture');
    const realmFile = path.join(realm, 'realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('require_approval: true', 'require_approval: false'));
    write(aperture, 'schema2.json', JSON.stringify({ ...S3_SCHEMA, required: [] }));
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json')).out).toContain('Bumped s3-access/s3-permissions 1.0.3 → 2.0.0');
    expect((await run(aperture, 'sync')).code).toBe(0);
    mergeAll();
    // Unrecorded changes since the last-seen commit collapse into one: the contract went on to 2.0.0.
    expect((await run(fungal, 'status')).out).toMatch(/notifications:\n {2}breaking: s3-access\/s3-permissions 1\.0\.3 → 2\.0\.0 \(by aperture\)\n$/);
  });
});
