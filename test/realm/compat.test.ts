/** The compatibility rules and report of seed 003 Round 8, and semver range parsing. */
import { describe, expect, it } from 'vitest';
import { bumpMatches, diffSchemas, formatDiff, inRange, parseRange, parseVersion } from '../../src/realm/realm/index.ts';

const arr = { type: 'array', items: { type: 'string' } };
const v12 = { type: 'object', required: ['read'], properties: { read: arr, write: { ...arr, default: [] } } };

describe('compatibility diff (seed 003 Round 8)', () => {
  it('reproduces the 1.2.0 → 1.3.0 report: optional field with default is COMPATIBLE', () => {
    const v13 = { ...v12, properties: { ...v12.properties, delete: { ...arr, default: [] } } };
    const diff = diffSchemas(v12, v13);
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

  it.each([
    ['removed required field', { type: 'object', properties: { write: v12.properties.write } }, 'breaking', '✗ read: removed (was required) - BREAKING'],
    ['type change', { ...v12, properties: { ...v12.properties, read: { type: 'string' } } }, 'breaking', '✗ read: type changed array<string> → string - BREAKING'],
    ['new required field without default', { ...v12, required: ['read', 'owner'], properties: { ...v12.properties, owner: { type: 'string' } } }, 'breaking', '✗ owner: added (required, no default) - BREAKING'],
    ['new required field with default', { ...v12, required: ['read', 'owner'], properties: { ...v12.properties, owner: { type: 'string', default: 'x' } } }, 'compatible', '+ owner: added (required, default="x") - COMPATIBLE'],
    ['new optional field', { ...v12, properties: { ...v12.properties, tags: arr } }, 'compatible', '+ tags: added (optional) - COMPATIBLE'],
    ['removed optional field', { ...v12, properties: { read: arr } }, 'compatible', '- write: removed (was optional) - COMPATIBLE'],
    ['unchanged', v12, 'unchanged', '✓ read: unchanged'],
  ])('%s', (_name, after, verdict, line) => {
    const diff = diffSchemas(v12, after);
    expect(diff.verdict).toBe(verdict);
    expect(formatDiff('c', '1.0.0', '2.0.0', diff, 'major')).toContain(line);
  });

  it('refuses a bump whose level does not match the verdict', () => {
    expect(bumpMatches('breaking', 'minor')).toBe(false);
    expect(bumpMatches('breaking', 'major')).toBe(true);
    expect(bumpMatches('compatible', 'patch')).toBe(false);
    expect(bumpMatches('unchanged', 'patch')).toBe(true);
    const diff = diffSchemas(v12, { type: 'object', properties: {} });
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
