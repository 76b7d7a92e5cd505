/** Spawns the MCP server entry over stdio with the SDK's own client. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const ENTRY = fileURLToPath(new URL('./server-entry.ts', import.meta.url));
const TSX = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../node_modules/tsx/dist/loader.mjs');

/** A connected client whose server runs in `cwd`; `stderr()` is what the server wrote there. */
export async function spawnServer(cwd: string, env: Record<string, string> = {}): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: ['--import', TSX, ENTRY], cwd, env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const client = new Client({ name: 'blue-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}
