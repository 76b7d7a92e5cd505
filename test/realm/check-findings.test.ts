/**
 * `blue realm check` reports on core's Finding: every finding has a severity matching the list
 * it is in, a rule of CHECK_RULES, and the line of the YAML field it is about; the text lines
 * are those findings rendered by formatCheckFinding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/realm/realm/yaml-io.ts';
import { CHECK_RULES, formatCheckFinding, type CheckFinding } from '../../src/realm/realm/index.ts';
import { locate } from '../../src/realm/realm/check-finding.ts';
import { z } from 'zod';
import { connect } from '../mcp/in-memory.ts';
import { readyRealm } from './setup.ts';

const BINDING = 'domains/s3-access/bindings/fungal.yaml';
const EXPORTS = 'domains/s3-access/bindings/aperture.yaml';

/** 1-based line of the first line of `rel` in `root` matching `re`. */
function lineOf(root: string, rel: string, re: RegExp): number {
  const i = fs.readFileSync(path.join(root, rel), 'utf8').split('\n').findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${re} not in ${rel}`);
  return i + 1;
}

describe('locate', () => {
  const text = 'name: x\nimports:\n  - contract: a\n    version: ">=1"\n  - contract: b\n';
  const { doc, lines } = parseYaml(text, z.unknown(), 'b.yaml');

  it.each([
    [['name'], 1],
    [['imports'], 2],
    [['imports', 0], 3],
    [['imports', 0, 'version'], 4],
    [['imports', 1, 'contract'], 5],
  ] as const)('finds the line of %j', (field, line) => {
    expect(locate({ rel: 'b.yaml', doc, lines }, field)).toEqual({ file: 'b.yaml', line });
  });

  it('gives the file alone for a missing field, no field, or an entry without lines', () => {
    expect(locate({ rel: 'b.yaml', doc, lines }, ['imports', 0, 'binding'])).toEqual({ file: 'b.yaml' });
    expect(locate({ rel: 'b.yaml', doc, lines }, ['imports', 7])).toEqual({ file: 'b.yaml' });
    expect(locate({ rel: 'b.yaml', doc, lines })).toEqual({ file: 'b.yaml' });
    expect(locate({ rel: 'b.yaml', doc }, ['name'])).toEqual({ file: 'b.yaml' });
  });
});

describe('formatCheckFinding', () => {
  it.each([
    [{ severity: 'error', rule: 'dependency-cycle', message: 'dependency cycle: a → b → a' }, 'error: dependency cycle: a → b → a'],
    [{ severity: 'warning', rule: 'stale-import', file: 'f.yaml', message: 'stale' }, 'warning: f.yaml: stale'],
    [{ severity: 'note', rule: 'breaking-override', file: 'c.yaml', line: 12, message: 'override' }, 'note: c.yaml:12: override'],
  ] as [CheckFinding, string][])('%j → %s', (f, line) => {
    expect(formatCheckFinding(f)).toBe(line);
  });
});

describe('realm check findings', () => {
  it('carry severity, rule and the field line; --json and the text print the same findings', async () => {
    const { run, realm } = await readyRealm();
    // Hand edits in the realm repo: an unparseable range, an export of a missing contract.
    const edit = (rel: string, from: string, to: string) => fs.writeFileSync(path.join(realm, rel), fs.readFileSync(path.join(realm, rel), 'utf8').replace(from, to));
    edit(BINDING, '>=1.0.0 <2.0.0', 'not a range');
    edit(EXPORTS, 'exports:\n', 'exports:\n  - contract: ghost\n    source_files: []\n');
    const json = await run(realm, 'check', '--json');
    const text = await run(realm, 'check');
    const report = JSON.parse(json.out) as { errors: CheckFinding[]; warnings: CheckFinding[]; notes: CheckFinding[] };
    expect(json.code).toBe(1);
    const all = [...report.errors, ...report.warnings, ...report.notes];
    expect(report.errors.every((f) => f.severity === 'error')).toBe(true);
    expect(report.warnings.every((f) => f.severity === 'warning')).toBe(true);
    for (const f of all) expect(CHECK_RULES).toContain(f.rule);
    expect(report.errors).toContainEqual({
      severity: 'error',
      rule: 'invalid-range',
      file: BINDING,
      line: lineOf(realm, BINDING, /version: .*not a range/),
      message: 'binding "fungal" has invalid version range "not a range"',
    });
    expect(report.errors).toContainEqual({
      severity: 'error',
      rule: 'missing-contract',
      file: EXPORTS,
      line: lineOf(realm, EXPORTS, /contract: ghost/),
      message: 'binding "aperture" exports contract "ghost" which doesn\'t exist',
    });
    expect(text.out.split('\n')).toEqual(expect.arrayContaining(all.map(formatCheckFinding)));
    expect(text.out).toContain(`${report.errors.length} error(s), ${report.warnings.length} warning(s)`);
  });

  it('the MCP realm_check tool returns the same findings', async () => {
    const { realm, fungal } = await readyRealm();
    const file = path.join(realm, BINDING);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('>=1.0.0 <2.0.0', 'not a range'));
    const { client } = await connect(fungal);
    const r = (await client.callTool({ name: 'realm_check', arguments: { mode: 'importer' } })) as { structuredContent?: { passed: boolean; errors: CheckFinding[] } };
    await client.close();
    expect(r.structuredContent?.passed).toBe(false);
    expect(r.structuredContent?.errors).toEqual([
      { severity: 'error', rule: 'invalid-range', file: BINDING, line: lineOf(realm, BINDING, /version: .*not a range/), message: 'binding "fungal" has invalid version range "not a range"' },
    ]);
  }, 120_000);
});
