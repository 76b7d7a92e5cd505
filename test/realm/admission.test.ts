/** `governance.admission: approval`: a join is a request until an approver admits it. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, git, initRepo, tempDir } from './helpers.ts';

const PENDING =
  'error[E_REALM] repos/fungal.yaml: the join of "fungal" to realm "letemcook" is pending: it is not a member until an approver (aperture) accepts it; ' +
  'expected `blue realm admit fungal` run in aperture\n';

describe('realm admission', () => {
  it('under admission: approval, join is a request: check/sync refuse with who can accept, until the approver admits it', async () => {
    const run = cli();
    const top = tempDir();
    const aperture = initRepo(path.join(top, 'aperture'));
    const fungal = initRepo(path.join(top, 'fungal'));
    const realm = path.join(top, 'realm');
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    expect((await run(top, 'init', '--name', 'letemcook', '--path', 'realm')).code).toBe(0);
    const realmFile = path.join(realm, 'realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('approvers: []', 'approvers: [ aperture ]'));
    git(realm, 'commit', '-qam', 'aperture approves joins');
    git(realm, 'remote', 'add', 'origin', bare);
    git(realm, 'push', '-q', 'origin', 'main');

    expect((await run(aperture, 'join', '../realm')).out).toBe('Joined ../realm as aperture\n');
    const asked = await run(fungal, 'join', '../realm');
    expect(asked.code).toBe(0);
    expect(asked.out).toBe('Asked to join ../realm as fungal; the join is pending until an approver (aperture) runs `blue realm admit fungal`\n');
    // Not a member yet: every command refuses with one line naming who can accept.
    const check = await run(fungal, 'check');
    expect(check.code).toBe(2);
    expect(check.err).toBe(PENDING);
    expect((await run(aperture, 'domain', 'create', 's3-access', '--repos', 'aperture,fungal')).err).toContain('the join of "fungal" to realm "letemcook" is pending');
    expect((await run(fungal, 'admit', 'fungal')).err).toBe(PENDING);
    // Sync publishes the request (its repo file only) so the approver can see it, and says the join is pending.
    const synced = await run(fungal, 'sync');
    expect(synced.code).toBe(0);
    const branch = /on (sync\/fungal\/\S+)/.exec(synced.out)![1]!;
    expect(git(bare, 'show', '--name-only', '--format=', branch).trim()).toBe('repos/fungal.yaml');
    expect(synced.out).toContain('The join of fungal is pending: this sync published only its request; an approver (aperture) accepts it with `blue realm admit fungal`');

    const admitted = await run(aperture, 'admit', 'fungal');
    expect(admitted.code).toBe(0);
    expect(admitted.out).toBe('aperture admitted fungal to realm letemcook; `blue realm sync` publishes it\n');
    expect(parse(fs.readFileSync(path.join(realm, 'repos/aperture.yaml'), 'utf8')).admitted).toEqual(['fungal']);
    expect((await run(aperture, 'admit', 'fungal')).err).toContain('repo "fungal" is already a member of realm "letemcook"');
    expect((await run(aperture, 'domain', 'create', 's3-access', '--repos', 'aperture,fungal')).code).toBe(0);
    expect((await run(fungal, 'check', '--mode', 'importer')).code).toBe(0);
    // The admission travels in the approver's own repo file, which only aperture's sync publishes.
    const published = await run(aperture, 'sync');
    expect(git(realm, 'show', '--name-only', '--format=', /on (sync\/aperture\/\S+)/.exec(published.out)![1]!)).toContain('repos/aperture.yaml');
  });

  it('with no approvers listed joining is open; listed approvers apply to earlier members too; a non-approver cannot admit', async () => {
    const run = cli();
    const top = tempDir();
    const [a, b, c] = ['aperture', 'fungal', 'ops'].map((n) => initRepo(path.join(top, n)));
    expect((await run(top, 'init', '--name', 'letemcook', '--path', 'realm')).code).toBe(0);
    expect((await run(b!, 'join', '../realm')).out).toBe('Joined ../realm as fungal\n'); // approvers: [] → open
    const realmFile = path.join(top, 'realm/realm.yaml');
    fs.writeFileSync(realmFile, fs.readFileSync(realmFile, 'utf8').replace('approvers: []', 'approvers: [ aperture ]'));
    expect((await run(a!, 'join', '../realm')).code).toBe(0);
    expect((await run(c!, 'join', '../realm')).out).toContain('pending until an approver (aperture)');
    // Listing approvers applies to members that joined while it was open too: an approver admits them.
    expect((await run(b!, 'check')).err).toContain('the join of "fungal" to realm "letemcook" is pending');
    expect((await run(a!, 'admit', 'fungal')).code).toBe(0);
    const denied = await run(b!, 'admit', 'ops');
    expect(denied.code).toBe(2);
    expect(denied.err).toBe('error[E_REALM] realm.yaml governance.approvers: repo "fungal" may not admit repos to realm "letemcook"; expected one of aperture\n');
  });
});
