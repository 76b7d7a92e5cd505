/**
 * A full disk mid-round, through the CLI against a loopback Messages API: every answered call
 * is already in the database, the command prints one E_IO line and exits 74, and a resume once
 * there is space again rewrites the missing files from the database and pays for nothing twice.
 * ENOSPC is injected through a failing `fs.writeFileSync`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { tempDir, testContext } from '../orchestrator/helpers.ts';
import { POOL, type Server, startServer } from './messages-server.ts';

const KEY = 'sk-test-not-a-real-key-0123456789';
const EXPERTS = ['muffin', 'cupcake', 'scone', 'eclair', 'donut', 'brioche'];
const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Makes every write fail with ENOSPC from the first write whose path matches `from` until `free()`. */
function fillDiskAt(from: RegExp): { free: () => void; failed: () => number } {
  const real = fs.writeFileSync.bind(fs);
  let full = false;
  let failed = 0;
  const spy = vi.spyOn(fs, 'writeFileSync').mockImplementation((file, ...rest) => {
    if (from.test(String(file))) full = true;
    if (full) {
      failed++;
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28 });
    }
    return real(file, ...rest);
  });
  return { free: () => spy.mockRestore(), failed: () => failed };
}

function responses(cwd: string, id: string): number {
  const db = openDatabase(cwd);
  try {
    const store = new DialogueStore(db);
    return [0, 1].flatMap((r) => store.responses(id, r)).filter((r) => r.status === 'ok').length;
  } finally {
    db.close();
  }
}

async function workspace(): Promise<{ cwd: string; server: Server; env: Record<string, string> }> {
  const server = await startServer({ delayMs: 5 });
  servers.push(server);
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, 'pools'));
  fs.writeFileSync(path.join(cwd, 'pools', 'api.yaml'), JSON.stringify({ domain: POOL.domain, experts: POOL.experts }));
  return { cwd, server, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL } };
}

const START = ['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--no-judge', '--quiet'];

function status(cwd: string, id: string): string | undefined {
  const db = openDatabase(cwd);
  try {
    return new DialogueStore(db).getDialogue(id)?.status;
  } finally {
    db.close();
  }
}

describe('disk full mid-round', () => {
  it('one E_IO line, exit 74, every answer stored; resume rewrites the files and pays nothing twice', async () => {
    const { cwd, server, env } = await workspace();
    const disk = fillDiskAt(/round-0[/\\]scone\.prompt\.md/);
    const ctx = testContext(cwd, env);
    expect(await main(START, ctx)).toBe(74);
    expect(disk.failed()).toBeGreaterThan(0);
    const lines = ctx.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error\[E_IO\] \S+scone\.prompt\.md: could not write the file: ENOSPC: no space left on device; expected free disk space$/);
    const id = /FAILED: (\S+)/.exec(ctx.out())![1]!;
    const paidBefore = server.seen.length;
    expect(paidBefore).toBeGreaterThan(0);
    // Every call the server answered is stored: nothing paid is lost.
    expect(responses(cwd, id)).toBe(paidBefore);

    disk.free();
    const resume = testContext(cwd, env);
    expect(await main(['dialogue', 'resume', id, '--quiet'], resume), resume.err()).toBe(0);
    const keys = server.seen.map((s) => `${s.round}/${s.expert}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(server.seen).toHaveLength(12);
    const round0 = path.join(cwd, 'dialogues', fs.readdirSync(path.join(cwd, 'dialogues'))[0]!, 'round-0');
    for (const e of EXPERTS) {
      expect(fs.readFileSync(path.join(round0, `${e}.md`), 'utf8')).toContain('[PERSPECTIVE P01:');
      expect(fs.existsSync(path.join(round0, `${e}.prompt.md`))).toBe(true);
    }
    expect(fs.readdirSync(round0).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('disk full while writing the verdict: the ending is not stored, exit 74; resume writes it without a call', async () => {
    const { cwd, server, env } = await workspace();
    const disk = fillDiskAt(/verdict\.md/);
    const ctx = testContext(cwd, env);
    expect(await main(START, ctx)).toBe(74);
    expect(ctx.err()).toMatch(/^error\[E_IO\] \S+verdict\.md: could not write the file: ENOSPC: no space left on device; expected free disk space\n$/);
    const id = /FAILED: (\S+) after 2 rounds/.exec(ctx.out())![1]!;
    expect(status(cwd, id)).toBe('failed');
    expect(server.seen).toHaveLength(12);
    disk.free();
    const resume = testContext(cwd, env);
    expect(await main(['dialogue', 'resume', id, '--quiet'], resume), resume.err()).toBe(0);
    expect(resume.out()).toMatch(/CONVERGED: \S+ after 2 rounds/);
    expect(server.seen).toHaveLength(12);
    expect(status(cwd, id)).toBe('converged');
    expect(fs.readFileSync(path.join(cwd, 'dialogues', fs.readdirSync(path.join(cwd, 'dialogues'))[0]!, 'verdict.md'), 'utf8')).toMatch(/converged/i);
  });

  it('disk full while seating the next panel: resume writes round-1/panel.yaml from the store and asks nobody twice', async () => {
    const { cwd, server, env } = await workspace();
    const disk = fillDiskAt(/round-1[/\\]panel\.yaml/);
    const ctx = testContext(cwd, env);
    expect(await main(START, ctx)).toBe(74);
    expect(ctx.err()).toMatch(/^error\[E_IO\] \S+round-1[/\\]panel\.yaml: could not write the file/);
    const id = /FAILED: (\S+) after 1 round\b/.exec(ctx.out())![1]!;
    expect(server.seen).toHaveLength(6);
    disk.free();
    const panel = path.join(cwd, 'dialogues', id, 'round-1', 'panel.yaml');
    expect(fs.existsSync(panel)).toBe(false);
    const resume = testContext(cwd, env);
    expect(await main(['dialogue', 'resume', id, '--quiet'], resume), resume.err()).toBe(0);
    expect(fs.readFileSync(panel, 'utf8')).toContain('round: 1');
    expect(server.seen.map((s) => `${s.round}/${s.expert}`).sort()).toEqual([0, 1].flatMap((r) => EXPERTS.map((e) => `${r}/${e}`)).sort());
  });
});
