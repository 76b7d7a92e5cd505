/** The smaller realm defects of issue 12, one test each. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initRepo, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const CONTRACT = 'domains/s3-access/contracts/s3-permissions.yaml';

describe('realm: smaller defects', () => {
  it('contract bump succeeds, and says nothing false, when an export source file is missing', async () => {
    const { run, realm, aperture } = await readyRealm();
    fs.rmSync(path.join(aperture, 'src.py'));
    write(aperture, 'v2.yaml', 'read: ["jobs/*/other/*"]\n');
    const r = await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(parse(fs.readFileSync(path.join(realm, CONTRACT), 'utf8')).version).toBe('1.0.1');
    expect((await run(aperture, 'check', '--mode', 'exporter')).out).toContain('source file src.py is missing');
  });

  it('an importer resolved below the current version is written as outdated by its own sync, current again after re-import', async () => {
    const { run, realm, aperture, fungal } = await readyRealm();
    write(aperture, 'v2.yaml', 'read: ["jobs/*/other/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'v2.yaml')).code).toBe(0);
    expect((await run(fungal, 'sync')).code).toBe(0);
    const binding = () => parse(fs.readFileSync(path.join(realm, 'domains/s3-access/bindings/fungal.yaml'), 'utf8')).imports[0];
    expect(binding()).toMatchObject({ status: 'outdated', resolved_version: '1.0.0' });
    expect((await run(fungal, 'binding', 'import', 's3-permissions', '--version', '>=1.0.0 <2.0.0')).code).toBe(0);
    expect(binding()).toMatchObject({ status: 'current', resolved_version: '1.0.1' });
  });

  it('Mermaid ids stay distinct for names differing only in ".", "-" or "_"', async () => {
    const { run, top, realm } = await readyRealm();
    for (const name of ['a.b', 'a-b', 'a_b']) {
      const dir = initRepo(path.join(top, name));
      expect((await run(dir, 'join', path.relative(dir, realm))).code).toBe(0);
    }
    const mermaid = (await run(path.join(top, 'a.b'), 'graph', '--mermaid')).out;
    const ids = [...mermaid.matchAll(/^\s+(repo__\S+)\["(a.b)"\]$/gm)].map((m) => m[1]);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('a domain with no imports yet takes its contract owners as providers for cycles', async () => {
    const { run, fungal } = await readyRealm();
    write(fungal, 'schema.json', '{"type":"object"}');
    // Listed aperture first, but fungal owns the contract: the edge is fungal → aperture.
    expect((await run(fungal, 'domain', 'create', 'metrics', '--repos', 'aperture,fungal')).code).toBe(0);
    expect((await run(fungal, 'contract', 'create', 'results', '--domain', 'metrics', '--owner', 'fungal', '--schema', 'schema.json')).code).toBe(0);
    const check = await run(fungal, 'check');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/dependency cycle: (aperture → \(s3-access\) → fungal → \(metrics\) → aperture|fungal → \(metrics\) → aperture → \(s3-access\) → fungal)/);
  });
});
