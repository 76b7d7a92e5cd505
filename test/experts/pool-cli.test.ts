import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support.ts';

function run(argv: string[], cwd = tempDir(), seed = 1) {
  return runCli(argv, cwd, { clock: '2026-02-06T18:39:00Z', seed });
}

function workspaceWith(file: string, text: string): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'pools'));
  fs.writeFileSync(path.join(root, 'pools', file), text);
  return root;
}

const SMALL = 'domain: Small\nexperts:\n  - {role: A, tier: Core, relevance: 0.9}\n  - {role: B, tier: Adjacent, relevance: 0.7}\n  - {role: C, tier: Adjacent, relevance: 0.6}\n';

describe('blue pool list', () => {
  it('lists the shipped pools as JSON and as a table', async () => {
    const json = await run(['pool', 'list', '--json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { name: string; source: string }[];
    expect(rows.map((r) => r.name)).toEqual(['data-ml', 'general', 'infrastructure', 'product', 'security']);
    expect(rows.every((r) => r.source === 'builtin')).toBe(true);
    const text = await run(['pool', 'list']);
    expect(text.stdout.split('\n')[0]).toMatch(/^Name\s+Source\s+Experts\s+Domain$/);
    expect(text.stdout).toContain('security        builtin');
  });

  it('shows workspace pools', async () => {
    const root = workspaceWith('small.yaml', SMALL);
    const rows = JSON.parse((await run(['pool', 'list', '--json'], root)).stdout) as { name: string; source: string }[];
    expect(rows.find((r) => r.name === 'small')).toEqual({ name: 'small', source: 'workspace', domain: 'Small', experts: 3 });
  });
});

describe('blue pool show', () => {
  it('prints the experts with tier, relevance and focus', async () => {
    const res = await run(['pool', 'show', 'security']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^security: Application and Platform Security\n/);
    expect(res.stdout).toMatch(/Application Security Engineer \(Secure Design Review\)\s+Core\s+0\.95\s+Threat models/);
    const json = JSON.parse((await run(['pool', 'show', 'security', '--json'])).stdout) as { experts: unknown[] };
    expect(json.experts).toHaveLength(14);
  });

  it('fails with exit 2 and one line for an unknown pool', async () => {
    const res = await run(['pool', 'show', 'nope']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error\[E_POOL\] pool "nope" not found; expected a pool name \(.*general.*\)/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('blue pool validate', () => {
  it('passes a shipped pool with no warnings', async () => {
    const res = await run(['pool', 'validate', 'general']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toBe('ok: pool general is valid (14 experts, no warnings)\n');
  });

  it('prints warnings but exits 0', async () => {
    const root = workspaceWith('small.yaml', SMALL);
    const res = await run(['pool', 'validate', 'small'], root);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('warning[no-wildcard]');
    expect(res.stdout).toContain('warning[no-contrarian]');
    expect(res.stdout).toContain('warning[few-core]');
    expect(res.stdout).toMatch(/ok: pool small is valid \(3 experts, 3 warnings\)\n$/);
  });

  it('exits 1 (a failed check) with the file position for an invalid pool', async () => {
    const root = workspaceWith('bad.yaml', SMALL.replace('tier: Adjacent, relevance: 0.7', 'tier: core-ish, relevance: 0.7'));
    const res = await run(['pool', 'validate', 'pools/bad.yaml'], root);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `error[E_POOL] ${path.join('pools', 'bad.yaml')}:4:21 experts[1].tier: got "core-ish"; expected one of Core, Adjacent, Wildcard\n`,
    );
  });
});

describe('blue pool sample', () => {
  it('is reproducible with --seed', async () => {
    const a = await run(['pool', 'sample', 'infrastructure', '--size', '6', '--seed', '42', '--json'], undefined, 1);
    const b = await run(['pool', 'sample', 'infrastructure', '--size', '6', '--seed', '42', '--json'], undefined, 2);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const panel = JSON.parse(a.stdout) as { name: string; tier: string }[];
    expect(panel.map((m) => m.name)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Brioche']);
    expect(panel.map((m) => m.tier)).toEqual(['Core', 'Core', 'Adjacent', 'Adjacent', 'Adjacent', 'Wildcard']);
  });

  it('uses the context rng without --seed', async () => {
    const a = await run(['pool', 'sample', 'general', '--size', '4', '--json'], undefined, 5);
    const b = await run(['pool', 'sample', 'general', '--size', '4', '--json'], undefined, 5);
    expect(a.stdout).toBe(b.stdout);
    const seeds = await Promise.all([6, 7, 8, 9, 10].map((s) => run(['pool', 'sample', 'general', '--size', '4', '--json'], undefined, s)));
    expect(new Set([a.stdout, ...seeds.map((r) => r.stdout)]).size).toBeGreaterThan(1);
  });

  it('rejects a bad size with exit 2', async () => {
    expect((await run(['pool', 'sample', 'general', '--size', 'lots'])).stderr).toMatch(/^error\[E_USAGE\] --size: --size must be a whole number/);
    const zero = await run(['pool', 'sample', 'general', '--size', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/^error\[E_USAGE\] panel size must be a whole number of at least 1/);
    const huge = await run(['pool', 'sample', 'general', '--seed', '99999999999999999999']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/^error\[E_USAGE\] --seed: --seed must be a whole number/);
  });

  it('prints a table by default', async () => {
    const res = await run(['pool', 'sample', 'product', '--seed', '3']);
    expect(res.stdout.split('\n')[0]).toMatch(/^Name\s+Role\s+Tier\s+Relevance$/);
    expect(res.stdout.trim().split('\n')).toHaveLength(2 + 8);
  });
});
