/**
 * One process per dialogue, through the CLI against a loopback Messages API: two concurrent
 * `resume`s run it once (every call counted at the server, none paid twice) and the other exits
 * 2 naming the holder; a lease left by a dead process, or with a stale heartbeat, is taken over.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DialogueStore, leaseOf, openDatabase } from '../../src/store/index.ts';
import { tempDir, testContext } from '../orchestrator/helpers.ts';
import { withWorkspaceDb } from '../helpers/workspace-db.ts';
import { POOL, type Seen, type Server, startServer } from './messages-server.ts';

const KEY = 'sk-test-not-a-real-key-0123456789';
/** The test context's fixed clock. */
const NOW = '2026-11-21T10:00:00.000Z';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(delayMs: number, status?: number): Promise<Server> {
  const s = await startServer({ delayMs, ...(status ? { status } : {}) });
  servers.push(s);
  return s;
}

/** A workspace with one dialogue stopped before any answer (a 401 on round 0: provider unavailable): resumable, nothing stored. */
async function failedDialogue(): Promise<{ cwd: string; id: string }> {
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, 'pools'));
  fs.writeFileSync(path.join(cwd, 'pools', 'api.yaml'), JSON.stringify({ domain: POOL.domain, experts: POOL.experts }));
  const down = await server(1, 401);
  const ctx = testContext(cwd, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: down.baseURL });
  const argv = ['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--no-judge', '--quiet'];
  expect(await main(argv, ctx)).toBe(4);
  return { cwd, id: /PROVIDER_UNAVAILABLE: (\S+)/.exec(ctx.out())![1]! };
}

/** Each (round, expert) call the server saw, and how often. */
function paidTwice(seen: Seen[]): string[] {
  const keys = seen.map((s) => `${s.round}/${s.expert}`);
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

function withStore<T>(cwd: string, fn: (store: DialogueStore) => T): T {
  const store = new DialogueStore(openDatabase(cwd));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** The lease row of dialogue `id`, read on a connection of its own. */
const leaseIn = (cwd: string, id: string) => withWorkspaceDb(cwd, (db) => leaseOf(db, id));

function plantLease(cwd: string, id: string, lease: { pid: number; hostname: string; heartbeat_at: string }): void {
  withWorkspaceDb(cwd, (db) =>
    db.prepare('INSERT INTO dialogue_leases (dialogue_id,token,pid,hostname,acquired_at,heartbeat_at) VALUES (?,?,?,?,?,?)').run(id, 'other', lease.pid, lease.hostname, '2026-11-21T09:00:00.000Z', lease.heartbeat_at),
  );
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('one process per dialogue', () => {
  it('two concurrent resumes: exactly one runs, no call paid twice, the other exits 2 naming the holder', async () => {
    const { cwd, id } = await failedDialogue();
    const up = await server(40);
    const env = { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: up.baseURL };
    const a = testContext(cwd, env);
    const b = testContext(cwd, env);
    const codes = await Promise.all([main(['dialogue', 'resume', id, '--quiet'], a), main(['dialogue', 'resume', id, '--quiet'], b)]);
    expect([...codes].sort()).toEqual([0, 2]);
    const loser = codes[0] === 2 ? a : b;
    const lines = loser.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error\\[E_LEASE\\] dialogue ${id} is being run by pid ${process.pid} on .+ since ${NOW}`));
    expect(up.seen.filter((s) => !s.judge)).toHaveLength(12); // 6 experts × 2 rounds, once each
    expect(paidTwice(up.seen)).toEqual([]);
    expect([withStore(cwd, (s) => s.getDialogue(id)!.status), leaseIn(cwd, id)]).toEqual(['converged', undefined]);
  });

  it('a live holder: resume and steer exit 2 with one line and send nothing; the lease stays', async () => {
    const { cwd, id } = await failedDialogue();
    const up = await server(1);
    plantLease(cwd, id, { pid: process.pid, hostname: os.hostname(), heartbeat_at: NOW });
    const resume = testContext(cwd, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: up.baseURL });
    expect(await main(['dialogue', 'resume', id, '--quiet'], resume)).toBe(2);
    expect(resume.err()).toMatch(new RegExp(`^error\\[E_LEASE\\] dialogue ${id} is being run by pid ${process.pid} .* since 2026-11-21T09:00:00.000Z.*\\n$`));
    const steer = testContext(cwd);
    expect(await main(['dialogue', 'steer', id, '--constraint', 'keep v1 alive'], steer)).toBe(2);
    expect(steer.err()).toMatch(/^error\[E_LEASE\]/);
    expect(up.seen).toHaveLength(0);
    expect([withStore(cwd, (s) => s.constraints(id).length), leaseIn(cwd, id)?.token]).toEqual([0, 'other']);
  });

  it.each([
    ['a dead pid on this host', () => ({ pid: deadPid(), hostname: os.hostname(), heartbeat_at: NOW })],
    ['a stale heartbeat on another host', () => ({ pid: process.pid, hostname: 'elsewhere.example', heartbeat_at: '2026-11-21T09:58:00.000Z' })],
  ])('a lease left by %s is taken over and the dialogue runs', async (_name, lease) => {
    const { cwd, id } = await failedDialogue();
    const up = await server(1);
    plantLease(cwd, id, lease());
    const ctx = testContext(cwd, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: up.baseURL });
    expect(await main(['dialogue', 'resume', id, '--quiet'], ctx), ctx.err()).toBe(0);
    expect(up.seen.filter((s) => !s.judge)).toHaveLength(12);
    expect(leaseIn(cwd, id)).toBeUndefined();
  });
});
