/**
 * Progress and background runs in-process (the SDK's in-memory transport): a fake provider that
 * answers only when the test lets it, so the dialogue is provably still running while watched.
 */
import { describe, expect, it } from 'vitest';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { tempDir } from '../support.ts';
import { connect, gate } from './in-memory.ts';

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
      store.close();
    }
    await client.close();
  }, 120_000);
});
