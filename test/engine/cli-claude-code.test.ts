/**
 * `blue dialogue start --provider claude-code` through the CLI with a fake `claude` on PATH that
 * speaks stream-json: a whole dialogue with the judge, usage and cost as the CLI reports them, and
 * a missing or logged-out `claude` as one line with exit code 4.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/store/index.ts';
import { tempDir, testContext } from '../orchestrator/helpers.ts';
import { poolWorkspace } from './messages-server.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TSX = path.resolve(HERE, '../../node_modules/tsx/dist/loader.mjs');

/** A folder holding a `claude` that runs test/engine/fake-claude.ts. */
function fakeClaudeOnPath(): string {
  const bin = tempDir();
  fs.writeFileSync(path.join(bin, 'claude'), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${path.join(HERE, 'fake-claude.ts')}" "$@"\n`);
  fs.chmodSync(path.join(bin, 'claude'), 0o755);
  return bin;
}


const start = ['dialogue', 'start', 'How should we version our public API?', '--provider', 'claude-code', '--pool', 'api', '--panel-size', '6', '--rotation', 'none', '--quiet'];

describe('blue dialogue start --provider claude-code', () => {
  it('runs a whole dialogue with the judge through headless claude; usage and cost as reported', async () => {
    const cwd = poolWorkspace();
    const log = path.join(tempDir(), 'calls.jsonl');
    const ctx = testContext(cwd, { PATH: fakeClaudeOnPath(), FAKE_CLAUDE_LOG: log });
    expect(await main(start, ctx), ctx.err()).toBe(0);
    expect(ctx.out()).toMatch(/^CONVERGED: /m);

    const calls = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; stdinChars: number });
    expect(calls).toHaveLength(14);
    for (const c of calls) {
      expect(c.args).toEqual(expect.arrayContaining(['-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '1', '--disallowedTools']));
      expect(c.stdinChars).toBeGreaterThan(0);
    }
    expect(calls.filter((c) => c.args.includes('claude-haiku-5-5'))).toHaveLength(2); // the judge model
    const db = openDatabase(cwd);
    try {
      const rows = db.prepare('SELECT purpose, provider, outcome, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, cost_usd, cost_unknown, request_id FROM llm_calls ORDER BY seq').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(14);
      expect(rows.filter((r) => r.purpose === 'judge')).toHaveLength(2);
      expect(rows[0]).toMatchObject({ provider: 'claude-code', outcome: 'ok', input_tokens: 90, output_tokens: 30, cache_write_tokens: 500, cache_read_tokens: 1000, cost_usd: 0.0125, cost_unknown: 0 });
      expect(String(rows[0]!.request_id)).toMatch(/^sess-/);
    } finally {
      db.close();
    }
  });

  it('a missing claude: one line, exit 4, nothing created', async () => {
    const cwd = poolWorkspace();
    const ctx = testContext(cwd, { PATH: tempDir() });
    expect(await main(start, ctx)).toBe(4);
    expect(ctx.err().trim().split('\n')).toHaveLength(1);
    expect(ctx.err()).toMatch(/^error\[E_LLM\] the claude CLI is not on PATH/);
    expect(fs.existsSync(path.join(cwd, 'dialogues'))).toBe(false);
  });

  it('a logged-out claude: one line, exit 4', async () => {
    const ctx = testContext(poolWorkspace(), { PATH: fakeClaudeOnPath(), FAKE_CLAUDE_MODE: 'logged-out' });
    expect(await main(start, ctx)).toBe(4);
    const lines = ctx.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error\[E_LLM_AUTH\] claude is not logged in .*\/login/);
  });
});
