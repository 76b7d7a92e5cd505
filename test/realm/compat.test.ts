/** The compatibility rules and report of seed 003 Round 8, and semver range parsing. */
import { describe, expect, it } from 'vitest';
import { bumpMatches, compareSchemas, formatDiff, inRange, parseRange, parseVersion } from '../../src/realm/realm/index.ts';

const arr = { type: 'array', items: { type: 'string' } };
const v12 = { type: 'object', required: ['read'], properties: { read: arr, write: { ...arr, default: [] } } };

describe('compatibility diff (seed 003 Round 8)', () => {
  it('reproduces the 1.2.0 → 1.3.0 report: optional field with default is COMPATIBLE', async () => {
    const v13 = { ...v12, properties: { ...v12.properties, delete: { ...arr, default: [] } } };
    const diff = await compareSchemas(v12, v13);
    expect(formatDiff('s3-permissions', '1.2.0', '1.3.0', diff, 'minor')).toBe(
      [
        'Checking s3-permissions 1.2.0 → 1.3.0',
        '✓ read: unchanged',
        '✓ write: unchanged',
        '+ delete: added (optional, default=[]) - COMPATIBLE',
        'Result: COMPATIBLE (minor version bump OK)',
        '',
      ].join('\n'),
    );
  });

  // Default flags {backwards: true, forwards: false}: a non-major bump must keep every new value valid under the old schema.
  it.each([
    ['removed required field', { type: 'object', properties: { write: v12.properties.write } }, 'breaking', '✗ read: removed (was required); new schema accepts objects without "read"'],
    ['type change', { ...v12, properties: { ...v12.properties, read: { type: 'string' } } }, 'breaking', '✗ read: type changed array<string> → string; new schema accepts string values - BREAKING'],
    ['new required field without default (old values lack it: forwards only)', { ...v12, required: ['read', 'owner'], properties: { ...v12.properties, owner: { type: 'string' } } }, 'compatible', '+ owner: added (required) - COMPATIBLE'],
    ['new required field with default', { ...v12, required: ['read', 'owner'], properties: { ...v12.properties, owner: { type: 'string', default: 'x' } } }, 'compatible', '+ owner: added (required, default="x") - COMPATIBLE'],
    ['new optional field', { ...v12, properties: { ...v12.properties, tags: arr } }, 'compatible', '+ tags: added (optional) - COMPATIBLE'],
    ['removed optional field (new values may hold anything there)', { ...v12, properties: { read: arr } }, 'breaking', '✗ write: removed (was optional); new schema accepts values that are not array - BREAKING'],
    ['required → optional', { ...v12, required: [] }, 'breaking', '✗ read: no longer required; new schema accepts objects without "read" - BREAKING'],
    ['unchanged', v12, 'unchanged', '✓ read: unchanged'],
  ])('%s', async (_name, after, verdict, line) => {
    const diff = await compareSchemas(v12, after);
    expect(diff.verdict).toBe(verdict);
    expect(formatDiff('c', '1.0.0', '2.0.0', diff, 'major')).toContain(line);
  });

  it('enforces the forwards flag when the contract sets it', async () => {
    const after = { ...v12, required: ['read', 'owner'], properties: { ...v12.properties, owner: { type: 'string' } } };
    const diff = await compareSchemas(v12, after, { backwards: true, forwards: true });
    expect(diff.verdict).toBe('breaking');
    const text = formatDiff('c', '1.2.0', '1.3.0', diff, 'minor');
    expect(text).toContain('✗ owner: added (required); new schema rejects objects without "owner"; new schema rejects values that are not string - BREAKING');
    expect(text).toMatch(/counterexample: .* is valid under the old schema, not under the new \(forwards\)/);
    expect(text).toContain('Result: BREAKING (major version bump required, got minor)');
  });

  it('refuses a bump whose level does not match the verdict', async () => {
    expect(bumpMatches('breaking', 'minor')).toBe(false);
    expect(bumpMatches('breaking', 'major')).toBe(true);
    expect(bumpMatches('compatible', 'patch')).toBe(false);
    expect(bumpMatches('unchanged', 'patch')).toBe(true);
    const diff = await compareSchemas(v12, { type: 'object', properties: {} });
    expect(formatDiff('c', '1.2.0', '1.3.0', diff, 'minor')).toContain('Result: BREAKING (major version bump required, got minor)');
  });
});

describe('semver ranges', () => {
  it('accepts space- and comma-separated ranges with the same meaning', () => {
    expect(parseRange('>=1.0.0, <2.0.0')).toBe('>=1.0.0 <2.0.0');
    for (const r of ['>=1.0.0 <2.0.0', '>=1.0.0, <2.0.0', '>=1.0.0,<2.0.0']) {
      expect(inRange('1.0.0', r)).toBe(true);
      expect(inRange('1.5.0', r)).toBe(true);
      expect(inRange('2.0.0', r)).toBe(false);
      expect(inRange('0.9.0', r)).toBe(false);
    }
  });
  it('treats a bare version as a caret range (Rust semver)', () => {
    expect(inRange('1.9.0', '1.2.3')).toBe(true);
    expect(inRange('2.0.0', '1.2.3')).toBe(false);
  });
  it('rejects invalid versions and ranges in one line', () => {
    expect(() => parseRange('>=banana')).toThrow('invalid semver range ">=banana"');
    expect(() => parseVersion('1.0')).toThrow('invalid semver version "1.0"');
    expect(() => parseVersion('v1.0.0')).toThrow('invalid semver version');
  });
});
