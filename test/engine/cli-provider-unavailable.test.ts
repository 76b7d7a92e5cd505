/**
 * Provider unavailable is a state, through the CLI against a loopback Messages API: an
 * unreachable host, a spend limit, a 401 on the first call and K failed calls in a row each stop
 * the dialogue at once (counted at the server), store it as `provider_unavailable`, exit 4 with
 * one line naming the cause (never the key), and a resume once the cause is fixed converges
 * without asking any answered expert twice. A round in which nobody answered is not judged,
 * does not rotate the panel and does not count toward max rounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { testContext } from '../orchestrator/helpers.ts';
import { type Failure, poolWorkspace, type Seen, type Server, startServer } from './messages-server.ts';

const KEY = 'sk-test-not-a-real-key-0123456789';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const START = ['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--no-judge', '--quiet'];

async function server(failure?: Failure): Promise<Server> {
  const s = await startServer({ delayMs: 2, ...(failure ? { failure } : {}) });
  servers.push(s);
  return s;
}

function env(baseURL: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: baseURL, ...extra };
}

/** Runs `start`, expects exit 4 and one stderr line matching `line`; returns the dialogue id. */
async function stopsUnavailable(cwd: string, vars: Record<string, string>, line: RegExp, extra: string[] = []): Promise<string> {
  const ctx = testContext(cwd, vars);
  expect(await main([...START, ...extra], ctx), ctx.err()).toBe(4);
  const lines = ctx.err().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(ctx.err() + ctx.out()).not.toContain(KEY);
  expect(ctx.out()).toMatch(/resume: +blue dialogue resume /);
  return /PROVIDER_UNAVAILABLE: (\S+)/.exec(ctx.out())![1]!;
}

function stored(cwd: string, id: string): { status: string | undefined; judged: number; panel0: string[]; panel1: string[] } {
  const db = openDatabase(cwd);
  try {
    const store = new DialogueStore(db);
    const seats = (round: number) => store.panel(id, round).map((p) => p.expert);
    return { status: store.getDialogue(id)?.status, judged: store.rounds(id).filter((r) => r.status === 'judged').length, panel0: seats(0), panel1: seats(1) };
  } finally {
    db.close();
  }
}

/** Resumes; expects it to converge after 2 rounds. */
async function resumesToConvergence(cwd: string, id: string, vars: Record<string, string>): Promise<void> {
  const ctx = testContext(cwd, vars);
  expect(await main(['dialogue', 'resume', id, '--quiet'], ctx), ctx.err()).toBe(0);
  expect(ctx.out()).toMatch(/CONVERGED: \S+ after 2 rounds/);
  expect(stored(cwd, id).status).toBe('converged');
}

/** (round, expert) pairs answered more than once: a paid answer asked again. */
function answeredTwice(seen: Seen[], failedBefore: number): string[] {
  const keys = seen.slice(failedBefore).map((s) => `${s.round}/${s.expert}`);
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

describe('provider unavailable through the CLI', () => {
  it('an unreachable host (ECONNREFUSED after the retries): exit 4, nothing sent; resume against a live host converges', async () => {
    const closed = await startServer({ delayMs: 1 });
    const deadURL = closed.baseURL;
    await closed.close();
    const cwd = poolWorkspace();
    const id = await stopsUnavailable(cwd, env(deadURL, { BLUE_MAX_RETRIES: '1' }), /^error\[E_LLM\] Anthropic is unreachable \(ECONNREFUSED\) after 1 retries; check ANTHROPIC_BASE_URL/);
    expect(stored(cwd, id)).toMatchObject({ status: 'provider_unavailable', judged: 0 });
    const live = await server();
    await resumesToConvergence(cwd, id, env(live.baseURL));
    expect(live.seen).toHaveLength(12);
    expect(answeredTwice(live.seen, 0)).toEqual([]);
  });

  it('a spend limit (429, error_code enforced_spend_limit_reached): 1 request, exit 4; resume once lifted converges', async () => {
    const s = await server({ status: 429, type: 'rate_limit_error', message: 'limit', details: { error_code: 'enforced_spend_limit_reached' } });
    const cwd = poolWorkspace();
    const id = await stopsUnavailable(cwd, env(s.baseURL), /^error\[E_LLM\] Anthropic spend limit reached, not retrying: 429 rate_limit_error/);
    expect(s.seen).toHaveLength(1);
    expect(stored(cwd, id)).toMatchObject({ status: 'provider_unavailable', judged: 0 });
    s.fail(null);
    await resumesToConvergence(cwd, id, env(s.baseURL));
    expect(s.seen).toHaveLength(13);
    expect(answeredTwice(s.seen, 1)).toEqual([]);
  });

  it('a credit balance too low (400 billing_error type): 1 request, exit 4', async () => {
    const s = await server({ status: 400, type: 'billing_error', message: 'payment needed' });
    const cwd = poolWorkspace();
    const id = await stopsUnavailable(cwd, env(s.baseURL), /^error\[E_LLM\] Anthropic spend limit reached/);
    expect(s.seen).toHaveLength(1);
    expect(stored(cwd, id).status).toBe('provider_unavailable');
  });

  it('a 401 on the first call: 1 request, exit 4 (E_LLM_AUTH); resume with the key accepted converges', async () => {
    const s = await server({ status: 401 });
    const cwd = poolWorkspace();
    const id = await stopsUnavailable(cwd, env(s.baseURL), /^error\[E_LLM_AUTH\] Anthropic rejected the API key \(401\); set a valid ANTHROPIC_API_KEY$/);
    expect(s.seen).toHaveLength(1);
    expect(stored(cwd, id)).toMatchObject({ status: 'provider_unavailable', judged: 0 });
    s.fail(null);
    await resumesToConvergence(cwd, id, env(s.baseURL));
    expect(s.seen).toHaveLength(13);
  });

  it('K = 3 failed calls in a row (500 after the retries): 3 requests, exit 4; resume converges, the absent experts asked again', async () => {
    const s = await server({ status: 500, type: 'api_error', message: 'boom' });
    const cwd = poolWorkspace();
    const id = await stopsUnavailable(cwd, env(s.baseURL, { BLUE_MAX_RETRIES: '0' }), /^error\[E_LLM\] provider unavailable: 3 calls failed in a row; the last: Anthropic call failed after 0 retries: 500 api_error: boom/, ['--concurrency', '1']);
    expect(s.seen).toHaveLength(3);
    expect(stored(cwd, id)).toMatchObject({ status: 'provider_unavailable', judged: 0 });
    s.fail(null);
    await resumesToConvergence(cwd, id, env(s.baseURL));
    expect(s.seen).toHaveLength(15);
    expect(answeredTwice(s.seen, 3)).toEqual([]);
  });

  it('K comes from .blue/config.yaml (consecutiveFailures: 2): 2 requests', async () => {
    const s = await server({ status: 500, type: 'api_error', message: 'boom' });
    const cwd = poolWorkspace();
    fs.mkdirSync(path.join(cwd, '.blue'));
    fs.writeFileSync(path.join(cwd, '.blue', 'config.yaml'), 'consecutiveFailures: 2\n');
    await stopsUnavailable(cwd, env(s.baseURL, { BLUE_MAX_RETRIES: '0' }), /2 calls failed in a row/, ['--concurrency', '1']);
    expect(s.seen).toHaveLength(2);
  });

  it('a round where every expert failed is not judged, does not rotate the panel and does not count toward max rounds', async () => {
    const s = await server({ status: 500, type: 'api_error', message: 'boom' });
    const cwd = poolWorkspace();
    fs.mkdirSync(path.join(cwd, '.blue'));
    fs.writeFileSync(path.join(cwd, '.blue', 'config.yaml'), 'consecutiveFailures: 10\n');
    const argv = START.map((a) => (a === 'none' ? 'graduated' : a));
    const ctx = testContext(cwd, env(s.baseURL, { BLUE_MAX_RETRIES: '0' }));
    expect(await main([...argv, '--max-rounds', '2', '--panel-size', '4'], ctx), ctx.err()).toBe(4);
    expect(ctx.err()).toMatch(/^error\[E_LLM\] provider unavailable: every expert call of round 0 failed; the round is not judged and does not count\n$/);
    const id = /PROVIDER_UNAVAILABLE: (\S+) after 0 rounds/.exec(ctx.out())![1]!;
    expect(s.seen).toHaveLength(4);
    const before = stored(cwd, id);
    expect(before).toMatchObject({ status: 'provider_unavailable', judged: 0, panel1: [] });
    s.fail(null);
    // Max 2 rounds: had the failed round counted, the dialogue would end forced after one more.
    await resumesToConvergence(cwd, id, env(s.baseURL));
    expect(stored(cwd, id).panel0).toEqual(before.panel0);
    expect(s.seen).toHaveLength(4 + 8);
  });
});
