/** The MCP server (`blue mcp`). Nothing imports this module but src/cli. */
export { createBlueMcpServer, serveStdio, type BlueMcpServer } from './server.ts';
export type { McpDeps, RunProviders, StartArgs } from './deps.ts';
export { ERROR_CODE_META } from './results.ts';
export { RunRegistry, type RunInfo } from './runs.ts';
