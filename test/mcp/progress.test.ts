/**
 * Progress and background runs in-process (the SDK's in-memory transport): a fake provider that
 * answers only when the test lets it, so the dialogue is provably still running while watched.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import { cancelledError, createFakeProvider } from '../../src/llm/index.ts';
import { createBlueMcpServer, type McpDeps } from '../../src/mcp/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { settings } from '../orchestrator/helpers.ts';
import { tempDir } from '../support.ts';

/** A gate the provider waits on: `open()` lets every pending and later call answer. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => (open = r));
  return { wait: () => opened, open };
}

async function connect(root: string, answersWait: () => Promise<void>) {
  const provider = createFakeProvider({
    respond: async (req) => {
      // Like a real call, an abort ends the wait.
      await Promise.race([answersWait(), new Promise<never>((_, reject) => req.signal?.addEventListener('abort', () => reject(cancelledError()), { once: true }))]);
      return '[PERSPECTIVE P01: keep it small]\nSmall is enough.\n\n[MOVE:CONVERGE]';
    },
  });
  const deps: McpDeps = {
    root,
    clock: fixedClock('2026-11-21T10:00:00Z'),
    version: '0.0.0',
    startSettings: () => settings({ pool: 'general', panelSize: 2, maxRounds: 2, minRounds: 1 }),
    providers: async () => ({ provider }),
    readSources: () => [],
    log: () => undefined,
  };
  const blue = createBlueMcpServer(deps);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await blue.server.connect(a);
  const client = new Client({ name: 'progress-test', version: '0' });
  await client.connect(b);
  return { client, runs: blue.runs };
}

describe('MCP progress and background runs', () => {
  it('reports round progress while a dialogue runs, all before the result', async () => {
    const g = gate();
    const { client } = await connect(tempDir(), g.wait);
    const start = await client.callTool({ name: 'dialogue_start', arguments: { question: 'How small can it be?' } });
    const id = String((start.structuredContent as { id: string }).id);
    const messages: string[] = [];
    const progress: number[] = [];
    const status = await client.callTool({ name: 'dialogue_status', arguments: { id, waitSeconds: 120 } }, undefined, {
      onprogress: (p) => {
        messages.push(p.message ?? '');
        progress.push(p.progress);
        g.open(); // the first notification proves the run is being watched; now let it answer
      },
      timeout: 120_000,
    });
    messages.push('RESULT');
    await client.listTools();
    expect((status.structuredContent as { running: boolean }).running).toBe(false);
    expect(messages[0]).toMatch(new RegExp(`^${id} running`));
    expect(messages).toContain('round 0 judged: velocity 1, converge 100%');
    expect(messages.at(-2)).toMatch(/^ended converged after 2 rounds$/);
    expect(messages.at(-1)).toBe('RESULT');
    expect(progress).toEqual(progress.map((_, i) => i + 1));
    await client.close();
  }, 120_000);

  it('a dialogue outlives its start call, and cancelling leaves it stored and resumable', async () => {
    const root = tempDir();
    const g = gate();
    const { client, runs } = await connect(root, g.wait);
    const start = await client.callTool({ name: 'dialogue_start', arguments: { question: 'Will it wait?' } });
    const id = String((start.structuredContent as { id: string }).id);
    const running = await client.callTool({ name: 'dialogue_status', arguments: { id } });
    expect((running.structuredContent as { running: boolean; status: string }).running).toBe(true);
    const again = await client.callTool({ name: 'dialogue_resume', arguments: { id } });
    expect(again._meta?.['blue/errorCode']).toBe('E_STATE');
    await runs.cancelAll();
    const store = new DialogueStore(openDatabase(root));
    try {
      expect(store.getDialogue(id)?.status).toBe('cancelled');
    } finally {
      store.db.close();
    }
    await client.close();
  }, 120_000);
});
