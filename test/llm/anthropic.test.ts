import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BlueError } from '../../src/core/index.ts';
import { createAnthropicProvider, type AnthropicProviderOptions } from '../../src/llm/anthropic.ts';
import { Budget } from '../../src/llm/budget.ts';
import type { CompletionRequest } from '../../src/llm/port.ts';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import { costUsd, DEFAULT_PRICES } from '../../src/llm/prices.ts';
import { billedAttemptsOf } from '../../src/llm/retry-loop.ts';
import { errorBody, hang, json, reset, sse, sseError, sseEvents, startLoopback, type Loopback } from './loopback.ts';

const KEY = 'sk-ant-test-SECRET-0123456789';
const USAGE = { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 2000, cache_read_input_tokens: 3000 };

/** A head above Sonnet 5.5's 512-token cache minimum (≈ 2,048 characters) and below Haiku 4.5's 4,096. */
const LONG_HEAD = 'shared rules and question. '.repeat(80);

let server: Loopback;
let waits: number[];

beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  waits = [];
});

function provider(extra: Partial<AnthropicProviderOptions> = {}) {
  return createAnthropicProvider({
    apiKey: KEY,
    baseURL: server.baseURL,
    prices: DEFAULT_PRICES,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
}

function request(extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    system: [{ text: LONG_HEAD, cache: true }, { text: 'You are Muffin.' }],
    messages: [{ role: 'user', content: 'Round 1: give your perspective.' }],
    model: 'claude-sonnet-5-5',
    maxTokens: 1000,
    meta: { purpose: 'expert', expert: 'muffin', round: 1 },
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<BlueError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BlueError);
    expect(String(err)).not.toContain(KEY);
    expect((err as BlueError).oneLine()).not.toContain(KEY);
    return err as BlueError;
  }
  throw new Error('expected the call to fail');
}

describe('anthropic provider: success', () => {
  it('streams text and returns usage, cost, request id and stop reason', async () => {
    server.script(sse([{ text: 'Hello from Muffin.' }], USAGE, { requestId: 'req_abc' }));
    const progress: number[] = [];
    const result = await provider().complete(request({ onProgress: (n) => progress.push(n) }));
    expect(result.text).toBe('Hello from Muffin.');
    expect(result.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 500,
      cacheCreationInputTokens: 2000,
      cacheReadInputTokens: 3000,
    });
    // Sonnet 5.5: 1000×$2 + 2000×$2.50 + 3000×$0.10 + 500×$10 per MTok.
    expect(result.costUsd).toBeCloseTo(0.0123, 10);
    expect(result.requestId).toBe('req_abc');
    expect(result.stopReason).toBe('end_turn');
    expect(result.model).toBe('claude-sonnet-5-5');
    expect(result.retries).toBe(0);
    expect(progress.at(-1)).toBe(500);
    expect(progress.length).toBeGreaterThan(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('puts cache_control on cached system blocks only, streams, and sends the key as a header', async () => {
    server.script(sse([{ text: 'ok' }], USAGE));
    await provider().complete(request());
    const got = server.received[0]!;
    expect(got.url).toBe('/v1/messages');
    // SDK 1.x sends the key as a bearer token.
    expect(got.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(got.body['stream']).toBe(true);
    expect(got.body['max_tokens']).toBe(1000);
    expect(got.body['system']).toEqual([
      { type: 'text', text: LONG_HEAD, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'You are Muffin.' },
    ]);
    expect(got.body['messages']).toEqual([{ role: 'user', content: 'Round 1: give your perspective.' }]);
  });
});

describe('anthropic provider: cache breakpoints, thinking and the start of a response', () => {
  it('drops a breakpoint whose prefix is below the model minimum, keeps one above it, and passes ttl 1h', async () => {
    server.script(sse([{ text: 'ok' }], USAGE), sse([{ text: 'ok' }], USAGE));
    // Sonnet 5.5: 512 tokens ≈ 2,048 characters. The short head alone is below; head + context is above.
    const system = [{ text: 'short head', cache: true, ttl: '1h' as const }, { text: 'x'.repeat(2100), cache: true }, { text: 'You are Muffin.' }];
    await provider().complete(request({ system }));
    expect(server.received[0]!.body['system']).toEqual([
      { type: 'text', text: 'short head' },
      { type: 'text', text: 'x'.repeat(2100), cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'You are Muffin.' },
    ]);
    await provider().complete(request({ system: [{ text: LONG_HEAD, cache: true, ttl: '1h' }, { text: 'You are Muffin.' }] }));
    expect((server.received[1]!.body['system'] as { cache_control?: unknown }[])[0]!.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
  });

  it('on Haiku 4.5 (4,096-token minimum) sends the same 2,100-character head unmarked', async () => {
    server.script(sse([{ text: 'ok' }], USAGE));
    await provider().complete(request({ model: 'claude-haiku-4-5' }));
    expect((server.received[0]!.body['system'] as { cache_control?: unknown }[])[0]!.cache_control).toBeUndefined();
  });

  it('sends only the thinking and effort settings the model accepts', async () => {
    server.script(sse([{ text: 'ok' }], USAGE), sse([{ text: 'ok' }], USAGE), sse([{ text: 'ok' }], USAGE));
    await provider().complete(request({ model: 'claude-sonnet-5-5', reasoning: { thinking: 'between_tools', effort: 'low' } }));
    await provider().complete(request({ model: 'claude-opus-5-5', reasoning: { thinking: 'disabled', effort: 'medium' } }));
    await provider().complete(request({ model: 'claude-haiku-4-5', maxTokens: 3000, reasoning: { thinking: 'enabled', budgetTokens: 1500, effort: 'low' } }));
    const [sonnet, opus, haiku] = server.received.map((r) => r.body);
    expect(sonnet!['thinking']).toEqual({ type: 'between_tools' });
    expect(sonnet!['output_config']).toEqual({ effort: 'low' });
    // Opus 5.5 cannot turn adaptive thinking off: no thinking field, effort kept.
    expect(opus!['thinking']).toBeUndefined();
    expect(opus!['output_config']).toEqual({ effort: 'medium' });
    expect(haiku!['thinking']).toEqual({ type: 'enabled', budget_tokens: 1500 });
    expect(haiku!['output_config']).toBeUndefined();
  });

  it('keeps the structured output format beside the effort', async () => {
    server.script(sse([{ text: '{"n":1}' }], USAGE));
    await provider().completeStructured!({ ...request({ reasoning: { effort: 'low' } }), schema: z.object({ n: z.number() }), schemaName: 'n' });
    expect(server.received[0]!.body['output_config']).toMatchObject({ effort: 'low', format: { type: 'json_schema' } });
  });

  it('calls onStart at message_start, before the first text arrives', async () => {
    const order: string[] = [];
    server.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_s' });
      const events = sseEvents([{ text: 'late text' }], USAGE);
      res.write(events[0]);
      // The rest (thinking would sit here) only once the client has seen message_start.
      const poll = setInterval(() => {
        if (!order.includes('start')) return;
        clearInterval(poll);
        order.push('server sends text');
        for (const e of events.slice(1)) res.write(e);
        res.end();
      }, 5);
      res.on('close', () => clearInterval(poll));
    });
    await provider().complete(request({ onStart: () => order.push('start'), onProgress: () => void (order.includes('text') || order.push('text')) }));
    expect(order).toEqual(['start', 'server sends text', 'text']);
  });
});

describe('anthropic provider: retries', () => {
  it('honours retry-after on 429', async () => {
    server.script(
      json(429, errorBody('rate_limit_error', 'Number of requests has exceeded your rate limit'), { 'retry-after': '1' }),
      sse([{ text: 'after wait' }], USAGE),
    );
    const retries: { attempt: number; delayMs: number; reason: string }[] = [];
    const result = await provider().complete(request({ onRetry: (i) => retries.push(i) }));
    expect(result.text).toBe('after wait');
    expect(result.retries).toBe(1);
    expect(waits).toEqual([1000]);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 1000 });
    expect(retries[0]!.reason).toContain('rate limited');
    expect(server.received).toHaveLength(2);
  });

  it('backs off with jitter on 529 overloaded, then succeeds', async () => {
    server.script(json(529, errorBody('overloaded_error', 'Overloaded')), sse([{ text: 'ok' }], USAGE));
    const result = await provider().complete(request());
    expect(result.retries).toBe(1);
    // Full jitter, first retry: random (0.5) × min(30 s, 1 s × 2⁰).
    expect(waits).toEqual([500]);
  });

  it('retries 500 then succeeds, growing the backoff', async () => {
    server.script(
      json(500, errorBody('api_error', 'Internal server error')),
      json(500, errorBody('api_error', 'Internal server error')),
      sse([{ text: 'ok' }], USAGE),
    );
    const result = await provider().complete(request());
    expect(result.retries).toBe(2);
    expect(waits).toEqual([500, 1000]);
  });

  it('retries a connection reset', async () => {
    server.script(reset, sse([{ text: 'reconnected' }], USAGE));
    const result = await provider().complete(request());
    expect(result.text).toBe('reconnected');
    expect(result.retries).toBe(1);
  });

  it('retries a stream cut mid-way (socket destroyed after two events)', async () => {
    server.script(sse([{ text: 'partial answer' }], USAGE, { cutAfter: 3 }), sse([{ text: 'whole answer' }], USAGE));
    const result = await provider().complete(request());
    expect(result.text).toBe('whole answer');
    expect(result.retries).toBe(1);
  });

  it('retries a stream that ends cleanly before message_stop', async () => {
    server.script(sse([{ text: 'partial answer' }], USAGE, { endAfter: 4 }), sse([{ text: 'whole answer' }], USAGE));
    const result = await provider().complete(request());
    expect(result.text).toBe('whole answer');
    expect(result.retries).toBe(1);
  });

  it('retries an in-stream overloaded_error event', async () => {
    server.script(sseError('overloaded_error', 'Overloaded'), sse([{ text: 'ok' }], USAGE));
    const reasons: string[] = [];
    const result = await provider().complete(request({ onRetry: (i) => reasons.push(i.reason) }));
    expect(result.text).toBe('ok');
    expect(reasons).toEqual(['stream error overloaded_error: Overloaded (request req_sse_err)']);
  });

  it('retries a request that times out', async () => {
    server.script(hang, sse([{ text: 'in time' }], USAGE));
    const reasons: string[] = [];
    const result = await provider({ timeoutMs: 150 }).complete(request({ onRetry: (i) => reasons.push(i.reason) }));
    expect(result.text).toBe('in time');
    expect(reasons).toEqual(['request timed out']);
  });

  it('gives up after maxRetries with E_LLM', async () => {
    const overloaded = json(529, errorBody('overloaded_error', 'Overloaded'));
    server.script(overloaded, overloaded, overloaded);
    const err = await failure(provider({ maxRetries: 2 }).complete(request()));
    expect(err.code).toBe('E_LLM');
    expect(err.message).toContain('after 2 retries');
    expect(err.message).toContain('529 overloaded_error');
    expect(server.received).toHaveLength(3);
  });

  it('does not retry a spend-limit 429', async () => {
    server.script(
      json(
        429,
        errorBody('rate_limit_error', 'You have reached your specified API usage limits.', {
          error_code: 'enforced_spend_limit_reached',
        }),
      ),
    );
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe('E_LLM');
    expect(err.message).toContain('spend limit');
    expect(server.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not retry a 400', async () => {
    server.script(json(400, errorBody('invalid_request_error', 'max_tokens: too large')));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe('E_LLM');
    expect(err.message).toContain('400 invalid_request_error: max_tokens: too large');
    expect(server.received).toHaveLength(1);
  });
});

describe('anthropic provider: bad input', () => {
  it('maps 401 to E_LLM_AUTH without echoing the key', async () => {
    server.script(json(401, errorBody('authentication_error', `invalid x-api-key ${KEY}`)));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe('E_LLM_AUTH');
    expect(exitCodeOf(err)).toBe(4); // provider unavailable: auth
    expect(err.message).toBe('Anthropic rejected the API key (401); set a valid ANTHROPIC_API_KEY');
    expect(server.received).toHaveLength(1);
  });

  it('maps a model 404 to E_LLM_MODEL', async () => {
    server.script(json(404, errorBody('not_found_error', 'model: claude-nope-9')));
    const err = await failure(provider().complete(request({ model: 'claude-sonnet-9' })));
    expect(err.code).toBe('E_LLM_MODEL');
    expect(err.message).toBe('unknown model "claude-sonnet-9"');
    expect(err.expected).toContain('claude-');
  });

  it('redacts the key if a server echoes it in a retried error', async () => {
    server.script(json(400, errorBody('invalid_request_error', `bad header ${KEY}`)));
    const err = await failure(provider().complete(request()));
    expect(err.message).toContain('[redacted]');
  });

  it('rejects a model without a price before calling', async () => {
    const err = await failure(provider().complete(request({ model: 'gpt-4o' })));
    expect(err.code).toBe('E_LLM_MODEL');
    expect(server.received).toHaveLength(0);
  });

  it('rejects a malformed base URL at construction', () => {
    expect(() => provider({ baseURL: 'not a url' })).toThrow(/ANTHROPIC_BASE_URL "not a url" is not a valid http\(s\) URL/);
  });
});

describe('anthropic provider: budget and cancellation', () => {
  it('refuses a call whose estimate would exceed --max-cost, sending nothing', async () => {
    const budget = new Budget(0.01, 0.005);
    // Estimate: ceil(71 chars / 3) = 24 input tokens × $2 + 1000 output × $10 per MTok = $0.010048.
    const err = await failure(provider({ budget }).complete(request({ maxTokens: 1000 })));
    expect(err.code).toBe('E_BUDGET');
    expect(err.message).toBe('next call would exceed --max-cost $0.01 (spent $0.01, next ≤ $0.02)');
    expect(server.received).toHaveLength(0);
    expect(budget.spentUsd).toBe(0.005);
    expect(budget.reservedUsd).toBe(0);
  });

  it('commits the real cost after a call and releases the reservation', async () => {
    server.script(sse([{ text: 'ok' }], USAGE));
    const budget = new Budget(1);
    const result = await provider({ budget }).complete(request());
    expect(budget.spentUsd).toBeCloseTo(result.costUsd, 12);
    expect(budget.reservedUsd).toBe(0);
  });

  it('charges an attempt that was billed (stream began) and then retried, and lists it on the result', async () => {
    // The cut attempt's message_start reported USAGE (output 1 so far): that much was billed.
    server.script(sse([{ text: 'partial answer' }], USAGE, { cutAfter: 3, requestId: 'req_cut' }), sse([{ text: 'whole answer' }], USAGE));
    const budget = new Budget(1);
    const result = await provider({ budget }).complete(request());
    const cutUsage = { inputTokens: 1000, outputTokens: 1, cacheCreationInputTokens: 2000, cacheReadInputTokens: 3000 };
    const cutCost = costUsd('claude-sonnet-5-5', cutUsage, DEFAULT_PRICES);
    expect(result.billedAttempts).toEqual([{ usage: cutUsage, costUsd: cutCost, requestId: 'req_cut', error: expect.any(String) }]);
    expect(result.costUsd).toBeCloseTo(costUsd('claude-sonnet-5-5', { inputTokens: 1000, outputTokens: 500, cacheCreationInputTokens: 2000, cacheReadInputTokens: 3000 }, DEFAULT_PRICES), 12);
    expect(budget.spentUsd).toBeCloseTo(result.costUsd + cutCost, 12);
    expect(budget.reservedUsd).toBe(0);
  });

  it('charges billed attempts of a call that fails for good and puts them on the error', async () => {
    server.script(sseError('overloaded_error', 'Overloaded'), sseError('overloaded_error', 'Overloaded'));
    const budget = new Budget(1);
    const err = await failure(provider({ budget, maxRetries: 1 }).complete(request()));
    const attempts = billedAttemptsOf(err);
    expect(attempts).toHaveLength(2);
    expect(attempts.map((a) => a.requestId)).toEqual(['req_sse_err', 'req_sse_err']);
    expect(budget.spentUsd).toBeCloseTo(attempts[0]!.costUsd * 2, 12);
    expect(budget.spentUsd).toBeGreaterThan(0);
  });

  it('does not charge an attempt refused before its stream began', async () => {
    server.script(json(529, errorBody('overloaded_error', 'Overloaded')), sse([{ text: 'ok' }], USAGE));
    const budget = new Budget(1);
    const result = await provider({ budget }).complete(request());
    expect(result.billedAttempts).toBeUndefined();
    expect(budget.spentUsd).toBeCloseTo(result.costUsd, 12);
  });

  it('releases the reservation when a call fails', async () => {
    server.script(json(400, errorBody('invalid_request_error', 'bad')));
    const budget = new Budget(1);
    await failure(provider({ budget }).complete(request()));
    expect(budget.spentUsd).toBe(0);
    expect(budget.reservedUsd).toBe(0);
  });

  it('aborting mid-stream throws E_CANCELLED and does not retry', async () => {
    server.script(sse([{ text: 'a long answer that never finishes' }], USAGE, { hangAfter: 3 }));
    const controller = new AbortController();
    const p = provider().complete(
      request({
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );
    const err = await failure(p);
    expect(err.code).toBe('E_CANCELLED');
    expect(server.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('an already aborted signal never reaches the server', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failure(provider().complete(request({ signal: controller.signal })));
    expect(err.code).toBe('E_CANCELLED');
    expect(server.received).toHaveLength(0);
  });
});

const judgement = z.object({
  alignment: z.number().min(0).max(1),
  tensions: z.array(z.string()),
});

function judgeRequest() {
  return {
    ...request({ meta: { purpose: 'judge' as const, round: 1 } }),
    schema: judgement,
    schemaName: 'round_judgement',
  };
}

describe('anthropic provider: structured judge output', () => {
  it('sends output_config.format with the zod JSON schema and validates the answer', async () => {
    server.script(sse([{ text: '{"alignment":0.8,"tensions":["T01"]}' }], USAGE));
    const out = await provider().completeStructured!(judgeRequest());
    expect(out.value).toEqual({ alignment: 0.8, tensions: ['T01'] });
    const body = server.received[0]!.body;
    const format = (body['output_config'] as { format: { type: string; schema: Record<string, unknown> } }).format;
    expect(format.type).toBe('json_schema');
    expect(format.schema['$schema']).toBeUndefined();
    expect(format.schema['required']).toEqual(['alignment', 'tensions']);
    expect(format.schema['additionalProperties']).toBe(false);
    expect(body['tools']).toBeUndefined();
  });

  it('tool mode forces one tool and reads its input', async () => {
    server.script(sse([{ tool: 'round_judgement', input: { alignment: 0.5, tensions: [] } }], USAGE, {}));
    const out = await provider({ structuredMode: 'tool' }).completeStructured!(judgeRequest());
    expect(out.value).toEqual({ alignment: 0.5, tensions: [] });
    const body = server.received[0]!.body;
    expect(body['tool_choice']).toEqual({ type: 'tool', name: 'round_judgement' });
    expect((body['tools'] as { name: string; input_schema: unknown }[])[0]!.name).toBe('round_judgement');
  });

  it('retries once with the validation error, then returns the valid value with summed usage', async () => {
    server.script(
      sse([{ text: '{"alignment":7,"tensions":[]}' }], USAGE),
      sse([{ text: '{"alignment":0.7,"tensions":[]}' }], USAGE),
    );
    const out = await provider().completeStructured!(judgeRequest());
    expect(out.value.alignment).toBe(0.7);
    expect(out.result.usage.inputTokens).toBe(2000);
    expect(out.result.costUsd).toBeCloseTo(0.0246, 10);
    const retryMessages = server.received[1]!.body['messages'] as { role: string; content: string }[];
    expect(retryMessages).toHaveLength(3);
    expect(retryMessages[1]).toEqual({ role: 'assistant', content: '{"alignment":7,"tensions":[]}' });
    expect(retryMessages[2]!.content).toContain('failed the round_judgement schema: alignment:');
  });

  it('fails with E_LLM when the output fails its schema twice', async () => {
    server.script(sse([{ text: 'not json' }], USAGE), sse([{ text: '{"alignment":"high"}' }], USAGE));
    const err = await failure(provider().completeStructured!(judgeRequest()));
    expect(err.code).toBe('E_LLM');
    expect(err.message).toMatch(/^judge output failed its schema twice: alignment: /);
    expect(server.received).toHaveLength(2);
  });
});
