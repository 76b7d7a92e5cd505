/**
 * A loopback Chat Completions server (OpenAI-compatible, SSE streaming with a usage chunk) for
 * engine tests: experts get the same marker answers as the Messages loopback, the judge (a request
 * with `response_format`) gets JSON. Scripted failures answer the first requests with an HTTP error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, validJudgement } from './messages-server.ts';

/** One request as the server saw it. */
export interface ChatSeen {
  expert: string;
  round: number;
  judge: boolean;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Server options. */
export interface ChatServerOptions {
  /** Answer the first `n` requests with this status (and headers), then normally. */
  fail?: { count: number; status: number; headers?: Record<string, string> };
  /** `reject-schema`: a 400 for `json_schema` requests (a server without constrained output). */
  judge?: 'schema' | 'reject-schema';
}

export interface ChatServer {
  baseURL: string;
  seen: ChatSeen[];
  close: () => Promise<void>;
}

const USAGE = { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160, prompt_tokens_details: { cached_tokens: 20 } };

export async function startChatServer(opts: ChatServerOptions = {}): Promise<ChatServer> {
  const seen: ChatSeen[] = [];
  let failures = opts.fail?.count ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const messages = body.messages as { role: string; content: string }[];
      const system = messages.find((m) => m.role === 'system')?.content ?? '';
      const user = messages.find((m) => m.role === 'user')?.content ?? '';
      const format = body.response_format as { type: string } | undefined;
      const judge = format !== undefined;
      const expert = judge ? 'judge' : (/You are ([A-Z][a-z]+) /.exec(system)?.[1]?.toLowerCase() ?? '?');
      const round = Number(/## Round (\d+)/.exec(user)?.[1] ?? /Round (\d+)\./.exec(user)?.[1] ?? -1);
      const entry: ChatSeen = { expert, round, judge, status: 200, headers: req.headers, body };
      seen.push(entry);
      const error = (status: number, message: string, headers: Record<string, string> = {}) => {
        entry.status = status;
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_err', ...headers });
        res.end(JSON.stringify({ error: { message, type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', code: null } }));
      };
      if (failures > 0 && opts.fail) {
        failures--;
        return error(opts.fail.status, 'try again', opts.fail.headers);
      }
      if (format?.type === 'json_schema' && opts.judge === 'reject-schema') return error(400, "response_format type 'json_schema' is not supported");
      const text = judge ? JSON.stringify(validJudgement()) : answer(expert, round);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${seen.length}` });
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: body.model, choices, ...extra })}\n\n`);
      chunk([{ index: 0, delta: { role: 'assistant', content: text.slice(0, 7) }, finish_reason: null }]);
      chunk([{ index: 0, delta: { content: text.slice(7) }, finish_reason: null }]);
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
      chunk([], { usage: USAGE });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
