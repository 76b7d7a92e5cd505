/** Provenance: a contract change counts only when it came from its owner's sync branch. */
import { describe, expect, it } from 'vitest';
import { git, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

describe('realm provenance', () => {
  it('refuses a contract commit with the owner trailer that is on no sync branch of the owner; a merged, deleted sync branch counts', async () => {
    const { run, realm, aperture } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    write(aperture, 'v2.yaml', 'read: ["jobs/*/masks/*", "jobs/*/logs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    // Anyone can type the trailer: committed straight on main, it names aperture but no sync branch holds it.
    git(realm, 'add', CONTRACT);
    git(realm, 'commit', '-qm', 'aperture: sync 1 file\n\nBlue-Repo: aperture');
    const sha = git(realm, 'rev-parse', '--short=7', 'HEAD').trim();
    const r = await run(aperture, 'check', '--mode', 'contract');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`error: ${CONTRACT}: contract "s3-permissions" was changed in commit ${sha} by "aperture", which is on no sync/aperture/ branch (a trailer alone proves nothing)`);
    // The same change made on a sync branch and merged (branch deleted afterwards, as after a pull request) passes.
    git(realm, 'reset', '-q', '--hard', 'HEAD~1');
    git(realm, 'checkout', '-q', '-b', 'sync/aperture/20260124T120000Z');
    write(realm, CONTRACT, git(realm, 'show', `${sha}:${CONTRACT}`));
    git(realm, 'commit', '-qam', 'aperture: sync 1 file\n\nBlue-Repo: aperture');
    git(realm, 'checkout', '-q', 'main');
    git(realm, 'merge', '-q', '--no-ff', '-m', "Merge branch 'sync/aperture/20260124T120000Z'", 'sync/aperture/20260124T120000Z');
    git(realm, 'branch', '-q', '-D', 'sync/aperture/20260124T120000Z');
    const ok = await run(aperture, 'check', '--mode', 'contract');
    expect(ok.out).toBe('0 error(s), 0 warning(s)\n');
    expect(ok.code).toBe(0);
  });
});
