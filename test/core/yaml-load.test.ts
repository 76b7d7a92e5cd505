/** The one YAML + zod loader (core/yaml-load.ts) and the owner of `.blue/config.yaml` (core/config-file.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_FILE, loadConfigSection, parseYamlWith, writeConfigKey } from '../../src/core/index.ts';
import { thrownUserError as thrown } from '../support.ts';

const schema = z.strictObject({
  name: z.string(),
  experts: z.array(z.strictObject({ role: z.string(), tier: z.enum(['Core', 'Adjacent']) })),
});

describe('parseYamlWith', () => {
  const load = (text: string) => parseYamlWith(text, schema, { code: 'E_POOL', display: 'p.yaml' });

  it('returns the validated data and the document', () => {
    const r = load('name: x\nexperts:\n  - { role: a, tier: Core }\n');
    expect(r.data).toEqual({ name: 'x', experts: [{ role: 'a', tier: 'Core' }] });
    expect(r.doc.get('name')).toBe('x');
  });

  it('places a rejected value at the value, with the field path', () => {
    const err = thrown(() => load('name: x\nexperts:\n  - role: a\n    tier: Legendary\n'));
    expect(err.code).toBe('E_POOL');
    expect(err.where).toEqual({ file: 'p.yaml', line: 4, column: 11, field: 'experts[0].tier' });
  });

  it('places an unknown key at the key and names it', () => {
    const err = thrown(() => load('name: x\nexperts: []\nbogus: 1\n'));
    expect(err.message).toBe('unknown field "bogus"');
    expect(err.where).toEqual({ file: 'p.yaml', line: 3, column: 1, field: 'bogus' });
  });

  it('places a missing field at the first key of its mapping', () => {
    const err = thrown(() => load('experts:\n  - role: a\n    tier: Core\n'));
    expect(err.where).toEqual({ file: 'p.yaml', line: 1, column: 1, field: 'name' });
  });

  it('locates a syntax error with the caller label', () => {
    const err = thrown(() => parseYamlWith('name: [\n', schema, { code: 'E_REALM', display: 'r.yaml', label: 'malformed YAML' }));
    expect(err.code).toBe('E_REALM');
    expect(err.message).toMatch(/^malformed YAML: /);
    expect(err.where?.line).toBe(2);
  });

  it('validates a sub-tree with `at`, reporting the full path, and lets the caller word the message', () => {
    const err = thrown(() =>
      parseYamlWith('other: 1\nrealm:\n  name: 7\n', z.strictObject({ name: z.string() }), {
        code: 'E_CONFIG',
        display: 'c.yaml',
        at: ['realm'],
        describe: ({ value }) => ({ message: `got ${String(value)}`, expected: 'a name' }),
      }),
    );
    expect(err.message).toBe('got 7');
    expect(err.expected).toBe('a name');
    expect(err.where).toEqual({ file: 'c.yaml', line: 3, column: 9, field: 'realm.name' });
  });
});

describe('.blue/config.yaml', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });
  const workspace = (config?: string) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-config-'));
    roots.push(root);
    if (config !== undefined) {
      fs.mkdirSync(path.join(root, '.blue'));
      fs.writeFileSync(path.join(root, CONFIG_FILE), config);
    }
    return root;
  };
  const section = z.strictObject({ name: z.string() }).optional();

  it('is absent → undefined; a key is read through its schema', () => {
    expect(loadConfigSection(workspace(), section, { at: ['realm'] })).toBeUndefined();
    expect(loadConfigSection(workspace('realm:\n  name: r\n'), section, { at: ['realm'], emptyIsObject: false })?.data).toEqual({ name: 'r' });
  });

  it('names .blue/config.yaml in a located error', () => {
    const err = thrown(() => loadConfigSection(workspace('realm:\n  name: 3\n'), section, { at: ['realm'] }));
    expect(err.code).toBe('E_CONFIG');
    expect(err.where).toMatchObject({ file: '.blue/config.yaml', line: 2, field: 'realm.name' });
  });

  it('writes one key and keeps the other keys and the comments', () => {
    const root = workspace('# settings\npanelSize: 4 # four\nrealm:\n  name: old\n');
    writeConfigKey(root, 'realm', { name: 'new' });
    expect(fs.readFileSync(path.join(root, CONFIG_FILE), 'utf8')).toBe('# settings\npanelSize: 4 # four\nrealm:\n  name: new\n');
    const fresh = workspace();
    writeConfigKey(fresh, 'realm', { name: 'r' });
    expect(fs.readFileSync(path.join(fresh, CONFIG_FILE), 'utf8')).toBe('realm:\n  name: r\n');
  });

  it('refuses to rewrite a file that is not a mapping, leaving it untouched', () => {
    const root = workspace('- a\n- b\n');
    expect(thrown(() => writeConfigKey(root, 'realm', { name: 'r' })).message).toBe('not a mapping of settings; refusing to rewrite it');
    expect(fs.readFileSync(path.join(root, CONFIG_FILE), 'utf8')).toBe('- a\n- b\n');
  });
});
