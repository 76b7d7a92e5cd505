/**
 * A CLI run against the local Messages API stand-in: a temp workspace holding `pools/api.yaml`
 * (the stand-in's pool) and the env pointing the anthropic provider at the server.
 */
import { afterEach } from 'vitest';
import { type Server, poolWorkspace, startServer } from '../engine/messages-server.ts';

/**
 * Call inside a `describe`: returns a starter of server + workspace; every server it started is
 * closed after each test.
 */
export function useServerWorkspace(): (opts: { delayMs: number }) => Promise<{ server: Server; cwd: string; env: Record<string, string> }> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (opts) => {
    const server = await startServer(opts);
    servers.push(server);
    const cwd = poolWorkspace();
    return { server, cwd, env: { ANTHROPIC_API_KEY: 'sk-test-not-a-real-key-0123456789', ANTHROPIC_BASE_URL: server.baseURL } };
  };
}
