/**
 * A loopback Messages API for `npm run bench`: the real Anthropic adapter streams from it over
 * HTTP/SSE. Each request is billed by {@link PromptCache} from the cache_control blocks it actually
 * sent; the response sends `message_start` (with that usage) after a short time to first byte, then
 * a thinking block, then the answer text, then `message_delta` with the output tokens. What it
 * writes and thinks follows the request (word limit, effort, max_tokens: bench/model-reply.ts). Everything it billed and when is kept for the report.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { CompletionRequest } from '../src/llm/port.ts';
import { type Bill, PromptCache } from './cache-sim.ts';
import { modelReply } from './model-reply.ts';

/** How the simulated model answers. Times in ms. */
export interface SimOptions {
  /** The answer text of an expert (`meta.expert`, `meta.round`) or judge (`meta.purpose`) request. */
  answer: (req: CompletionRequest) => string;
  /** Arrival → `message_start`. */
  firstByteMs: (req: CompletionRequest) => number;
  /** Length of the thinking phase before the first text token, and the thinking tokens it bills, at effort `high`; other efforts scale both (bench/model-reply.ts). */
  thinkMs: number;
  thinkTokens: number;
  /** First text token → `message_stop`. */
  textMs: (req: CompletionRequest) => number;
}

/** One request as the simulator served it. Times are performance.now() ms. */
export interface Served {
  purpose: 'expert' | 'judge';
  expert: string;
  round: number;
  body: Record<string, unknown>;
  /** The scripted answer before the model's rules (word limit, max_tokens) were applied. */
  answer: string;
  /** What the model sent. */
  text: string;
  /** The word limit the prompt stated, or null. */
  wordLimit: number | null;
  /** `max_tokens` when thinking plus the answer did not fit the request's max_tokens. */
  stop: 'end_turn' | 'max_tokens';
  bill: Bill;
  outputTokens: number;
  thinkTokens: number;
  arrivedAt: number;
  /** When `message_start` was written. */
  beganAt: number;
}

export interface MessagesSim {
  baseURL: string;
  served: Served[];
  close: () => Promise<void>;
}

/** A persona line: `You are <Name>` with a capitalised name (the rules' "You are one expert …" is not one). */
export const PERSONA = /\bYou are ([A-Z][a-z]+)\b/;

type Blocks = string | { text?: string }[];
const textOf = (c: Blocks | undefined): string => (c === undefined ? '' : typeof c === 'string' ? c : c.map((b) => b.text ?? '').join(''));
const sse = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** Starts the simulator on 127.0.0.1 (port 0). Experts are told apart by their persona line (`You are <Name>`) and their rounds by how often each was asked. */
export async function startMessagesSim(opts: SimOptions): Promise<MessagesSim> {
  const cache = new PromptCache();
  const served: Served[] = [];
  const asked = new Map<string, number>();
  let judged = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const system = textOf(body.system as Blocks | undefined);
      const messages = (body.messages as { role: 'user' | 'assistant'; content: Blocks }[]).map((m) => ({ role: m.role, content: textOf(m.content) }));
      // A judge asks for a JSON-schema format or a tool; an expert may still send output_config (effort).
      const judge = (body.output_config as { format?: unknown } | undefined)?.format !== undefined || 'tools' in body;
      const expert = judge ? 'judge' : (PERSONA.exec(system)?.[1]?.toLowerCase() ?? 'unknown');
      const round = judge ? judged++ : (asked.get(expert) ?? 0);
      if (!judge) asked.set(expert, round + 1);
      const call: CompletionRequest = { system: [{ text: system }], messages, model: String(body.model), maxTokens: Number(body.max_tokens), meta: { purpose: judge ? 'judge' : 'expert', expert, round } };
      const answer = opts.answer(call);
      const { text, stop, outputTokens, thinking, wordLimit } = modelReply(body, answer, { tokens: opts.thinkTokens, ms: opts.thinkMs });
      const { bill, begin } = cache.bill(body, arrivedAt);
      const entry: Served = { purpose: call.meta.purpose, expert, round, body, answer, text, wordLimit, stop, bill, outputTokens, thinkTokens: thinking.tokens, arrivedAt, beganAt: 0 };
      served.push(entry);
      stream(res, call, text, stop, bill, outputTokens, thinking.ms, () => {
        entry.beganAt = performance.now();
        begin(entry.beganAt);
      });
    });
  });

  function stream(res: http.ServerResponse, call: CompletionRequest, text: string, stop: string, bill: Bill, outputTokens: number, thinkMs: number, began: () => void): void {
    const usage = { input_tokens: bill.input, cache_creation_input_tokens: bill.write5m + bill.write1h, cache_read_input_tokens: bill.read, cache_creation: { ephemeral_5m_input_tokens: bill.write5m, ephemeral_1h_input_tokens: bill.write1h } };
    const steps: [number, () => void][] = [];
    steps.push([opts.firstByteMs(call), () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_sim_${served.length}` });
      res.write(sse('message_start', { type: 'message_start', message: { id: 'msg_sim', type: 'message', role: 'assistant', model: call.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }));
      began();
    }]);
    let index = 0;
    if (thinkMs > 0) {
      const think = index++;
      steps.push([0, () => res.write(sse('content_block_start', { type: 'content_block_start', index: think, content_block: { type: 'thinking', thinking: '', signature: '' } }))]);
      const slices = Math.max(1, Math.round(thinkMs / 100));
      for (let i = 0; i < slices; i++) steps.push([thinkMs / slices, () => res.write(sse('content_block_delta', { type: 'content_block_delta', index: think, delta: { type: 'thinking_delta', thinking: 'Weighing the panel. ' } }))]);
      steps.push([0, () => res.write(sse('content_block_delta', { type: 'content_block_delta', index: think, delta: { type: 'signature_delta', signature: 'sig' } }))]);
      steps.push([0, () => res.write(sse('content_block_stop', { type: 'content_block_stop', index: think }))]);
    }
    const at = index;
    steps.push([0, () => res.write(sse('content_block_start', { type: 'content_block_start', index: at, content_block: { type: 'text', text: '' } }))]);
    const parts = 4;
    const size = Math.ceil(text.length / parts);
    for (let i = 0; i < parts; i++) steps.push([i === 0 ? 0 : opts.textMs(call) / (parts - 1), () => res.write(sse('content_block_delta', { type: 'content_block_delta', index: at, delta: { type: 'text_delta', text: text.slice(i * size, (i + 1) * size) } }))]);
    steps.push([0, () => {
      res.write(sse('content_block_stop', { type: 'content_block_stop', index: at }));
      res.write(sse('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: outputTokens } }));
      res.end(sse('message_stop', { type: 'message_stop' }));
    }]);
    const next = (i: number): void => {
      const step = steps[i];
      if (!step) return;
      const run = (): void => {
        if (res.destroyed) return;
        step[1]();
        next(i + 1);
      };
      if (step[0] > 0) setTimeout(run, step[0]);
      else run();
    };
    next(0);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
