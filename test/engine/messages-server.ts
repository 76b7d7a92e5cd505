/**
 * A loopback Messages API for engine tests: answers every expert call with marker text
 * (round 0 raises a tension, round 1 resolves it and converges) and judge calls with JSON,
 * streaming SSE after `delayMs`, and records timing and concurrency. Optional `status` makes
 * every call fail with that HTTP status (401, 404…).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Pool } from '../../src/experts/types.ts';
import { tempDir } from '../support.ts';

export interface Seen {
  expert: string;
  round: number;
  judge: boolean;
  start: number;
  firstByte: number;
  end: number;
  body: Record<string, unknown>;
}

export const POOL: Pool = {
  name: 'test',
  domain: 'API design',
  experts: [
    { role: 'API Architect', tier: 'Core', relevance: 0.95 },
    { role: 'Platform Engineer', tier: 'Core', relevance: 0.9 },
    { role: 'SDK Maintainer', tier: 'Adjacent', relevance: 0.8 },
    { role: 'Security Reviewer', tier: 'Adjacent', relevance: 0.75 },
    { role: 'Developer Advocate', tier: 'Adjacent', relevance: 0.7 },
    { role: 'Contrarian (Challenge All Assumptions)', tier: 'Wildcard', relevance: 0.4 },
  ],
};

/** Expert answers: round 0 raises a tension each; round 1 resolves it and converges. */
/** A temp workspace holding `pools/api.yaml`: {@link POOL}, for `--pool api`. */
export function poolWorkspace(): string {
  const cwd = tempDir();
  fs.mkdirSync(path.join(cwd, 'pools'));
  fs.writeFileSync(path.join(cwd, 'pools', 'api.yaml'), JSON.stringify({ domain: POOL.domain, experts: POOL.experts }));
  return cwd;
}

export function answer(expert: string, round: number): string {
  if (round === 0) return `[PERSPECTIVE P01: ${expert} view on versioning]\nDate-based versions keep clients pinned.\n\n[TENSION T01: ${expert} worry]\nDeprecation windows are unclear.\n---`;
  return `[RESOLVED T00${String(['muffin', 'cupcake', 'scone', 'eclair', 'donut', 'brioche'].indexOf(expert) + 1).padStart(2, '0')}: settled by a 12-month window]\n[MOVE:CONVERGE]\n---`;
}

export interface Server {
  baseURL: string;
  seen: Seen[];
  maxInFlight: () => number;
  /** From now on every call fails with this error (null: answer again), e.g. once the cause is "fixed". */
  fail: (failure: Failure | null) => void;
  close: () => Promise<void>;
}

/** An error response: HTTP status and the body's `error.type`, `message` and `details`. */
export interface Failure {
  status: number;
  type?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** A Messages API request as the test servers read it: its body, the persona it addresses ('judge' when none) and its round (-1 when unnamed). */
export interface ReadRequest {
  body: Record<string, unknown>;
  persona: string;
  round: number;
}

/** Reads a request's JSON body, then calls `handle` with it, its persona and its round. */
export function onRequest(req: http.IncomingMessage, handle: (r: ReadRequest) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const system = body.system as { text: string }[];
    const persona = /You are (\w+)/.exec(system.at(-1)?.text ?? '')?.[1]?.toLowerCase() ?? 'judge';
    const messages = body.messages as { content: string | { text: string }[] }[];
    const userText = typeof messages[0]!.content === 'string' ? messages[0]!.content : messages[0]!.content.map((c) => c.text).join('');
    const round = Number(/## Round (\d+)/.exec(userText)?.[1] ?? /Round (\d+)\./.exec(userText)?.[1] ?? -1);
    handle({ body, persona, round });
  });
}

export async function startServer(opts: { delayMs: number; judge?: 'valid' | 'invalid'; status?: number; failure?: Failure }): Promise<Server> {
  let failure: Failure | null = opts.failure ?? (opts.status ? { status: opts.status } : null);
  const seen: Seen[] = [];
  let inFlight = 0;
  let max = 0;
  const server = http.createServer((req, res) => {
    onRequest(req, ({ body, persona, round }) => {
      // The judge asks for a JSON-schema format; an expert may send output_config too (its effort).
      const judge = (body.output_config as { format?: unknown } | undefined)?.format !== undefined;
      const entry: Seen = { expert: judge ? 'judge' : persona, round, judge, start: Date.now(), firstByte: 0, end: 0, body };
      seen.push(entry);
      inFlight++;
      max = Math.max(max, inFlight);
      if (failure) {
        inFlight--;
        const { status } = failure;
        const type = failure.type ?? (status === 401 ? 'authentication_error' : 'not_found_error');
        const message = failure.message ?? (status === 404 ? `model: ${String(body.model)}` : 'invalid x-api-key');
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_err' });
        res.end(JSON.stringify({ type: 'error', error: { type, message, ...(failure.details ? { details: failure.details } : {}) } }));
        return;
      }
      const text = judge ? (opts.judge === 'invalid' ? '{"nope": true}' : JSON.stringify(validJudgement())) : answer(persona, round);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${seen.length}` });
      const usage = { input_tokens: 100, output_tokens: 50, cache_creation_input_tokens: 400, cache_read_input_tokens: 0 };
      res.write(`event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } })}\n\n`);
      res.write(`event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`);
      res.write(`event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(0, 5) } })}\n\n`);
      entry.firstByte = Date.now();
      setTimeout(() => {
        res.write(`event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(5) } })}\n\n`);
        res.write(`event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`);
        res.write(`event: message_delta\ndata: ${JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 50 } })}\n\n`);
        res.end(`event: message_stop\ndata: {"type":"message_stop"}\n\n`);
        entry.end = Date.now();
        inFlight--;
      }, opts.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    maxInFlight: () => max,
    fail: (f) => void (failure = f),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A judgement that passes the judge schema. */
export function validJudgement() {
  return {
    merges: [],
    clusters: [],
    resolutionChecks: [],
    adjustments: [{ expert: 'Muffin', wisdom: 1, consistency: 0, truth: 0, relationships: 0, rationale: 'named the deprecation window first' }],
    synthesis: { keyInsights: ['Date-based versions pin clients'], camps: [], keyQuestion: 'How long is the window?', recommendations: [{ label: 'Publish a deprecation policy', from: 'Muffin' }], panelAdvice: 'keep the panel' },
  };
}

