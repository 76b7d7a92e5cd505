/**
 * Tool results: structured content plus the same JSON as text (for clients that only read text),
 * and Blue's errors as MCP tool errors (`isError: true`) carrying the stable error code.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BlueError } from '../core/index.ts';

/** Where Blue's error code travels in an error result (`_meta["blue/errorCode"]`). */
export const ERROR_CODE_META = 'blue/errorCode';

/** A successful result: `value` as structured content, `text` (or the JSON) as the text block. */
export function ok(value: Record<string, unknown>, text?: string): CallToolResult {
  return { structuredContent: value, content: [{ type: 'text', text: text ?? JSON.stringify(value, null, 2) }] };
}

/**
 * A tool error: one line `error[E_CODE] where: what; expected …`, the code in `_meta`. An
 * unexpected error is reported as E_INTERNAL with its message only; `log` gets the stack.
 */
export function failure(err: unknown, log: (line: string) => void): CallToolResult {
  const e = err instanceof BlueError ? err : new BlueError('E_INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
  if (e.code === 'E_INTERNAL') log(`${e.oneLine()}\n${err instanceof Error && err.stack ? err.stack : ''}`);
  return { isError: true, content: [{ type: 'text', text: e.oneLine() }], _meta: { [ERROR_CODE_META]: e.code } };
}

/** Wraps a handler so anything it throws becomes a {@link failure}. */
export function guarded<A, X>(log: (line: string) => void, fn: (args: A, extra: X) => CallToolResult | Promise<CallToolResult>): (args: A, extra: X) => Promise<CallToolResult> {
  return async (args, extra) => {
    try {
      return await fn(args, extra);
    } catch (err) {
      return failure(err, log);
    }
  };
}
