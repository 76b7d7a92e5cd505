/**
 * A loopback HTTP server that speaks just enough of the Messages API (JSON errors and SSE streams)
 * to drive the real SDK. Each request takes the next scripted step.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw for one request. */
export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** One scripted answer. */
export type Step = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Loopback {
  baseURL: string;
  received: Received[];
  /** Queue steps; when the queue is empty the server answers 500 `no step scripted`. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startLoopback(): Promise<Loopback> {
  const received: Received[] = [];
  const queue: Step[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      });
      const step = queue.shift() ?? json(500, errorBody('api_error', 'no step scripted'));
      step(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    received,
    script: (...steps) => queue.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `{type: 'error', error: {type, message, details?}}`. */
export function errorBody(type: string, message: string, details?: Record<string, unknown>): unknown {
  return { type: 'error', error: { type, message, ...(details ? { details } : {}) } };
}

/** A JSON response (used for API errors). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Step {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_err', ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Drops the connection without answering. */
export const reset: Step = (req) => {
  req.socket.destroy();
};

export interface StreamUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** A content block to stream: text, or a tool call whose input is streamed as JSON. */
export type Block = { text: string } | { tool: string; input: unknown };

/** The SSE event list of one message. */
export function sseEvents(blocks: Block[], usage: StreamUsage, model = 'claude-sonnet-5-5', stop = 'end_turn'): string[] {
  const events: [string, unknown][] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    ],
  ];
  blocks.forEach((b, index) => {
    if ('text' in b) {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      // Two deltas so progress is reported more than once.
      const mid = Math.floor(b.text.length / 2);
      for (const part of [b.text.slice(0, mid), b.text.slice(mid)]) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } }]);
      }
    } else {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { type: 'tool_use', id: 'toolu_1', name: b.tool, input: {} } },
      ]);
      const partial_json = JSON.stringify(b.input);
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push([
    'message_delta',
    { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Options of {@link sse}. */
export interface SseOptions {
  requestId?: string;
  /** Send only the first N events, then destroy the socket. */
  cutAfter?: number;
  /** Send only the first N events, then end the body cleanly (no message_stop). */
  endAfter?: number;
  /** Send only the first N events, then hang until the client goes away. */
  hangAfter?: number;
}

/** A streamed (SSE) success. */
export function sse(blocks: Block[], usage: StreamUsage, options: SseOptions = {}): Step {
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': options.requestId ?? 'req_ok' });
    const events = sseEvents(blocks, usage);
    const limit = options.cutAfter ?? options.endAfter ?? options.hangAfter ?? events.length;
    for (const e of events.slice(0, limit)) res.write(e);
    if (options.cutAfter !== undefined) {
      // Let the written bytes flush before the socket dies mid-stream.
      setTimeout(() => req.socket.destroy(), 20);
    } else if (options.hangAfter === undefined) {
      res.end();
    }
  };
}

/** Never answers (the client must time out or abort). */
export const hang: Step = () => undefined;

/** Starts a stream, then sends an in-stream `error` event (e.g. overloaded) and ends. */
export function sseError(type: string, message: string): Step {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_sse_err' });
    res.write(sseEvents([{ text: 'x' }], { input_tokens: 1, output_tokens: 1 })[0]);
    res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`);
  };
}
