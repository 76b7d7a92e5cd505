/**
 * The MCP server in-process over the SDK's in-memory transport, with a fake provider whose
 * answers wait on a gate the test opens (so a dialogue is provably still running while watched).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { fixedClock } from '../../src/core/index.ts';
import { cancelledError, createFakeProvider } from '../../src/llm/index.ts';
import { createBlueMcpServer, type McpDeps, type RunRegistry } from '../../src/mcp/index.ts';
import { settings } from '../orchestrator/helpers.ts';

/** A gate the provider waits on: `open()` lets every pending and later call answer. */
export function gate(): { wait: () => Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => (open = r));
  return { wait: () => opened, open };
}

/** A connected client over a server rooted at `root`; experts answer once `answersWait` resolves. */
export async function connect(root: string, answersWait: () => Promise<void> = () => Promise.resolve()): Promise<{ client: Client; runs: RunRegistry }> {
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

