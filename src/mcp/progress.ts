/**
 * MCP progress notifications: only when the request carried `_meta.progressToken` (echoed, never
 * invented), strictly increasing, and all sent before the result (the caller awaits `flush`).
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ProgressEvent } from '../orchestrator/index.ts';

/** The `extra` argument of a tool handler. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Pause between the last notification and the result. The TypeScript SDK's client handles a
 * notification a microtask later than a response; when both arrive in one read, the response
 * wins, the token is gone and the client reports an unknown progress token (Claude Code drops
 * the connection on one). A short gap keeps them in separate reads; 25 ms was too short on a
 * loaded machine (two of eight full runs at load 15 saw the late notification), a long poll can spare 100.
 */
const GAP_BEFORE_RESULT_MS = 100;

/** Sends progress for one request. */
export interface Progress {
  report(message: string): void;
  /** Resolves when every notification so far has been handed to the transport (and the gap has passed). */
  flush(): Promise<void>;
}

/** A reporter for the request of `extra`; a no-op when the client sent no progress token. */
export function progressFor(extra: ToolExtra, total?: number): Progress {
  const token = extra._meta?.progressToken;
  let sent = Promise.resolve();
  if (token === undefined) return { report: () => undefined, flush: () => sent };
  let n = 0;
  return {
    report: (message) => {
      n += 1;
      const params = { progressToken: token, progress: n, message, ...(total !== undefined ? { total } : {}) };
      sent = sent.then(() => extra.sendNotification({ method: 'notifications/progress', params })).catch(() => undefined);
    },
    flush: async () => {
      await sent;
      if (n > 0) await new Promise((r) => setTimeout(r, GAP_BEFORE_RESULT_MS));
    },
  };
}

/** A progress line for the events worth one notification (rounds and failures, not every token). */
export function describeEvent(e: ProgressEvent): string | undefined {
  switch (e.type) {
    case 'round-start':
      return `round ${e.round} started: ${e.experts.length} experts`;
    case 'round-end':
      return `round ${e.round} judged: velocity ${e.velocity}, converge ${e.convergePercent}%`;
    case 'expert':
      return e.state === 'failed' || e.state === 'retrying' ? `round ${e.round} ${e.expert} ${e.state}${e.detail ? `: ${e.detail}` : ''}` : undefined;
    case 'end':
      return `ended ${e.outcome} after ${e.rounds} rounds`;
    default:
      return undefined;
  }
}
