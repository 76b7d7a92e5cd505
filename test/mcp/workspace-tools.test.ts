/**
 * The MCP tools over the documents and realm engines: promote a converged dialogue, list and show
 * the RFC, and a realm's status, check and sync, as the CLI would do them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { readyRealm } from '../realm/setup.ts';
import { tempDir } from '../support.ts';
import { connect } from './in-memory.ts';

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; _meta?: Record<string, unknown> };
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as Result;

describe('MCP document and realm tools', () => {
  it('promotes a converged dialogue to an RFC draft, then lists and shows it', async () => {
    const root = tempDir();
    const { client } = await connect(root);
    const id = String((await call(client, 'dialogue_start', { question: 'How small can it be?' })).structuredContent?.id);
    const done = await call(client, 'dialogue_status', { id, waitSeconds: 120 });
    expect(done.structuredContent).toMatchObject({ status: 'converged', running: false });

    const promoted = await call(client, 'dialogue_promote', { id });
    expect(promoted.isError).toBeFalsy();
    const file = String(promoted.structuredContent?.file);
    expect(file).toMatch(/^rfcs\/0001-.*\.draft\.md$/);
    expect(fs.readFileSync(path.join(root, file), 'utf8')).toContain(id);
    expect((await call(client, 'dialogue_promote', { id }))._meta?.['blue/errorCode']).toBe('E_EXISTS');

    const list = (await call(client, 'rfc_list', { status: 'draft' })).structuredContent?.rfcs as { number: number; file: string }[];
    expect(list.map((d) => [d.number, d.file])).toEqual([[1, file]]);
    const shown = (await call(client, 'rfc_show', { number: 1 })).structuredContent as { file: string; links: { source: string; target: string }[] };
    expect(shown.file).toBe(file);
    expect(shown.links.some((l) => l.source === `dialogue:${id}` || l.target === `dialogue:${id}`)).toBe(true);
    expect((await call(client, 'rfc_show', { number: 2 }))._meta?.['blue/errorCode']).toBe('E_NOT_FOUND');
    expect((await call(client, 'rfc_list', { status: 'nonsense' })).isError).toBe(true);
    await client.close();
  }, 120_000);

  it("reports a repo's realm, checks it and syncs its changes", async () => {
    const { fungal } = await readyRealm();
    const { client } = await connect(fungal);
    const status = (await call(client, 'realm_status')).structuredContent as { realm: string; repo: string; contracts: { name: string; role: string; resolved?: string }[] };
    expect(status).toMatchObject({ realm: 'letemcook', repo: 'fungal' });
    expect(status.contracts).toEqual([expect.objectContaining({ name: 's3-permissions', role: 'importer', resolved: '1.0.0' })]);
    const check = (await call(client, 'realm_check')).structuredContent as { passed: boolean; errors: unknown[] };
    expect(check).toMatchObject({ passed: true, errors: [] });
    const sync = (await call(client, 'realm_sync')).structuredContent as { branch?: string; files: string[] };
    expect(sync.branch).toMatch(/^sync\/fungal\//);
    expect(sync.files).toEqual(expect.arrayContaining([expect.stringContaining('bindings/fungal.yaml')]));
    const join = await call(client, 'realm_join', { realmPath: '../no-such-realm' });
    expect(join._meta?.['blue/errorCode']).toBe('E_REALM');
    await client.close();
  }, 120_000);
});
