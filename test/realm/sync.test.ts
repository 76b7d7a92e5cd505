/** `realm sync` against a local bare remote, conflicts in plain words, notifications shown once. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

describe('realm sync', () => {
  it('commits on sync/<repo>/<timestamp> and pushes to a bare remote', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    git(realm, 'remote', 'add', 'origin', bare);
    const r = await run(aperture, 'sync');
    expect(r.code).toBe(0);
    const branch = /on (sync\/aperture\/\d{8}T\d{6}Z)/.exec(r.out)?.[1];
    expect(branch).toBeDefined();
    expect(r.out).toContain(`Pushed ${branch} to origin`);
    const remoteBranches = git(bare, 'branch', '--list', '--format=%(refname:short)');
    expect(remoteBranches).toContain(branch!);
    expect(remoteBranches).toContain('main');
    // Only aperture's files went into aperture's sync; fungal's binding is still pending.
    expect(git(realm, 'show', '--name-only', '--format=', 'HEAD')).not.toContain('bindings/fungal.yaml');
    expect(git(realm, 'status', '--porcelain')).toContain('bindings/fungal.yaml');
    const f = await run(fungal, 'sync');
    expect(f.out).toMatch(/Committed \d file\(s\) on sync\/fungal\//);
    expect(git(realm, 'status', '--porcelain')).toBe('');
  });

  it('reports a conflict with the remote in plain words and commits nothing', async () => {
    const { run, realm, aperture, top } = await readyRealm();
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    git(realm, 'remote', 'add', 'origin', bare);
    expect((await run(aperture, 'sync')).code).toBe(0);
    // Someone else changes the same contract on the remote.
    const other = path.join(top, 'other');
    git(top, 'clone', '-q', '-b', 'main', bare, other);
    git(other, 'config', 'user.email', 'o@example.com');
    git(other, 'config', 'user.name', 'O');
    const file = path.join(other, CONTRACT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('jobs/*/masks/*', 'jobs/*/other/*'));
    git(other, 'commit', '-qam', 'other change');
    git(other, 'push', '-q', 'origin', 'main');
    // Locally, aperture bumps the same lines.
    write(aperture, 'value.yaml', 'read: ["training-runs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'value.yaml')).code).toBe(0);
    const head = git(realm, 'rev-parse', 'HEAD');
    const r = await run(aperture, 'sync');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error[E_REALM] sync conflict: ${CONTRACT} changed both here and on origin/main; nothing was committed; ` +
        `expected to merge origin/main into your copy of ${CONTRACT} by hand, then run \`blue realm sync\` again\n`,
    );
    expect(git(realm, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(realm, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    expect(git(realm, 'branch', '--list', 'sync/aperture/*').trim().split('\n')).toHaveLength(1);
    expect(fs.readFileSync(path.join(realm, CONTRACT), 'utf8')).toContain('training-runs/*');
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
