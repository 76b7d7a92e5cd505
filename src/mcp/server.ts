/**
 * `blue mcp`: a stdio MCP server over the same use cases as the CLI. Dialogues started here run
 * in this process; when the client goes away they are cancelled (stored, resumable).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import type { McpDeps } from './deps.ts';
import { registerDialogueTools } from './dialogue-tools.ts';
import { registerDialogueResources } from './resources.ts';
import { RunRegistry } from './runs.ts';
import { registerWorkspaceTools } from './workspace-tools.ts';

/** A server and the background runs it owns. */
export interface BlueMcpServer {
  server: McpServer;
  runs: RunRegistry;
}

/** Builds the server with every tool and resource registered (not yet connected). */
export function createBlueMcpServer(deps: McpDeps): BlueMcpServer {
  const server = new McpServer(
    { name: 'blue', version: deps.version },
    { instructions: 'Blue runs alignment dialogues. dialogue_start returns an id at once; poll dialogue_status (waitSeconds blocks, with progress) and read blue://dialogues/{id}/verdict when it ends.' },
  );
  const runs = new RunRegistry();
  registerDialogueTools(server, deps, runs);
  registerWorkspaceTools(server, deps);
  registerDialogueResources(server, deps);
  return { server, runs };
}

/**
 * Serves over stdio until the client closes the connection, then cancels running dialogues.
 * Resolves when everything has stopped.
 */
export async function serveStdio(deps: McpDeps, io: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout }): Promise<void> {
  const { server, runs } = createBlueMcpServer(deps);
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  // The transport emits no close when stdin ends; the client closing its end is the signal.
  io.stdin.once('end', () => void server.close());
  await server.connect(transport);
  await closed;
  await runs.cancelAll();
}
