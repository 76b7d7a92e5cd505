/**
 * A mixed-model panel: Anthropic experts on a loopback Messages API and the Wildcard seat on a
 * loopback Chat Completions server (`tiers: {Wildcard: "openai:llama3.1:8b"}`), and one expert by
 * role on another model of it (`experts: {Security Reviewer: "openai:qwen2.5:7b"}`). The panel file,
 * the call records and `status` say which model answered each seat.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/store/index.ts';
import { tempDir, testContext } from '../orchestrator/helpers.ts';
import { type ChatServer, startChatServer } from './chat-server.ts';
import { POOL, type Server, startServer } from './messages-server.ts';

const closers: (Server | ChatServer)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((s) => s.close()));
});

describe('a panel mixing Anthropic and an OpenAI-compatible server', () => {
  it('sends each seat to its provider and records which model answered it', async () => {
    const anthropic = await startServer({ delayMs: 1 });
    const openai = await startChatServer();
    closers.push(anthropic, openai);
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'pools'));
    fs.writeFileSync(path.join(cwd, 'pools', 'api.yaml'), JSON.stringify({ domain: POOL.domain, experts: POOL.experts }));
    fs.mkdirSync(path.join(cwd, '.blue'));
    fs.writeFileSync(path.join(cwd, '.blue', 'config.yaml'), 'models:\n  tiers: { Wildcard: "openai:llama3.1:8b" }\n  experts: { "Security Reviewer": "openai:qwen2.5:7b" }\n');
    const env = { ANTHROPIC_API_KEY: 'sk-test-0123456789', ANTHROPIC_BASE_URL: anthropic.baseURL, OPENAI_BASE_URL: openai.baseURL };
    const ctx = testContext(cwd, env);
    expect(await main(['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--no-judge', '--quiet'], ctx), ctx.err()).toBe(0);

    const dir = path.join(cwd, 'dialogues', fs.readdirSync(path.join(cwd, 'dialogues'))[0]!);
    const panel = parse(fs.readFileSync(path.join(dir, 'round-0', 'panel.yaml'), 'utf8')) as { experts: { name: string; role: string; tier: string; model: string }[] };
    const wildcard = panel.experts.find((e) => e.tier === 'Wildcard')!;
    const security = (panel.experts as { name: string; role?: string; model: string }[]).find((e) => e.role === 'Security Reviewer')!;
    expect(wildcard.model).toBe('openai:llama3.1:8b');
    expect(security.model).toBe('openai:qwen2.5:7b');
    expect(panel.experts.filter((e) => e !== wildcard && e !== security).every((e) => e.model === 'claude-sonnet-5-5')).toBe(true);

    // Only those two seats reached the Chat Completions server, with the prefix stripped.
    const routed = openai.seen.map((s) => `${s.expert} ${String(s.body.model)}`).sort();
    expect(routed).toEqual([...Array(2).fill(`${security.name.toLowerCase()} qwen2.5:7b`), ...Array(2).fill(`${wildcard.name.toLowerCase()} llama3.1:8b`)].sort());
    expect(anthropic.seen.filter((s) => !s.judge)).toHaveLength(8);
    expect(anthropic.seen.some((s) => s.expert === wildcard.name.toLowerCase() || s.expert === security.name.toLowerCase())).toBe(false);

    const db = openDatabase(cwd);
    try {
      const rows = db.prepare('SELECT expert, provider, model FROM llm_calls ORDER BY seq').all() as { expert: string; provider: string; model: string }[];
      const seats = new Map(rows.map((r) => [r.expert, `${r.provider} ${r.model}`]));
      expect(seats.get(wildcard.name.toLowerCase())).toBe('openai openai:llama3.1:8b');
      expect(seats.get(security.name.toLowerCase())).toBe('openai openai:qwen2.5:7b');
      expect([...seats.values()].filter((v) => v === 'anthropic claude-sonnet-5-5')).toHaveLength(4);
    } finally {
      db.close();
    }

    // The scoreboard and the recorded dialogue gain a Model column for a mixed panel.
    const scoreboard = fs.readFileSync(path.join(dir, 'scoreboard.md'), 'utf8');
    expect(scoreboard).toMatch(/\| Expert +\| Role +\| Model +\|/);
    expect(scoreboard).toMatch(new RegExp(`\\| ${wildcard.name} [^\\n]*\\| openai:llama3\\.1:8b +\\|`));
    const record = fs.readFileSync(path.join(dir, `${path.basename(dir)}.dialogue.recorded.md`), 'utf8');
    expect(record).toMatch(/\| First Round \| Model +\|/);
    expect(record.match(/claude-sonnet-5-5/g)).toHaveLength(8); // the panel table and the final scoreboard
    expect(record).toContain('openai:llama3.1:8b');

    const status = testContext(cwd, env);
    expect(await main(['dialogue', 'status', '--json'], status)).toBe(0);
    const report = JSON.parse(status.out()) as { experts: { expert: string; models: string[] }[] };
    expect(report.experts.find((e) => e.expert === wildcard.name.toLowerCase())?.models).toEqual(['openai:llama3.1:8b']);
  });
});
