/** `realm sync` against a local bare remote, conflicts in plain words, notifications shown once. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';


describe('realm sync', () => {
  it('with a remote: pushes only the sync branch, never main, and reuses the unmerged branch', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    git(realm, 'remote', 'add', 'origin', bare);
    git(realm, 'push', '-q', 'origin', 'main'); // the realm's creator publishes it
    const remoteMain = git(bare, 'rev-parse', 'main');
    const localMain = git(realm, 'rev-parse', 'main');
    const r = await run(aperture, 'sync');
    expect(r.code).toBe(0);
    const branch = /on (sync\/aperture\/\d{8}T\d{6}Z)/.exec(r.out)?.[1];
    expect(branch).toBeDefined();
    expect(r.out).toContain(`Pushed ${branch} to origin`);
    expect(git(bare, 'branch', '--list', '--format=%(refname:short)').split('\n').filter(Boolean).sort()).toEqual([branch, 'main'].sort());
    // main moved neither here nor there: unreviewed work is not the realm's state.
    expect(git(bare, 'rev-parse', 'main')).toBe(remoteMain);
    expect(git(realm, 'rev-parse', 'main')).toBe(localMain);
    expect(git(realm, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    // Only aperture's files went into aperture's branch.
    expect(git(realm, 'show', '--name-only', '--format=', branch!)).not.toContain('bindings/fungal.yaml');
    expect((await run(fungal, 'sync')).out).toMatch(/Committed \d file\(s\) on sync\/fungal\//);
    // Nothing new: the open branch is reported and pushed again, not duplicated.
    expect((await run(aperture, 'sync')).out).toContain(`No new changes; ${branch} is not merged yet\nLeft uncommitted`);
    write(aperture, 'v2.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    const again = await run(aperture, 'sync');
    expect(again.out).toContain(`Committed 1 file(s) on ${branch}`);
    expect(git(bare, 'rev-parse', branch!)).toBe(git(realm, 'rev-parse', branch!));
    expect(git(realm, 'branch', '--list', 'sync/aperture/*').trim().split('\n')).toHaveLength(1);
  });

  it('two clones with a conflict: both changes end on branches, a rejected push is retried, nothing is stuck', async () => {
    const { run, realm, top, aperture, fungal } = await readyRealm();
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    git(realm, 'remote', 'add', 'origin', bare);
    git(realm, 'push', '-q', 'origin', 'main');
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect((await run(fungal, 'sync')).code).toBe(0);
    const review = path.join(top, 'review');
    const mergeAll = () => {
      git(review, 'fetch', '-q', 'origin');
      for (const b of git(review, 'branch', '-r', '--format=%(refname:short)').split('\n').filter((x) => x.startsWith('origin/sync/'))) {
        git(review, 'merge', '-q', '--no-edit', b);
      }
      git(review, 'push', '-q', 'origin', 'main');
    };
    git(top, 'clone', '-q', '-b', 'main', bare, review);
    git(review, 'config', 'user.email', 'r@example.com');
    git(review, 'config', 'user.name', 'R');
    mergeAll();
    // Clone 1 catches up with the merged main; fungal moves to a second clone of the realm.
    expect((await run(aperture, 'sync')).out).toContain('Nothing to sync for aperture (up to date with origin)');
    expect(git(realm, 'rev-parse', 'main')).toBe(git(bare, 'rev-parse', 'main'));
    const realm2 = path.join(top, 'realm2');
    git(top, 'clone', '-q', '-b', 'main', bare, realm2);
    const config = path.join(fungal, '.blue/config.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('../realm-letemcook', '../realm2'));
    // Both members edit the domain's description, each in its own clone.
    const domain = 'domains/s3-access/domain.yaml';
    const edit = (root: string, text: string) => fs.writeFileSync(path.join(root, domain), fs.readFileSync(path.join(root, domain), 'utf8').replace(/^description:.*$/m, `description: ${text}`));
    edit(realm2, 'fungal view');
    expect((await run(fungal, 'sync')).out).toContain('Pushed sync/fungal/');
    mergeAll();
    edit(realm, 'aperture view');
    // The remote refuses the first push (a hook); the commit must survive on its branch.
    fs.writeFileSync(path.join(bare, 'hooks/pre-receive'), '#!/bin/sh\necho "busy" >&2\nexit 1\n', { mode: 0o755 });
    const refused = await run(aperture, 'sync');
    expect(refused.code).toBe(1);
    const branch = /on (sync\/aperture\/\S+)/.exec(refused.out)?.[1];
    expect(branch).toBeDefined();
    expect(refused.out).toContain(`${branch} conflicts with origin/main in ${domain}: your change stays on the branch`);
    expect(refused.out).toContain(`Push of ${branch} to origin was refused`);
    expect(git(realm, 'show', `${branch}:${domain}`)).toContain('description: aperture view');
    fs.rmSync(path.join(bare, 'hooks/pre-receive'));
    const retried = await run(aperture, 'sync');
    expect(retried.out).toContain(`No new changes; ${branch} is not merged yet`);
    expect(retried.out).toContain(`Pushed ${branch} to origin`);
    // Both changes are on branches of the remote; main holds only the merged one.
    expect(git(bare, 'show', `${branch}:${domain}`)).toContain('description: aperture view');
    expect(git(bare, 'show', `main:${domain}`)).toContain('description: fungal view');
    expect(git(realm, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    expect(git(realm, 'show', `main:${domain}`)).not.toContain('aperture view');
  });

  it('notifies importers through the realm, once: status shows them and marks them seen; --json only reads', async () => {
    const { run, aperture, fungal } = await readyRealm();
    expect((await run(aperture, 'sync')).out).toContain('new: s3-access/s3-permissions 1.0.0; imported by fungal');
    expect((await run(fungal, 'sync')).code).toBe(0);
    write(aperture, 'v2.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    // The bump wrote nothing into fungal's checkout.
    expect(fs.existsSync(path.join(fungal, '.blue/blue.db'))).toBe(false);
    expect((await run(aperture, 'sync')).out).toContain('changed: s3-access/s3-permissions 1.0.0 → 1.0.1; imported by fungal');
    const peek = JSON.parse((await run(fungal, 'status', '--json')).out).notifications as { kind: string; to_version: string }[];
    expect(peek.map((n) => [n.kind, n.to_version])).toEqual([['changed', '1.0.1']]);
    expect(fs.existsSync(path.join(fungal, '.blue/blue.db'))).toBe(false);
    expect(JSON.parse((await run(fungal, 'status', '--json')).out).notifications).toHaveLength(1);
    expect((await run(fungal, 'status')).out).toContain('changed: s3-access/s3-permissions 1.0.0 → 1.0.1 (by aperture)');
    expect((await run(fungal, 'status')).out).toContain('notifications: none');
    expect(JSON.parse((await run(fungal, 'status', '--json')).out).notifications).toEqual([]);
  });
});
