/**
 * `blue dialogue start` with the Anthropic provider, through the CLI, against a loopback
 * Messages API named by ANTHROPIC_BASE_URL: JSON progress events, usage in `status`, and the
 * one-line exit-2 errors for a rejected key, an unknown model and a malformed base URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { testContext } from '../orchestrator/helpers.ts';
import { poolWorkspace, type Server, startServer } from './messages-server.ts';

const KEY = 'sk-test-not-a-real-key-0123456789';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});


const start = ['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--no-judge'];

describe('blue dialogue start --provider anthropic', () => {
  it('streams JSON progress events and reports tokens and USD in status', async () => {
    const server = await startServer({ delayMs: 5 });
    servers.push(server);
    const cwd = poolWorkspace();
    const env = { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL };
    const ctx = testContext(cwd, env);
    expect(await main([...start, '--max-cost', '2.00', '--json'], ctx), ctx.err()).toBe(0);
    const events = ctx.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; state?: string });
    expect(events[0]).toMatchObject({ type: 'dialogue', status: 'started' });
    expect(events.filter((e) => e.type === 'expert' && e.state === 'done')).toHaveLength(12);
    expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'converged' });

    const status = testContext(cwd, env);
    expect(await main(['dialogue', 'status', '--json'], status)).toBe(0);
    const report = JSON.parse(status.out()) as { total: { calls: number; inputTokens: number; cacheWriteTokens: number; costUsd: number }; experts: unknown[]; rounds: { usage: { calls: number } }[] };
    expect(report.total).toMatchObject({ calls: 12, inputTokens: 1200, cacheWriteTokens: 4800 });
    expect(report.total.costUsd).toBeGreaterThan(0);
    expect(report.experts).toHaveLength(6);
    expect(report.rounds.map((r) => r.usage.calls)).toEqual([6, 6]);
    const everything = [ctx.out(), status.out(), ...fs.readdirSync(path.join(cwd, 'dialogues')).map((d) => fs.readFileSync(path.join(cwd, 'dialogues', d, 'round-0', 'muffin.prompt.md'), 'utf8'))].join('\n');
    expect(everything).not.toContain(KEY);
  });

  it('a rejected key (401): provider unavailable, one line, exit 4, the key never printed, resumable', async () => {
    const server = await startServer({ delayMs: 1, status: 401 });
    servers.push(server);
    const cwd = poolWorkspace();
    const ctx = testContext(cwd, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL });
    expect(await main([...start, '--quiet'], ctx)).toBe(4);
    const lines = ctx.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error\[E_LLM_AUTH\]/);
    expect(ctx.err() + ctx.out()).not.toContain(KEY);
    expect(ctx.out()).toMatch(/PROVIDER_UNAVAILABLE: .* after 0 rounds[\s\S]*resume: +blue dialogue resume /);
    const list = testContext(cwd);
    expect(await main(['dialogue', 'list', '--json'], list)).toBe(0);
    expect(JSON.parse(list.out())).toMatchObject([{ status: 'provider_unavailable', rounds: 0 }]);
    // The key was rejected on the first call: the other five are never sent with it.
    expect(server.seen).toHaveLength(1);
  });

  it('every expert call rejected by the provider (400): exit 4 after K = 3 failed calls instead of a dialogue of absences', async () => {
    const server = await startServer({ delayMs: 1, status: 400 });
    servers.push(server);
    const ctx = testContext(poolWorkspace(), { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL });
    expect(await main([...start, '--concurrency', '1', '--quiet'], ctx)).toBe(4);
    expect(ctx.err().trim().split('\n')).toHaveLength(1);
    expect(ctx.err()).toMatch(/^error\[E_LLM\] provider unavailable: 3 calls failed in a row; the last: Anthropic rejected the request/);
    expect(server.seen.filter((r) => !r.judge)).toHaveLength(3); // the fourth is never sent
  });

  it('an unknown model (404): one line naming the model, exit 2', async () => {
    const server = await startServer({ delayMs: 1, status: 404 });
    servers.push(server);
    const ctx = testContext(poolWorkspace(), { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL });
    expect(await main([...start, '--model', 'claude-nope-1', '--quiet'], ctx)).toBe(2);
    expect(ctx.err().trim().split('\n')).toHaveLength(1);
    expect(ctx.err()).toMatch(/E_LLM_MODEL.*claude-nope-1/);
  });

  it('a malformed ANTHROPIC_BASE_URL: one line, exit 2, nothing created', async () => {
    const cwd = poolWorkspace();
    const ctx = testContext(cwd, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'not a url' });
    expect(await main([...start, '--quiet'], ctx)).toBe(2);
    expect(ctx.err()).toMatch(/E_CONFIG.*ANTHROPIC_BASE_URL/);
    expect(fs.existsSync(path.join(cwd, 'dialogues'))).toBe(false);
  });
});
