import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrownUserError } from '../support.ts';
import {
  BUILTIN_POOLS_DIR,
  listPools,
  loadPool,
  parsePool,
  poolToYaml,
  resolvePool,
  validatePool,
  type Pool,
} from '../../src/experts/index.ts';
import { BLUE_DIALOGUES } from '../fixture-paths.ts';

const fixtures = BLUE_DIALOGUES;
const dialogueDir = path.join(fixtures, fs.readdirSync(fixtures).find((d) => d.startsWith('2026-02-06T1839Z-'))!);

const caught = thrownUserError;

const GOOD = `# test pool
domain: Testing
panel_size: 6
max_rounds: 4
experts:
  - role: A
    tier: core
    relevance: 0.9
  - role: B
    tier: ADJACENT
    relevance: 0.7
    focus: things
  - role: Contrarian
    tier: Wildcard
    relevance: 0.3
`;

describe('parsePool', () => {
  it('canonicalises tiers and ignores unknown top-level keys', () => {
    const pool = parsePool(GOOD, 'pools/t.yaml');
    expect(pool.name).toBe('t');
    expect(pool.domain).toBe('Testing');
    expect(pool.experts.map((e) => e.tier)).toEqual(['Core', 'Adjacent', 'Wildcard']);
    expect(pool.experts[1]!.focus).toBe('things');
    expect(pool).not.toHaveProperty('panel_size');
  });

  it('reports a bad tier with line, column and field', () => {
    const text = GOOD.replace('tier: ADJACENT', 'tier: core-ish');
    const err = caught(() => parsePool(text, 'pools/x.yaml'));
    expect(err.code).toBe('E_POOL');
    expect(err.where).toEqual({ file: 'pools/x.yaml', line: 10, column: 11, field: 'experts[1].tier' });
    expect(err.oneLine()).toBe(
      'error[E_POOL] pools/x.yaml:10:11 experts[1].tier: got "core-ish"; expected one of Core, Adjacent, Wildcard',
    );
  });

  it('reports relevance out of range, missing fields, too few experts and duplicates', () => {
    expect(caught(() => parsePool(GOOD.replace('0.7', '1.5'), 'p.yaml')).oneLine()).toBe(
      'error[E_POOL] p.yaml:11:16 experts[1].relevance: got number 1.5; expected a number from 0 to 1',
    );
    const noDomain = caught(() => parsePool(GOOD.replace('domain: Testing\n', ''), 'p.yaml'));
    expect(noDomain.where?.field).toBe('domain');
    expect(noDomain.message).toBe('missing');
    const two = GOOD.split('  - role: Contrarian')[0]!;
    const few = caught(() => parsePool(two, 'p.yaml'));
    expect(few.message).toBe('got 2 experts');
    expect(few.expected).toBe('a list of at least 3 experts');
    const dup = caught(() => parsePool(GOOD.replace('role: B', 'role: a'), 'p.yaml'));
    expect(dup.message).toContain('duplicate role "a"');
    expect(dup.where).toMatchObject({ field: 'experts[1].role', line: 9 });
  });

  it('reports YAML syntax errors with a position', () => {
    const err = caught(() => parsePool('domain: [x\nexperts: 1\n', 'p.yaml'));
    expect(err.code).toBe('E_POOL');
    expect(err.message).toMatch(/^invalid YAML: /);
    expect(err.where?.line).toBeGreaterThan(0);
  });

  it('rejects a document that is not a mapping', () => {
    expect(caught(() => parsePool('- a\n- b\n', 'p.yaml')).message).toBe('got a list at the top level');
  });
});

describe('loadPool', () => {
  it('loads blue\'s expert-pool.json with lowercase tiers', () => {
    const pool = loadPool(path.join(dialogueDir, 'expert-pool.json'));
    expect(pool.name).toBe('expert-pool');
    expect(pool.experts).toHaveLength(14);
    expect(pool.experts.filter((e) => e.tier === 'Core')).toHaveLength(4);
    expect(pool.experts.filter((e) => e.tier === 'Wildcard')).toHaveLength(4);
    expect(pool.question).toMatch(/^Should RFC 0058 be superseded/);
  });

  it('says "pool file not found" for a missing file', () => {
    const err = caught(() => loadPool('/nonexistent/pool.yaml'));
    expect(err.code).toBe('E_POOL');
    expect(err.message).toBe('pool file not found');
  });

  it('says why an unreadable path cannot be read instead of "not found"', () => {
    const err = caught(() => loadPool(os.tmpdir()));
    expect(err.oneLine()).toMatch(/^error\[E_POOL\] .+: cannot read pool file \(EISDIR\)/);
  });

  it('reports a YAML alias bomb as bad input, not a crash', () => {
    const level = (name: string, ref: string) => `${name}: &${name} [${Array(10).fill(ref).join(', ')}]`;
    const text = [level('a', 'x'), level('b', '*a'), level('c', '*b'), level('d', '*c'), 'domain: x', 'experts: [*d]'].join('\n');
    const err = caught(() => parsePool(text, 'bomb.yaml'));
    expect(err.code).toBe('E_POOL');
    expect(err.message).toMatch(/^invalid YAML: /);
  });
});

describe('shipped pools', () => {
  const files = fs.readdirSync(BUILTIN_POOLS_DIR).filter((f) => f.endsWith('.yaml'));

  it('ships the five pools', () => {
    expect(files.sort()).toEqual(['data-ml.yaml', 'general.yaml', 'infrastructure.yaml', 'product.yaml', 'security.yaml']);
  });

  it.each(files)('%s follows blue\'s pool guidance', (file) => {
    const text = fs.readFileSync(path.join(BUILTIN_POOLS_DIR, file), 'utf8');
    expect(text.startsWith('#')).toBe(true);
    const pool = loadPool(path.join(BUILTIN_POOLS_DIR, file));
    expect(pool.experts.length).toBeGreaterThanOrEqual(12);
    expect(pool.experts.length).toBeLessThanOrEqual(20);
    const share = (t: string) => pool.experts.filter((e) => e.tier === t).length / pool.experts.length;
    expect(share('Core')).toBeGreaterThanOrEqual(0.2);
    expect(share('Core')).toBeLessThanOrEqual(0.4);
    expect(share('Adjacent')).toBeGreaterThanOrEqual(0.3);
    expect(share('Adjacent')).toBeLessThanOrEqual(0.5);
    expect(share('Wildcard')).toBeGreaterThanOrEqual(0.2);
    expect(share('Wildcard')).toBeLessThanOrEqual(0.4);
    for (const e of pool.experts) {
      expect(e.focus, e.role).toBeTruthy();
      const [lo, hi] = { Core: [0.85, 0.95], Adjacent: [0.55, 0.85], Wildcard: [0.25, 0.55] }[e.tier];
      expect(e.relevance, e.role).toBeGreaterThanOrEqual(lo!);
      expect(e.relevance, e.role).toBeLessThanOrEqual(hi!);
    }
    expect(validatePool(pool)).toEqual([]);
  });
});

describe('resolvePool and listPools', () => {
  function workspace(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blue-'));
    fs.mkdirSync(path.join(root, 'pools'));
    fs.writeFileSync(path.join(root, 'pools', 'general.yaml'), GOOD);
    fs.writeFileSync(path.join(root, 'pools', 'mine.yml'), GOOD.replace('Testing', 'Mine'));
    fs.writeFileSync(path.join(root, 'extra.json'), JSON.stringify(JSON.parse(fs.readFileSync(path.join(dialogueDir, 'expert-pool.json'), 'utf8'))));
    return root;
  }

  it('prefers the workspace pool, then the shipped one, and loads files by extension', () => {
    const root = workspace();
    const opts = { root, builtinDir: BUILTIN_POOLS_DIR };
    expect(resolvePool('general', opts).domain).toBe('Testing');
    expect(resolvePool('general', opts).file).toBe(path.join('pools', 'general.yaml'));
    expect(resolvePool('mine', opts).domain).toBe('Mine');
    expect(resolvePool('security', opts).domain).toBe('Application and Platform Security');
    expect(resolvePool('extra.json', opts).experts).toHaveLength(14);
    const err = caught(() => resolvePool('missing', opts));
    expect(err.code).toBe('E_POOL');
    expect(err.expected).toContain('mine');
  });

  it('lists workspace pools over shipped ones, sorted', () => {
    const root = workspace();
    const rows = listPools({ root, builtinDir: BUILTIN_POOLS_DIR });
    expect(rows.map((r) => `${r.name}:${r.source}`)).toEqual([
      'data-ml:builtin',
      'general:workspace',
      'infrastructure:builtin',
      'mine:workspace',
      'product:builtin',
      'security:builtin',
    ]);
    expect(rows.find((r) => r.name === 'general')).toEqual({ name: 'general', source: 'workspace', domain: 'Testing', experts: 3 });
  });

  it('resolves by name every pool it lists, .json included, preferring .yaml in one folder', () => {
    const root = workspace();
    const opts = { root, builtinDir: BUILTIN_POOLS_DIR };
    fs.copyFileSync(path.join(root, 'extra.json'), path.join(root, 'pools', 'blue.json'));
    fs.writeFileSync(path.join(root, 'pools', 'mine.json'), '{}');
    expect(listPools(opts).map((r) => r.name)).toContain('blue');
    expect(resolvePool('blue', opts).experts).toHaveLength(14);
    expect(resolvePool('mine', opts).domain).toBe('Mine');
  });
});

describe('validatePool', () => {
  const base: Pool = parsePool(GOOD, 'p.yaml');

  it('warns about missing wildcard, contrarian, few core and odd relevance', () => {
    const pool: Pool = {
      ...base,
      experts: [
        { role: 'A', tier: 'Core', relevance: 0.4 },
        { role: 'B', tier: 'Adjacent', relevance: 0.7 },
        { role: 'C', tier: 'Adjacent', relevance: 0.6 },
      ],
    };
    const rules = validatePool(pool).map((f) => f.rule);
    expect(rules).toEqual(['no-wildcard', 'no-contrarian', 'few-core', 'relevance-norm']);
    expect(validatePool(pool).every((f) => f.severity === 'warning')).toBe(true);
  });

  it('accepts a skeptic or devil\'s advocate as the contrarian', () => {
    const rules = (role: string) =>
      validatePool({ ...base, experts: base.experts.map((e) => (e.tier === 'Wildcard' ? { ...e, role } : e)) }).map((f) => f.rule);
    expect(rules('Minimalist Skeptic')).not.toContain('no-contrarian');
    expect(rules("Devil's Advocate")).not.toContain('no-contrarian');
    expect(rules('Poet')).toContain('no-contrarian');
  });
});

describe('poolToYaml', () => {
  it('round-trips through parsePool', () => {
    const pool = loadPool(path.join(BUILTIN_POOLS_DIR, 'security.yaml'));
    const again = parsePool(poolToYaml(pool), 'dialogues/x/expert-pool.yaml');
    expect(again.name).toBe('security');
    expect(again.experts).toEqual(pool.experts);
    expect(again.domain).toBe(pool.domain);
  });
});
