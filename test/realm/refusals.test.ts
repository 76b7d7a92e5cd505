/** Bad input is refused in one line, exit 2, with nothing written or committed. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, initRepo, tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

function snapshot(dir: string): string {
  return git(dir, 'status', '--porcelain', '--untracked-files=all') + git(dir, 'rev-parse', 'HEAD');
}

describe('realm refusals', () => {
  it('refuses a domain that closes a cycle and prints it with the three suggestions', async () => {
    const { run, aperture, realm } = await readyRealm();
    const before = snapshot(realm);
    const r = await run(aperture, 'domain', 'create', 'feedback-loop', '--repos', 'fungal,aperture');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error[E_REALM] adding domain "feedback-loop" creates a cycle: aperture → (s3-access) → fungal → (feedback-loop) → aperture; ' +
        'expected no cycle; consider: merge the related domains into one coordination context; reverse a dependency direction; use a hub-and-spoke pattern\n',
    );
    expect(fs.existsSync(path.join(realm, 'domains/feedback-loop'))).toBe(false);
    expect(snapshot(realm)).toBe(before);
  });

  it('refuses an import that closes a cycle', async () => {
    const { run, aperture, fungal } = await readyRealm();
    write(fungal, 'schema.json', '{"type":"object"}');
    expect((await run(fungal, 'domain', 'create', 'feedback', '--repos', 'fungal,aperture')).code).toBe(2);
    // A domain declared aperture-first, but fungal owns a contract aperture imports.
    expect((await run(fungal, 'domain', 'create', 'metrics', '--repos', 'aperture,fungal')).code).toBe(0);
    expect((await run(fungal, 'contract', 'create', 'results', '--domain', 'metrics', '--owner', 'fungal', '--schema', 'schema.json')).code).toBe(0);
    const r = await run(aperture, 'binding', 'import', 'results', '--version', '>=1.0.0');
    expect(r.code).toBe(2);
    expect(r.err).toContain('importing "results" into "aperture" creates a cycle: ');
    expect(r.err).toMatch(/fungal → \(metrics\) → aperture → \(s3-access\) → fungal|aperture → \(s3-access\) → fungal → \(metrics\) → aperture/);
  });

  it('refuses a bump or a create by a non-owner repo', async () => {
    const { run, fungal, realm } = await readyRealm();
    write(fungal, 'value.yaml', 'read: ["x"]\n');
    const before = snapshot(realm);
    const r = await run(fungal, 'contract', 'bump', 's3-permissions', '--value', 'value.yaml');
    expect(r).toMatchObject({ code: 2, err: 'error[E_REALM] only the owner repo "aperture" may bump contract "s3-permissions" (this repo is "fungal")\n' });
    write(fungal, 's.json', '{"type":"object"}');
    const c = await run(fungal, 'contract', 'create', 'other', '--domain', 's3-access', '--owner', 'aperture', '--schema', 's.json');
    expect(c.err).toContain('only the owner repo "aperture" may create contract "other"');
    expect(snapshot(realm)).toBe(before);
  });

  it('refuses a bump whose semver level does not match the schema change', async () => {
    const { run, aperture } = await readyRealm();
    write(aperture, 'schema2.json', JSON.stringify({ type: 'object', properties: { read: { type: 'string' } } }));
    write(aperture, 'v2.yaml', 'read: "x"\n');
    const r = await run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json', '--value', 'v2.yaml', '--version', '1.1.0');
    expect(r.code).toBe(2);
    expect(r.err).toContain('breaking change needs a major bump, got minor (1.0.0 → 1.1.0)');
    const ok = await run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json', '--value', 'v2.yaml');
    expect(ok.out).toContain('Result: BREAKING (major version bump OK)');
    expect(ok.out).toContain('1.0.0 → 2.0.0');
  });

  it('refuses a value that fails its schema', async () => {
    const { run, aperture } = await readyRealm();
    write(aperture, 'bad.yaml', 'read: [1]\n');
    const r = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'bad.yaml');
    expect(r).toMatchObject({ code: 2 });
    expect(r.err).toContain('value fails its schema: value.read[0] must be string');
  });

  it('reports malformed YAML with the file and line, and unknown fields', async () => {
    const { run, fungal, realm } = await readyRealm();
    const file = path.join(realm, 'domains/s3-access/contracts/s3-permissions.yaml');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace('owner: aperture', 'owner: [aperture'));
    const r = await run(fungal, 'check');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error\[E_REALM\] domains\/s3-access\/contracts\/s3-permissions.yaml:[34]:\d+: malformed YAML: Flow sequence/);
    fs.writeFileSync(file, good.replace('owner: aperture', 'owner: aperture\nowners: [x]'));
    const u = await run(fungal, 'check');
    expect(u.err).toBe('error[E_REALM] domains/s3-access/contracts/s3-permissions.yaml:4:1 owners: unknown field "owners"\n');
  });

  it('refuses to join from a repo whose config.yaml is not a mapping, writing nothing', async () => {
    const { run, top, realm } = await readyRealm();
    const other = initRepo(path.join(top, 'other'));
    write(other, '.blue/config.yaml', '- not\n- settings\n');
    const r = await run(other, 'join', '../realm-letemcook');
    expect(r.code).toBe(2);
    expect(r.err).toBe('error[E_CONFIG] .blue/config.yaml: not a mapping of settings; refusing to rewrite it; expected key: value settings\n');
    expect(fs.readFileSync(path.join(other, '.blue/config.yaml'), 'utf8')).toBe('- not\n- settings\n');
    expect(fs.existsSync(path.join(realm, 'repos/other.yaml'))).toBe(false);
  });

  it('refuses a bump whose value differs only in key order', async () => {
    const { run, aperture } = await readyRealm();
    write(aperture, 'v2.yaml', 'read: [a]\nwrite: [b]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    write(aperture, 'v3.yaml', 'write: [b]\nread: [a]\n');
    const r = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v3.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('nothing changed in contract "s3-permissions"');
  });

  it('refuses invalid ranges and a realm path that is not a git repo', async () => {
    const { run, fungal } = await readyRealm();
    const r = await run(fungal, 'binding', 'import', 's3-permissions', '--version', '>=one');
    expect(r.err).toBe('error[E_REALM] --version: invalid semver range ">=one"; expected comparators such as ">=1.0.0 <2.0.0" or ">=1.0.0, <2.0.0"\n');
    const out = await run(fungal, 'binding', 'import', 's3-permissions', '--version', '>=2.0.0');
    expect(out.err).toContain('contract "s3-permissions" is at 1.0.0, outside ">=2.0.0"');
    const plain = tempDir();
    const j = await cli()(plain, 'join', tempDir());
    expect(j.code).toBe(2);
    expect(j.err).toMatch(/is not a git repository/);
  });
});
