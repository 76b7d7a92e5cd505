/**
 * `blue mcp` end to end: the SDK's own Client spawns the server over stdio, lists its tools,
 * starts a replay of the bundled RFC 0058 dialogue, polls it to its end and reads its documents
 * as resources. Errors come back as tool errors with Blue's codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RFC_0058 } from '../fixture-paths.ts';
import { FIXTURE_QUESTION } from '../orchestrator/helpers.ts';
import { tempDir } from '../support.ts';
import { spawnServer } from './client.ts';

const ID = '2026-11-21T1000Z-should-rfc-0058-be-superseded-by-a-hybrid-relational';

type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[]; _meta?: Record<string, unknown> };

describe('blue mcp over stdio', () => {
  let cwd = '';
  let client: Client;
  let stderr: () => string;

  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolResult;

  beforeAll(async () => {
    cwd = tempDir();
    ({ client, stderr } = await spawnServer(cwd));
  }, 60_000);

  afterAll(async () => {
    await client?.close();
  });

  it('lists the dialogue, RFC and realm tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['dialogue_list', 'dialogue_promote', 'dialogue_resume', 'dialogue_show', 'dialogue_start', 'dialogue_status', 'dialogue_steer', 'realm_check', 'realm_join', 'realm_status', 'realm_sync', 'rfc_list', 'rfc_show'],
    );
    const start = tools.find((t) => t.name === 'dialogue_start')!;
    expect(start.inputSchema.required).toEqual(['question']);
    expect(start.outputSchema?.properties).toHaveProperty('id');
  });

  it('dialogue_start returns the id while the dialogue runs in the background', async () => {
    const r = await call('dialogue_start', { question: FIXTURE_QUESTION, provider: 'replay', replayDir: RFC_0058 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ id: ID, dir: `dialogues/${ID}`, status: 'running' });
  }, 60_000);

  it('dialogue_status polls it to its end, progress (when asked) only before each result', async () => {
    const seen: { poll: number; kind: 'progress' | 'result'; progress?: number; message?: string | undefined }[] = [];
    const errors: Error[] = [];
    client.onerror = (e) => void errors.push(e); // e.g. a progress notification for an unknown token
    let polls = 0;
    let final: Record<string, unknown> = {};
    while (final.running !== false && polls < 20) {
      const poll = ++polls;
      const r = (await client.callTool({ name: 'dialogue_status', arguments: { id: ID, waitSeconds: 30 } }, undefined, {
        onprogress: (p) => void seen.push({ poll, kind: 'progress', progress: p.progress, message: p.message }),
        timeout: 60_000,
      })) as ToolResult;
      seen.push({ poll, kind: 'result' });
      final = r.structuredContent ?? {};
    }
    expect(final.status).toBe('recording_exhausted');
    expect(final.rounds).toHaveLength(4);
    // A round trip after the last result: a late notification would have arrived before its answer.
    await client.listTools();
    expect(seen.at(-1)?.kind).toBe('result');
    expect(errors).toEqual([]);
    expect(seen.filter((e) => e.kind === 'progress').length).toBeGreaterThan(0);
    for (let poll = 1; poll <= polls; poll++) {
      const mine = seen.filter((e) => e.poll === poll);
      expect(mine.at(-1)?.kind, `poll ${poll}`).toBe('result');
      const values = mine.flatMap((e) => (e.kind === 'progress' ? [e.progress!] : []));
      expect(values, `poll ${poll} increases`).toEqual([...values].sort((x, y) => x - y));
      expect(new Set(values).size).toBe(values.length);
    }
  }, 120_000);

  it('sends no progress to a request without a progress token', async () => {
    const errors: Error[] = [];
    client.onerror = (e) => void errors.push(e);
    const r = await call('dialogue_start', { question: FIXTURE_QUESTION, title: 'second run', provider: 'replay', replayDir: RFC_0058 });
    const id = String(r.structuredContent?.id);
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 20 && status.running !== false; i++) status = (await call('dialogue_status', { id, waitSeconds: 30 })).structuredContent ?? {};
    await client.listTools();
    expect(status.status).toBe('recording_exhausted');
    expect(errors).toEqual([]);
  }, 120_000);

  it('reads the verdict resource: the file the dialogue wrote', async () => {
    const res = await client.readResource({ uri: `blue://dialogues/${ID}/verdict` });
    const text = (res.contents[0] as { text: string }).text;
    expect(text).toBe(fs.readFileSync(path.join(cwd, 'dialogues', ID, 'verdict.md'), 'utf8'));
    expect(text.split('\n')[0]).toMatch(/recording exhausted/i);
  });

  it("reads a round's expert response verbatim and lists the written documents", async () => {
    const res = await client.readResource({ uri: `blue://dialogues/${ID}/rounds/0/muffin` });
    expect((res.contents[0] as { text: string }).text).toBe(fs.readFileSync(path.join(RFC_0058, 'round-0/muffin.md'), 'utf8'));
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining([`blue://dialogues/${ID}/verdict`, `blue://dialogues/${ID}/scoreboard`, `blue://dialogues/${ID}/record`]));
  });

  it('dialogue_list lists both runs, newest first, ended', async () => {
    const r = await call('dialogue_list');
    const rows = r.structuredContent?.dialogues as { id: string; status: string; running: boolean; rounds: number }[];
    expect(rows.map((d) => [d.status, d.running, d.rounds])).toEqual([
      ['recording_exhausted', false, 4],
      ['recording_exhausted', false, 4],
    ]);
    expect(rows.map((d) => d.id)).toContain(ID);
  });

  it('dialogue_show gives a round\'s responses and the scoreboard', async () => {
    const r = await call('dialogue_show', { id: ID, doc: 'responses', round: 3 });
    const experts = (r.structuredContent?.responses as { expert: string }[]).map((x) => x.expert).sort();
    expect(experts).toEqual(['cannoli', 'croissant', 'galette', 'muffin', 'strudel', 'tartlet']);
    const board = await call('dialogue_show', { id: ID, doc: 'scoreboard' });
    expect(board.content[0]?.text).toBe(fs.readFileSync(path.join(cwd, 'dialogues', ID, 'scoreboard.md'), 'utf8'));
  });

  it("errors are tool errors carrying Blue's codes", async () => {
    const missing = await call('dialogue_status', { id: 'no-such-dialogue' });
    expect(missing.isError).toBe(true);
    expect(missing._meta?.['blue/errorCode']).toBe('E_NOT_FOUND');
    expect(missing.content[0]?.text).toMatch(/^error\[E_NOT_FOUND\] /);
    const ended = await call('dialogue_resume', { id: ID });
    expect(ended._meta?.['blue/errorCode']).toBe('E_STATE');
    const noProvider = await call('dialogue_start', { question: 'Anything?' });
    expect(noProvider._meta?.['blue/errorCode']).toBe('E_LLM_AUTH');
    const notJoined = await call('realm_status');
    expect(notJoined.isError).toBe(true);
    expect(String(notJoined._meta?.['blue/errorCode'])).toMatch(/^E_/);
    const badUri = client.readResource({ uri: `blue://dialogues/${ID}/secrets` });
    await expect(badUri).rejects.toThrow(/E_NOT_FOUND/);
  });

  it('steering an ended dialogue is refused; promoting a forced-less recording needs allowForced', async () => {
    const steer = await call('dialogue_steer', { id: ID, constraint: 'stay on SQLite' });
    expect(steer._meta?.['blue/errorCode']).toBe('E_STATE');
    const promote = await call('dialogue_promote', { id: ID });
    expect(promote._meta?.['blue/errorCode']).toBe('E_STATE');
    const rfcs = await call('rfc_list');
    expect(rfcs.structuredContent).toEqual({ rfcs: [] });
  });

  it('writes nothing but protocol to stdout and nothing to stderr', () => {
    expect(stderr()).toBe('');
  });
});
