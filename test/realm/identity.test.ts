/**
 * Identity you cannot claim: a repo is its root commit (and origin URL), not the name in its
 * `.blue/config.yaml`. Spoofed joins and hand-edited memberships are refused; sync never
 * commits another repo's contract; check --mode contract verifies who changed each contract.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, git, initRepo, tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

/** A repo with one commit (so it has a root commit). */
function committedRepo(dir: string, text: string): string {
  initRepo(dir);
  write(dir, 'README', text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'first');
  return dir;
}

const rootOf = (dir: string) => git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();

describe('realm identity', () => {
  it('records the root commit and origin URL, and refuses a spoofed join --repo aperture', async () => {
    const run = cli();
    const top = tempDir();
    const aperture = committedRepo(path.join(top, 'aperture'), 'aperture\n');
    const fungal = committedRepo(path.join(top, 'fungal'), 'fungal\n');
    git(aperture, 'remote', 'add', 'origin', 'git@example.com:org/aperture.git');
    expect((await run(top, 'init', '--name', 'letemcook', '--path', 'realm')).code).toBe(0);
    expect((await run(aperture, 'join', '../realm')).code).toBe(0);
    expect((await run(fungal, 'join', '../realm')).code).toBe(0);
    const repoFile = path.join(top, 'realm/repos/aperture.yaml');
    const registered = fs.readFileSync(repoFile, 'utf8');
    expect(parse(registered)).toMatchObject({ name: 'aperture', root_commit: rootOf(aperture), url: 'git@example.com:org/aperture.git' });

    const spoof = await run(fungal, 'join', '../realm', '--repo', 'aperture');
    expect(spoof.code).toBe(2);
    expect(spoof.err).toBe(
      `error[E_REALM] repos/aperture.yaml: repo "aperture" is already registered in realm "letemcook" by another repo: ` +
        `its root commit is ${rootOf(aperture).slice(0, 7)}, this checkout's is ${rootOf(fungal).slice(0, 7)}; expected a name of its own (--repo NAME)\n`,
    );
    expect(fs.readFileSync(repoFile, 'utf8')).toBe(registered);
    expect(parse(fs.readFileSync(path.join(fungal, '.blue/config.yaml'), 'utf8')).realm.repo).toBe('fungal');
    // Re-joining from the real aperture is fine.
    expect((await run(aperture, 'join', '../realm')).code).toBe(0);
  });

  it('refuses every command from a checkout whose config claims another repo', async () => {
    const { run, realm, fungal } = await readyRealm();
    const config = path.join(fungal, '.blue/config.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('repo: fungal', 'repo: aperture'));
    const before = fs.readFileSync(path.join(realm, CONTRACT), 'utf8');
    write(fungal, 'v.yaml', 'read: ["anything/*"]\n');
    const r = await run(fungal, 'contract', 'bump', 's3-permissions', '--value', 'v.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('this checkout is not repo "aperture" of realm "letemcook": it was joined from ../aperture, this checkout is ../fungal');
    expect(fs.readFileSync(path.join(realm, CONTRACT), 'utf8')).toBe(before);
    // Before its first commit a repo is known by its checkout path: the spoofed join is refused too.
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('repo: aperture', 'repo: fungal'));
    expect((await run(fungal, 'join', '../realm-letemcook', '--repo', 'aperture')).err).toContain(
      'repo "aperture" is already registered in realm "letemcook" by another repo: it was joined from ../aperture, this checkout is ../fungal',
    );
  });

  it('sync never commits another repo\'s contract, even with a hand-edited owner', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect((await run(fungal, 'sync')).code).toBe(0);
    const file = path.join(realm, CONTRACT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('owner: aperture', 'owner: fungal').replace(/^version: 1\.0\.0$/m, 'version: 3.0.0'));
    const head = git(realm, 'rev-parse', 'HEAD');
    const f = await run(fungal, 'sync');
    expect(f.code).toBe(0);
    expect(f.out).toBe(`Nothing to sync for fungal\nLeft uncommitted (not fungal's): ${CONTRACT}\n`);
    const a = await run(aperture, 'sync');
    expect(a.code).toBe(2);
    expect(a.err).toContain('sync refused, nothing was committed: owner changed from "aperture" to "fungal"; sync does not transfer ownership');
    expect(git(realm, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('check --mode contract names a contract change not made by its owner, and unsigned commits when required', async () => {
    const { run, realm, aperture } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect((await run(aperture, 'check', '--mode', 'contract')).out).toBe('0 error(s), 0 warning(s)\n');
    // A hand commit to the contract, with no Blue-Repo trailer.
    write(aperture, 'v2.yaml', 'read: ["jobs/*/other/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    git(realm, 'add', CONTRACT);
    git(realm, 'commit', '-qm', 'hand edit');
    const sha = git(realm, 'rev-parse', '--short=7', 'HEAD').trim();
    const r = await run(aperture, 'check', '--mode', 'contract');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`error: ${CONTRACT}: contract "s3-permissions" was changed in commit ${sha} without a Blue-Repo trailer, not by its owner "aperture"`);
    const realmFile = path.join(realm, 'realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('require_signed_commits: false', 'require_signed_commits: true'));
    const signed = await run(aperture, 'check', '--mode', 'contract');
    expect(signed.out).toMatch(/was changed in commit [0-9a-f]{7}, which is not signed \(trust\.require_signed_commits\)/);
  });

  it('check --mode contract applies trust.permissions to each sync commit, and rejects unknown groups', async () => {
    const { run, realm, aperture } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    const binding = path.join(realm, 'domains/s3-access/bindings/aperture.yaml');
    fs.appendFileSync(binding, '# touched by fungal\n');
    git(realm, 'commit', '-qam', 'fungal: sync 1 file\n\nBlue-Repo: fungal');
    const sha = git(realm, 'rev-parse', '--short=7', 'HEAD').trim();
    const r = await run(aperture, 'check', '--mode', 'contract');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`error: realm.yaml: commit ${sha} by "fungal" changed domains/s3-access/bindings/aperture.yaml, which trust.permissions reserves for repo_maintainers`);
    const realmFile = path.join(realm, 'realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('[ contract_owner ]', '[ everyone ]').replace('- contract_owner', '- everyone'));
    expect((await run(aperture, 'check', '--mode', 'contract')).out).toContain('trust.permissions "domains/{domain}/contracts/{name}.yaml": unknown group "everyone"');
  });

  it('writes nothing outside the current repo and the realm, whatever repos/<r>.yaml says', async () => {
    const { run, realm, aperture } = await readyRealm();
    const elsewhere = tempDir();
    const repoFile = path.join(realm, 'repos/fungal.yaml');
    fs.writeFileSync(repoFile, fs.readFileSync(repoFile, 'utf8').replace('path: ../fungal', `path: ${path.relative(realm, elsewhere)}`));
    write(aperture, 'v2.yaml', 'read: ["jobs/*/other/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});
