/** Issue 13 item 6: several realms per repo, the user's index, leave, and a realm pinned at a ref. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixedClock } from '../../src/core/index.ts';
import { runCli } from '../support.ts';
import { S3_SCHEMA, git, initRepo, tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const clock = fixedClock('2026-01-24T12:00:00Z');

describe('realm membership', () => {
  it('joins a second realm, needs --realm when ambiguous, lists the index, and leaves it', async () => {
    const { top, aperture } = await readyRealm();
    const home = tempDir();
    const env = { BLUE_HOME: home };
    const run = (cwd: string, ...argv: string[]) => runCli(['realm', ...argv], cwd, { clock, env });
    expect((await run(top, 'init', '--name', 'second', '--path', 'realm-second')).code).toBe(0);
    const joined = await run(aperture, 'join', '../realm-second');
    expect(joined.code, joined.stderr).toBe(0);
    const config = parse(fs.readFileSync(path.join(aperture, '.blue', 'config.yaml'), 'utf8')) as { realm: { name: string }[] };
    expect(config.realm.map((m) => m.name)).toEqual(['letemcook', 'second']);

    const ambiguous = await run(aperture, 'graph');
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr.trim().split('\n')).toHaveLength(1);
    expect(ambiguous.stderr).toContain('letemcook, second');
    expect(ambiguous.stderr).toContain('--realm NAME');
    const graph = await run(aperture, 'graph', '--realm', 'letemcook');
    expect(graph.code, graph.stderr).toBe(0);
    expect(graph.stdout).toContain('s3-access');

    const index = parse(fs.readFileSync(path.join(home, 'index.yaml'), 'utf8')) as { realms: { name: string; repos: string[] }[] };
    expect(index.realms.map((r) => r.name)).toEqual(['second']);
    expect(index.realms[0]!.repos).toEqual([fs.realpathSync(aperture)]);

    const left = await run(aperture, 'leave', 'second');
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout).toContain('Left realm second');
    expect(left.stdout).toContain('repos/aperture.yaml');
    const after = parse(fs.readFileSync(path.join(aperture, '.blue', 'config.yaml'), 'utf8')) as { realm: { name: string } };
    expect(after.realm.name).toBe('letemcook'); // back to the single form
    expect(parse(fs.readFileSync(path.join(home, 'index.yaml'), 'utf8'))).toEqual({ realms: [] });
    expect((await run(aperture, 'graph')).code).toBe(0);
    const again = await run(aperture, 'leave', 'second');
    expect(again.stderr).toContain('has not joined realm "second"');
    const unknown = await run(aperture, 'graph', '--realm', 'nope');
    expect(unknown.stderr).toContain('this repo has not joined realm "nope"');
    expect(unknown.stderr).toContain('one of letemcook');
  });

  it('applies ~/.blue/trust.yaml to the chosen realm, and to every joined realm when none is chosen', async () => {
    const { top, aperture } = await readyRealm();
    const home = tempDir();
    const env = { BLUE_HOME: path.join(home, '.blue'), HOME: home };
    const run = (cwd: string, ...argv: string[]) => runCli(['realm', ...argv], cwd, { clock, env });
    expect((await run(top, 'init', '--name', 'second', '--path', 'realm-second')).code).toBe(0);
    expect((await run(aperture, 'join', '../realm-second')).code).toBe(0);
    write(home, '.blue/trust.yaml', 'realms:\n  second: blocked\n');
    const trusted = await run(aperture, 'graph', '--realm', 'letemcook');
    expect(trusted.code, trusted.stderr).toBe(0);
    const chosen = await run(aperture, 'graph', '--realm', 'second');
    expect(chosen.stderr).toContain('realm "second" is blocked in ~/.blue/trust.yaml');
    // Unchosen: the blocked realm is not skipped because the choice is ambiguous.
    const unchosen = await run(aperture, 'graph');
    expect(unchosen.code).not.toBe(0);
    expect(unchosen.stderr).toContain('realm "second" is blocked');
  });

  it('reads the old single-form membership', async () => {
    const top = tempDir();
    const repo = initRepo(path.join(top, 'solo'));
    const run = (cwd: string, ...argv: string[]) => runCli(['realm', ...argv], cwd, { clock });
    await run(top, 'init', '--name', 'one', '--path', 'realm-one');
    write(repo, '.blue/config.yaml', '# mine\npool: x\nrealm:\n  name: one\n  path: ../realm-one\n  repo: solo\n');
    await run(repo, 'join', '../realm-one');
    const r = await run(repo, 'list');
    expect(r.stdout).toContain('one (as solo, ../realm-one)');
    expect(fs.readFileSync(path.join(repo, '.blue', 'config.yaml'), 'utf8')).toContain('# mine');
  });

  it('joins with a warning when the index cannot be written', async () => {
    const top = tempDir();
    const repo = initRepo(path.join(top, 'solo'));
    write(top, 'not-a-dir', 'x');
    const env = { BLUE_HOME: path.join(top, 'not-a-dir') };
    await runCli(['realm', 'init', '--name', 'one', '--path', 'realm-one'], top, { clock });
    const r = await runCli(['realm', 'join', '../realm-one'], repo, { clock, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: realm index not updated: /);
    expect(fs.readFileSync(path.join(repo, '.blue', 'config.yaml'), 'utf8')).toContain('name: one');
  });

  it('locates a malformed entry of the membership list', async () => {
    const repo = initRepo(path.join(tempDir(), 'solo'));
    write(repo, '.blue/config.yaml', 'realm:\n  - name: one\n    path: ../r\n    repo: solo\n  - name: two\n    path: ../s\n');
    const r = await runCli(['realm', 'graph', '--realm', 'one'], repo, { clock });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('.blue/config.yaml');
    expect(r.stderr).toContain('realm.1.repo');
  });

  it('checks a realm pinned at a tag as it was there', async () => {
    const top = tempDir();
    const run = (cwd: string, ...argv: string[]) => runCli(['realm', ...argv], cwd, { clock });
    const a = initRepo(path.join(top, 'a'));
    const realm = path.join(top, 'realm-p');
    write(a, 'schema.json', JSON.stringify(S3_SCHEMA));
    write(a, 'value.yaml', 'read: ["jobs/*"]\n');
    await run(top, 'init', '--name', 'p', '--path', 'realm-p');
    await run(a, 'join', '../realm-p');
    await run(a, 'domain', 'create', 'd', '--repos', 'a');
    await run(a, 'contract', 'create', 'c', '--domain', 'd', '--owner', 'a', '--schema', 'schema.json', '--value', 'value.yaml');
    expect((await run(a, 'sync')).code).toBe(0);
    git(realm, 'tag', 'v1');
    // After the tag, the contract's value breaks its schema (committed, so the live realm fails).
    const file = path.join(realm, 'domains/d/contracts/c.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('jobs/*', 'BAD VALUE'));
    git(realm, 'commit', '-qam', 'break');
    const live = await run(a, 'check', '--mode', 'contract');
    expect(live.stdout).toContain('fails its schema');

    const bad = await run(a, 'join', '../realm-p', '--ref', 'no-such-tag');
    expect(bad.stderr).toContain('realm ref "no-such-tag" names no commit');
    expect((await run(a, 'join', '../realm-p', '--ref', 'v1')).code).toBe(0);
    const pinned = await run(a, 'check', '--mode', 'contract');
    expect(pinned.stdout).not.toContain('fails its schema');
    expect(pinned.stdout).toContain('0 error(s)');
    // Unpinned again by a join without --ref: the live realm's finding is back.
    expect((await run(a, 'join', '../realm-p')).code).toBe(0);
    expect((await run(a, 'check', '--mode', 'contract')).stdout).toContain('fails its schema');
  });
});
