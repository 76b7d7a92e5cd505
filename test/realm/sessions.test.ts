/** Issue 13 item 3: sessions.db, live change hints in `realm status --watch`, stale sessions removed. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { counterIds } from '../../src/core/index.ts';
import { openSessions, type Session } from '../../src/realm/realm/index.ts';
import { runCli } from '../support.ts';
import { tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = path.join(REPO, 'test/realm/watch-worker.ts');
const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** Resolves with the child's stdout so far once it matches `re` (generous timeout: tsx compiles on first start). */
function waitFor(child: ChildProcess, out: () => string, re: RegExp, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; got:\n${out()}`)), ms);
    const check = (): void => {
      if (!re.test(out())) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve(out());
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`worker exited; got:\n${out()}`)));
    check();
  });
}

describe('realm sessions', () => {
  it('shows a watch session to another repo, streams a contract change to it, and cleans it after SIGKILL', async () => {
    const { aperture, fungal } = await readyRealm();
    const runtime = tempDir();
    const env = { XDG_RUNTIME_DIR: runtime };
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, fungal, runtime], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    await waitFor(child, () => out, /watching realm letemcook \(this repo: fungal/, 100_000);

    const status = async (): Promise<Session[]> => {
      const r = await runCli(['realm', 'status', '--json'], aperture, { env, clock: '2026-01-24T10:00:05Z' });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { sessions: Session[] }).sessions;
    };
    const seen = await status();
    expect(seen.map((s) => [s.repo, s.kind, s.pid])).toEqual([['fungal', 'watch', child.pid]]);
    const text = await runCli(['realm', 'status'], aperture, { env, clock: '2026-01-24T10:00:05Z' });
    expect(text.stdout).toMatch(/sessions:\n {2}fungal watch \(pid \d+ on /);

    write(aperture, 'value2.yaml', 'read: ["jobs/*/masks/*", "jobs/*/previews/*"]\n');
    const bump = await runCli(['realm', 'contract', 'bump', 's3-permissions', '--value', 'value2.yaml'], aperture, { env, clock: '2026-01-24T10:00:06Z' });
    expect(bump.code, bump.stderr).toBe(0);
    const streamed = await waitFor(child, () => out, /aperture: bumped s3-access\/s3-permissions 1\.0\.0 → \d/);
    expect(streamed).toContain('2026-01-24T10:00:06.000Z aperture: bumped s3-access/s3-permissions 1.0.0 →');
    // fungal imports it: its watch also sees the import left behind, from the realm files.
    const noted = await waitFor(child, () => out, /notification: changed: s3-access\/s3-permissions 1\.0\.0 → \d/);
    expect(noted.match(/notification: /g)).toHaveLength(1);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await status()).toEqual([]);
  }, 180_000);

  it('removes a session whose heartbeat is older than the limit, and gives each session its own id', () => {
    const dir = tempDir();
    let now = Date.parse('2026-01-24T10:00:00Z');
    const clock = { now: () => new Date(now) };
    const deps = { clock, ids: counterIds(), pid: 4242, host: 'h1', isAlive: () => true };
    const a = openSessions(dir, deps)!;
    const b = openSessions(dir, { ...deps, ids: counterIds(), pid: 4343, host: 'h2' })!;
    const s1 = a.register({ realm: 'r', repo: 'x', kind: 'sync', touches: ['d/c'] });
    const s2 = b.register({ realm: 'r', repo: 'y', kind: 'dialogue' });
    expect(s1.id).not.toBe(s2.id);
    expect(a.active('r').map((s) => s.id)).toEqual([s1.id, s2.id]);
    expect(a.active('other')).toEqual([]);
    now += 10_000;
    a.heartbeat(s1.id);
    now += 10_000; // s2 last beat 20 s ago
    expect(a.prune()).toEqual([s2.id]);
    expect(a.active('r').map((s) => s.touches)).toEqual([['d/c']]);
    a.close();
    b.close();
  });

  it('never fails a command when sessions.db cannot be opened', async () => {
    const { aperture } = await readyRealm();
    const blocked = path.join(tempDir(), 'file');
    write(path.dirname(blocked), 'file', 'not a directory');
    const r = await runCli(['realm', 'status', '--json'], aperture, { env: { XDG_RUNTIME_DIR: blocked } });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { sessions: unknown[] }).sessions).toEqual([]);
  });
});
