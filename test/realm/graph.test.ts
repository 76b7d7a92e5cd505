/** Graph output (text tree and Mermaid, golden files), check --mode compatibility, context sources, comment-preserving rewrites. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { realmContextSources } from '../../src/realm/realm/index.ts';
import { write } from './helpers.ts';
import { readyRealm } from './setup.ts';
import { readGolden } from '../golden.ts';


function golden(name: string, actual: string): void {
  expect(actual).toBe(readGolden(`realm/${name}`, actual));
}

describe('realm graph', () => {
  it('renders the text tree and the Mermaid flowchart', async () => {
    const { run, fungal } = await readyRealm();
    golden('graph.txt', (await run(fungal, 'graph')).out);
    golden('graph.mmd', (await run(fungal, 'graph', '--mermaid')).out);
  });
});

describe('check --mode compatibility', () => {
  it('prints the field report from the recorded schemas and fails a mismatched bump', async () => {
    const { run, aperture, realm } = await readyRealm();
    const schema = JSON.parse(fs.readFileSync(path.join(aperture, 'schema.json'), 'utf8'));
    schema.properties.delete = { type: 'array', items: { type: 'string' }, default: [] };
    write(aperture, 'schema2.json', JSON.stringify(schema));
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--schema', 'schema2.json')).code).toBe(0);
    const r = await run(aperture, 'check', '--mode', 'compatibility', '--from', '1.0.0', '--to', '1.1.0');
    expect(r.code).toBe(0);
    expect(r.out).toContain('+ delete: added (optional, default=[]) - COMPATIBLE\nResult: COMPATIBLE (minor version bump OK)');
    // Hand-edit history so 1.1.0 claims a breaking change under a minor bump: contract mode fails.
    const file = path.join(realm, 'domains/s3-access/contracts/s3-permissions.yaml');
    const doc = parseDocument(fs.readFileSync(file, 'utf8'));
    doc.deleteIn(['evolution', 1, 'schema', 'properties', 'read']);
    doc.setIn(['evolution', 1, 'schema', 'required'], []);
    fs.writeFileSync(file, doc.toString());
    const c = await run(aperture, 'check', '--mode', 'contract', '--json');
    expect(c.code).toBe(1);
    expect(JSON.parse(c.out).errors.map((e: { message: string }) => e.message)).toContain(
      'contract "s3-permissions" 1.0.0 → 1.1.0 is a breaking change with a minor bump',
    );
  });
});

describe('realm files', () => {
  it('keeps comments and key order when rewriting a contract', async () => {
    const { run, aperture, realm } = await readyRealm();
    const file = path.join(realm, 'domains/s3-access/contracts/s3-permissions.yaml');
    fs.writeFileSync(file, `# owned by the aperture team\n${fs.readFileSync(file, 'utf8').replace('owner: aperture', 'owner: aperture # do not change')}`);
    write(aperture, 'value.yaml', 'read: ["training-runs/*"]\n');
    expect((await run(aperture, 'contract', 'bump', 's3-permissions', '--value', 'value.yaml')).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('# owned by the aperture team\nname: s3-permissions\nversion: 1.0.1\nowner: aperture # do not change\n')).toBe(true);
  });

  it('lists the contracts involving a repo as dialogue sources', async () => {
    const { fungal, top } = await readyRealm();
    const sources = realmContextSources(fungal);
    expect(sources.map((s) => s.path)).toEqual(['../realm-letemcook/domains/s3-access/contracts/s3-permissions.yaml']);
    expect(sources[0]!.content).toContain('owner: aperture');
    expect(realmContextSources(top)).toEqual([]);
  });
});
