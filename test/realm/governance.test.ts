/**
 * Governance enforced: under `breaking_changes.require_approval` a breaking bump is pending
 * until its importers approve; once published, importers still on the previous major get
 * warnings during the grace period and errors after it. Domain governance.yaml is validated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

describe('realm governance', () => {
  it('a breaking bump under require_approval is pending until approved; importers warn during the grace period', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    expect((await run(fungal, 'sync')).code).toBe(0);
    write(aperture, 'schema2.json', JSON.stringify({ type: 'object', properties: { read: { type: 'string' } } }));
    write(aperture, 'v2.yaml', 'read: "x"\n');
    const bump = await run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json', '--value', 'v2.yaml');
    expect(bump.code).toBe(0);
    expect(bump.out).toContain(
      'Pending s3-access/s3-permissions 2.0.0: a breaking change needs approval from fungal (`blue realm approve s3-permissions 2.0.0`), then `blue realm contract publish s3-permissions`; 1.0.0 stays published',
    );
    const file = () => parse(fs.readFileSync(path.join(realm, CONTRACT), 'utf8'));
    expect(file()).toMatchObject({ version: '1.0.0', pending: { version: '2.0.0', needs: ['fungal'] } });
    // Pending: fungal is asked, and its import is still fine.
    const asked = await run(fungal, 'check', '--mode', 'importer');
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('warning: domains/s3-access/bindings/fungal.yaml:5: breaking version 2.0.0 of "s3-permissions" awaits approval by "fungal"');
    const early = await run(aperture, 'contract', 'publish', 's3-permissions');
    expect(early.code).toBe(2);
    expect(early.err).toContain('s3-permissions 2.0.0 still needs approval from fungal');
    expect((await run(aperture, 'approve', 's3-permissions', '2.0.0')).err).toContain('repo "aperture" is not asked to approve s3-permissions 2.0.0');

    expect(await run(fungal, 'approve', 's3-permissions', '2.0.0')).toMatchObject({ code: 0, out: 'fungal approved s3-permissions 2.0.0; the owner can now publish it\n' });
    const published = await run(aperture, 'contract', 'publish', 's3-permissions');
    expect(published.code).toBe(0);
    expect(published.out).toMatch(/^Published s3-permissions 1\.0\.0 → 2\.0\.0; 1\.0\.0 stays usable until 2026-02-07T10:\d\d:00\.000Z\n$/);
    expect(file()).toMatchObject({ version: '2.0.0', grace: { previous: '1.0.0' } });
    expect(file().pending).toBeUndefined();
    expect((await run(aperture, 'check', '--mode', 'contract')).code).toBe(0);

    // During the grace period fungal (">=1.0.0 <2.0.0") gets a warning, not an error.
    const during = await run(fungal, 'check', '--mode', 'importer');
    expect(during.code).toBe(0);
    expect(during.out).toMatch(/warning: .*binding "fungal" requires ">=1\.0\.0 <2\.0\.0"; contract "s3-permissions" is at 2\.0\.0, and 1\.0\.0 stays usable until 2026-02-07T10:\d\d:00\.000Z \(grace period\)/);
    // After it, an error.
    const later = cli('2026-03-01T00:00:00Z');
    const after = await later(fungal, 'check', '--mode', 'importer');
    expect(after.code).toBe(1);
    expect(after.out).toContain('error: domains/s3-access/bindings/fungal.yaml:6: binding "fungal" requires ">=1.0.0 <2.0.0" but contract "s3-permissions" is at 2.0.0');
    // The synced change carries it all: aperture's contract, fungal's approval.
    expect((await run(fungal, 'sync')).out).toContain('domains/s3-access/bindings/fungal.yaml');
    expect((await run(aperture, 'sync')).out).toContain('breaking: s3-access/s3-permissions 1.0.0 → 2.0.0; imported by fungal');
  });

  it('sync refuses a breaking version published by hand without the approvals', async () => {
    const { run, realm, aperture } = await readyRealm();
    expect((await run(aperture, 'sync')).code).toBe(0);
    const f = path.join(realm, CONTRACT);
    const text = fs.readFileSync(f, 'utf8');
    fs.writeFileSync(f, text.replace(/^version: 1\.0\.0$/m, 'version: 2.0.0').replace(/required:\n\s+- read\n/, 'required: []\n') + '');
    const r = await run(aperture, 'sync');
    expect(r.code).toBe(2);
    expect(r.err).toContain('sync refused, nothing was committed:');
  });

  it('a domain governance.yaml is read and validated with a located error, and can waive approval', async () => {
    const { run, realm, aperture } = await readyRealm();
    const gov = path.join(realm, 'domains/s3-access/governance.yaml');
    fs.writeFileSync(gov, 'ownership:\n  primary: aperture\ndecisions:\n  breaking_changes:\n    require: everyone\n');
    const bad = await run(aperture, 'status');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error\[E_REALM\] domains\/s3-access\/governance\.yaml:5:14 decisions\.breaking_changes\.require: Invalid option: expected one of "all_stakeholders"\|"primary_only"\|"none"\n$/);
    fs.writeFileSync(gov, 'ownership:\n  primary: aperture\ndecisions:\n  breaking_changes:\n    require: none\n');
    write(aperture, 'schema2.json', JSON.stringify({ type: 'object', properties: { read: { type: 'string' } } }));
    write(aperture, 'v2.yaml', 'read: "x"\n');
    const bump = await run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json', '--value', 'v2.yaml');
    expect(bump.out).toContain('Bumped s3-access/s3-permissions 1.0.0 → 2.0.0');
  });
});
