/**
 * `blue dialogue start --provider openai` through the CLI against a loopback Chat Completions
 * server named by OPENAI_BASE_URL: a whole dialogue with the judge, one retried 429, usage from
 * the stream's usage chunk, and an unpriced model's cost shown as unknown, never $0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/store/index.ts';
import { testContext } from '../orchestrator/helpers.ts';
import { type ChatServer, startChatServer } from './chat-server.ts';
import { poolWorkspace } from './messages-server.ts';

const servers: ChatServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});


const start = ['dialogue', 'start', 'How should we version our public API?', '--provider', 'openai', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--model', 'llama3.1:8b', '--judge-model', 'llama3.1:8b'];

describe('blue dialogue start --provider openai', () => {
  it('runs a whole dialogue with the judge and one retried 429; usage recorded, cost unknown', async () => {
    const server = await startChatServer({ fail: { count: 1, status: 429, headers: { 'retry-after-ms': '1' } } });
    servers.push(server);
    const cwd = poolWorkspace();
    const env = { OPENAI_BASE_URL: server.baseURL };
    const ctx = testContext(cwd, env);
    expect(await main([...start, '--json'], ctx), ctx.err()).toBe(0);
    const events = ctx.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; state?: string; outcome?: string });
    expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'converged' });
    expect(events.filter((e) => e.type === 'expert' && e.state === 'retrying')).toHaveLength(1);

    // Every request streams with usage; the judge asks for a JSON schema.
    expect(server.seen.every((s) => s.body.stream === true && (s.body.stream_options as { include_usage: boolean }).include_usage)).toBe(true);
    const judged = server.seen.filter((s) => s.judge && s.status === 200);
    expect(judged).toHaveLength(2);
    expect(judged[0]!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: expect.any(String) } });
    expect(server.seen[0]!.status).toBe(429);
    expect(server.seen.filter((s) => !s.judge && s.status === 200)).toHaveLength(12);

    const db = openDatabase(cwd);
    try {
      const calls = db.prepare('SELECT purpose, provider, model, outcome, retries, input_tokens, output_tokens, cache_read_tokens, cost_usd, cost_unknown FROM llm_calls ORDER BY seq').all() as Record<string, unknown>[];
      expect(calls).toHaveLength(14);
      expect(calls.filter((c) => c.purpose === 'judge')).toHaveLength(2);
      expect(calls.every((c) => c.provider === 'openai' && c.outcome === 'ok' && c.model === 'llama3.1:8b')).toBe(true);
      expect(calls.map((c) => c.retries).reduce((a, b) => Number(a) + Number(b), 0)).toBe(1);
      expect(calls[0]).toMatchObject({ input_tokens: 100, output_tokens: 40, cache_read_tokens: 20, cost_usd: 0, cost_unknown: 1 });
      const proposals = db.prepare("SELECT COUNT(*) AS n FROM judge_proposals WHERE kind = 'adjustment' AND applied = 1").get() as { n: number };
      expect(proposals.n).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    const status = testContext(cwd, env);
    expect(await main(['dialogue', 'status'], status)).toBe(0);
    expect(status.out()).toMatch(/total: 14 calls .*unknown \(14 unpriced\)/);
    expect(status.out()).not.toMatch(/\$0\.0000/);
  });

  it('falls back to JSON mode, validated by zod, when the server rejects json_schema', async () => {
    const server = await startChatServer({ judge: 'reject-schema' });
    servers.push(server);
    const cwd = poolWorkspace();
    const ctx = testContext(cwd, { OPENAI_BASE_URL: server.baseURL });
    expect(await main([...start, '--quiet'], ctx), ctx.err()).toBe(0);
    const judge = server.seen.filter((s) => s.judge);
    expect(judge.map((s) => [(s.body.response_format as { type: string }).type, s.status])).toEqual([
      ['json_schema', 400],
      ['json_object', 200],
      ['json_object', 200],
    ]);
    const system = (judge[1]!.body.messages as { role: string; content: string }[])[0]!.content;
    expect(system).toContain('matching this JSON schema');
  });

  it('a hosted API without OPENAI_API_KEY (exit 4), a bad OPENAI_BASE_URL, --max-cost on an unpriced model (exit 2): one line', async () => {
    const cases: [Record<string, string>, string[], RegExp, number][] = [
      [{}, [], /E_LLM_AUTH.*OPENAI_API_KEY/, 4],
      [{ OPENAI_BASE_URL: 'olama' }, [], /E_CONFIG.*OPENAI_BASE_URL "olama".*ollama/, 2],
      [{ OPENAI_BASE_URL: 'ollama' }, ['--max-cost', '1'], /E_USAGE.*--max-cost.*llama3\.1:8b/, 2],
    ];
    for (const [env, extra, line, exit] of cases) {
      const cwd = poolWorkspace();
      const ctx = testContext(cwd, env);
      expect(await main([...start, ...extra, '--quiet'], ctx)).toBe(exit);
      expect(ctx.err().trim().split('\n')).toHaveLength(1);
      expect(ctx.err()).toMatch(line);
      expect(fs.existsSync(path.join(cwd, 'dialogues'))).toBe(false);
    }
  });
});
