import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/core/index.ts';
import { Budget } from '../../src/llm/budget.ts';
import { CallEstimator, percentile } from '../../src/llm/call-estimate.ts';
import type { CompletionRequest, Usage } from '../../src/llm/port.ts';
import { DEFAULT_BASE_URL, resolveApiKey, resolveBaseUrl, validateBaseUrl } from '../../src/llm/config.ts';
import { costUsd, DEFAULT_PRICES, estimateCostUsd, parsePriceTable, priceFor } from '../../src/llm/prices.ts';
import { ANTHROPIC_VENDOR } from '../../src/llm/anthropic.ts';
import { backoffMs, decideRetry, parseRetryAfter } from '../../src/llm/retry.ts';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import { retryContextFor } from './retry-context.ts';

const ctx = retryContextFor({ model: 'claude-opus-5-5', random: () => 0.25, vendor: ANTHROPIC_VENDOR });

const apiError = (status: number, type: string, message: string, headers: Record<string, string> = {}, details?: object) =>
  APIError.generate(status, { type: 'error', error: { type, message, details } }, undefined, new Headers(headers));

describe('retry policy', () => {
  it('full jitter grows as base·2^n and caps at 30 s', () => {
    expect(backoffMs(0, () => 0.999)).toBe(999);
    expect(backoffMs(3, () => 0.5)).toBe(4000);
    expect(backoffMs(10, () => 0.5)).toBe(15000);
    expect(backoffMs(10, () => 0)).toBe(0);
  });

  it('parses retry-after-ms, retry-after seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sat, 21 Nov 2026 10:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it('429 without retry-after falls back to exponential; a huge retry-after is capped at 60 s', () => {
    const plain = decideRetry(apiError(429, 'rate_limit_error', 'slow down'), ctx({ retriesSoFar: 2 }));
    expect(plain).toMatchObject({ retry: true, delayMs: 1000 });
    const huge = decideRetry(apiError(429, 'rate_limit_error', 'slow down', { 'retry-after': '3600' }), ctx());
    expect(huge).toMatchObject({ retry: true, delayMs: 60000 });
  });

  it('spend limits are recognised by error code, 402 or wording and never retried', () => {
    for (const err of [
      apiError(429, 'rate_limit_error', 'limit', {}, { error_code: 'enforced_spend_limit_reached' }),
      apiError(429, 'rate_limit_error', 'Your credit balance is too low'),
      apiError(402, 'billing_error', 'payment required'),
    ]) {
      const d = decideRetry(err, ctx());
      expect(d.retry).toBe(false);
      if (!d.retry) expect(d.error.code).toBe('E_LLM');
    }
  });

  it('retries 529, 503, 408, in-stream overloaded events, connection errors and timeouts', () => {
    const inStream = new APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers());
    for (const err of [
      apiError(529, 'overloaded_error', 'Overloaded'),
      apiError(503, 'api_error', 'unavailable'),
      apiError(408, 'timeout_error', 'timeout'),
      inStream,
      new APIConnectionError({ message: 'Connection error.' }),
      new APIConnectionTimeoutError(),
      new TypeError('terminated'),
    ]) {
      expect(decideRetry(err, ctx()).retry).toBe(true);
    }
  });

  it('stops after maxRetries with the last reason', () => {
    const err = apiError(529, 'overloaded_error', 'Overloaded', { 'request-id': 'req_x' });
    const d = decideRetry(err, ctx({ retriesSoFar: 4 }));
    expect(d.retry).toBe(false);
    if (!d.retry) expect(d.error.message).toBe('Anthropic call failed after 4 retries: 529 overloaded_error: Overloaded (request req_x)');
  });

  it('abort wins over any error and is never retried', () => {
    for (const [err, aborted] of [
      [new APIUserAbortError(), false],
      [apiError(529, 'overloaded_error', 'Overloaded'), true],
    ] as const) {
      const d = decideRetry(err, ctx({ aborted }));
      expect(d.retry).toBe(false);
      if (!d.retry) expect(d.error.code).toBe('E_CANCELLED');
    }
  });

  it('401/403 → E_LLM_AUTH, model 404 → E_LLM_MODEL, other 404 → E_CONFIG', () => {
    const codes = [
      apiError(401, 'authentication_error', 'invalid x-api-key'),
      apiError(403, 'permission_error', 'forbidden'),
      apiError(404, 'not_found_error', 'model: claude-x'),
      apiError(404, 'not_found_error', 'Not Found'),
    ].map((e) => {
      const d = decideRetry(e, ctx());
      return d.retry ? 'retry' : d.error.code;
    });
    expect(codes).toEqual(['E_LLM_AUTH', 'E_LLM_AUTH', 'E_LLM_MODEL', 'E_CONFIG']);
  });
});

describe('prices', () => {
  it('the bundled table is dated and sourced', () => {
    expect(DEFAULT_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICES.source).toMatch(/^https:\/\//);
  });

  it('computes cost per kind of token', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheCreationInputTokens: 1_000_000, cacheReadInputTokens: 1_000_000 };
    // Opus 5: 5 + 25 + 6.25 + 0.5
    expect(costUsd('claude-opus-5', usage, DEFAULT_PRICES)).toBeCloseTo(36.75, 10);
  });

  it('defaults cache write to 1.25× and read to 0.1× input when the table is silent', () => {
    const table = parsePriceTable({ asOf: '2026-01-01', source: 'https://example.com/p', models: { m: { inputPerMTok: 4, outputPerMTok: 0 } } });
    const usage = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 1_000_000, cacheReadInputTokens: 1_000_000 };
    expect(costUsd('m', usage, table)).toBeCloseTo(5 + 0.4, 10);
  });

  it('switches to the long-context tier above 100k prompt tokens (Haiku 5.5)', () => {
    const small = { inputTokens: 100_000, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    const large = { ...small, cacheReadInputTokens: 1 };
    expect(costUsd('claude-haiku-5-5', small, DEFAULT_PRICES)).toBeCloseTo(0.01, 10);
    expect(costUsd('claude-haiku-5-5', large, DEFAULT_PRICES)).toBeCloseTo(0.05 + 0.05e-6, 10);
  });

  it('resolves dated snapshots and unknown family members by prefix, and rejects strangers', () => {
    expect(priceFor('claude-sonnet-4-5-20250929', DEFAULT_PRICES).inputPerMTok).toBe(3);
    expect(priceFor('claude-fable-5-2', DEFAULT_PRICES).inputPerMTok).toBe(10);
    expect(priceFor('claude-opus-4-8', DEFAULT_PRICES).inputPerMTok).toBe(5);
    expect(() => priceFor('gpt-4o', DEFAULT_PRICES)).toThrow(/no price for model "gpt-4o"/);
  });

  it('estimates conservatively: ceil(chars/3) input plus all of maxTokens', () => {
    // 10 chars → 4 tokens × $2 + 100 × $10, per MTok (Sonnet 5.5).
    expect(estimateCostUsd('claude-sonnet-5-5', 10, 100, DEFAULT_PRICES)).toBeCloseTo(1008e-6, 12);
  });

  it('rejects a malformed table with E_CONFIG', () => {
    expect(() => parsePriceTable({ asOf: 'today', source: 'x', models: {} })).toThrow(BlueError);
  });
});

describe('budget', () => {
  it('counts reservations against the limit until committed (parallel calls)', () => {
    const b = new Budget(1);
    b.reserve(0.4);
    b.reserve(0.4);
    expect(() => b.reserve(0.4)).toThrow(/next call would exceed --max-cost \$1\.00 \(spent \$0\.00, in flight \$0\.80, next ≤ \$0\.40\)/);
    b.commit(0.1, 0.4);
    expect(b.spentUsd).toBeCloseTo(0.1);
    expect(b.reservedUsd).toBeCloseTo(0.4);
    b.reserve(0.4);
    expect(b.reservedUsd).toBeCloseTo(0.8);
  });

  it('uses the brief message shape and E_BUDGET', () => {
    const b = new Budget(2, 1.93);
    try {
      b.reserve(0.115);
      expect.unreachable();
    } catch (err) {
      expect((err as BlueError).code).toBe('E_BUDGET');
      expect((err as BlueError).message).toBe('next call would exceed --max-cost $2.00 (spent $1.93, next ≤ $0.12)');
    }
  });

  it('never refuses without a limit, but still tracks spend', () => {
    const b = new Budget(null);
    b.reserve(1e9);
    b.commit(3, 1e9);
    expect(b.spentUsd).toBe(3);
    expect(b.reservedUsd).toBe(0);
  });
});

describe('config', () => {
  it('validates base URLs and masks credentials', () => {
    expect(validateBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => validateBaseUrl('ftp://x')).toThrow(/ANTHROPIC_BASE_URL "ftp:\/\/x" is not a valid http\(s\) URL/);
    try {
      validateBaseUrl('htp//user:hunter2@host');
      expect.unreachable();
    } catch (err) {
      expect((err as BlueError).code).toBe('E_CONFIG');
      expect(exitCodeOf(err as BlueError)).toBe(2);
      expect((err as BlueError).message).toBe('ANTHROPIC_BASE_URL "htp//***@host" is not a valid http(s) URL');
    }
    for (const url of ['mailto://user:hunter2@host', 'ftp://user:hun@ter2@host', 'user:hunter2@host']) {
      expect(() => validateBaseUrl(url)).toThrow(BlueError);
      try {
        validateBaseUrl(url);
      } catch (err) {
        expect(String(err), url).not.toMatch(/hunter2|ter2/);
      }
    }
  });

  it('resolves the key and base URL from an injected env', () => {
    expect(resolveApiKey({ ANTHROPIC_API_KEY: ' sk-1 ' })).toBe('sk-1');
    expect(() => resolveApiKey({})).toThrow(/^no ANTHROPIC_API_KEY set/);
    expect(() => resolveApiKey({ ANTHROPIC_API_KEY: '  ' })).toThrow(BlueError);
    expect(resolveBaseUrl({})).toBe(DEFAULT_BASE_URL);
    expect(resolveBaseUrl({ ANTHROPIC_BASE_URL: 'https://proxy.example/' })).toBe('https://proxy.example');
    expect(() => resolveBaseUrl({ ANTHROPIC_BASE_URL: 'nope' })).toThrow(/E_CONFIG|not a valid/);
  });
});

describe('toInputSchema', () => {
  it('drops the bounds constrained decoding rejects and closes every object', async () => {
    const { z } = await import('zod');
    const { toInputSchema } = await import('../../src/llm/structured.ts');
    const { roundJudgementSchema } = await import('../../src/orchestrator/llm-judge.ts');
    const json = JSON.stringify(toInputSchema(roundJudgementSchema));
    for (const k of ['"minimum"', '"maximum"', '"maxItems"', '"minLength"', '"maxLength"', '"$schema"']) expect(json).not.toContain(k);
    expect(json).not.toMatch(/"minItems":[2-9]/);
    const small = toInputSchema(z.object({ n: z.int().min(1).max(5), nested: z.object({ s: z.string().max(3) }) }));
    expect(small).toEqual({
      type: 'object',
      properties: { n: { type: 'integer' }, nested: { type: 'object', properties: { s: { type: 'string' } }, required: ['s'], additionalProperties: false } },
      required: ['n', 'nested'],
      additionalProperties: false,
    });
  });
});

describe('call estimator', () => {
  const head = 'h'.repeat(3000);
  const call = (over: Partial<CompletionRequest> = {}): CompletionRequest => ({
    system: [{ text: head, cache: true }, { text: 'persona'.padEnd(300, '.') }],
    messages: [{ role: 'user', content: 'u'.repeat(300) }],
    model: 'claude-sonnet-5-5',
    maxTokens: 3000,
    meta: { purpose: 'expert', expert: 'muffin', round: 0 },
    ...over,
  });
  const usage = (over: Partial<Usage>): Usage => ({ inputTokens: 150, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, ...over });

  it('reserves all of max_tokens and writes the cached prefix before anything is known', () => {
    const e = new CallEstimator();
    expect(e.estimate(call(), DEFAULT_PRICES).usage).toEqual({ inputTokens: 200, outputTokens: 3000, cacheCreationInputTokens: 1000, cacheReadInputTokens: 0 });
  });

  it('reserves the p90 of the role’s completed outputs and reads a prefix a call has cached, at its exact size', () => {
    const e = new CallEstimator();
    for (const [i, out] of [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].entries()) {
      const r = call({ meta: { purpose: 'expert', expert: `e${i}` } });
      e.start(r);
      e.settle(r, usage({ outputTokens: out, cacheReadInputTokens: 800 }), true);
    }
    // The judge has no sample yet: its full max_tokens.
    expect(e.outputTokens({ meta: { purpose: 'judge' }, maxTokens: 2000 })).toBe(2000);
    // 600 plain characters were 150 tokens: 4 characters per token from now on.
    expect(e.estimate(call(), DEFAULT_PRICES).usage).toEqual({ inputTokens: 150, outputTokens: 900, cacheCreationInputTokens: 0, cacheReadInputTokens: 800 });
  });

  it('prices a prefix a call showed uncacheable (no cache counters) as plain input', () => {
    const e = new CallEstimator();
    e.settle(call(), usage({ inputTokens: 900, outputTokens: 50 }), true);
    expect(e.estimate(call(), DEFAULT_PRICES).usage).toEqual({ inputTokens: 900, outputTokens: 50, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 });
  });

  it('reads a prefix another call is streaming with (the warm-up began), writes it otherwise', () => {
    const e = new CallEstimator();
    e.start(call());
    expect(e.estimate(call(), DEFAULT_PRICES).usage.cacheReadInputTokens).toBe(1000);
    e.settle(call(), undefined, false);
    expect(e.estimate(call(), DEFAULT_PRICES).usage.cacheCreationInputTokens).toBe(1000);
  });

  it('starts a resumed dialogue from the outputs its stored calls showed', () => {
    const e = new CallEstimator();
    for (const out of [400, 500, 2500]) e.observeOutput('expert', out);
    expect(e.outputTokens({ meta: { purpose: 'expert' }, maxTokens: 3000 })).toBe(2500);
    expect(e.outputTokens({ meta: { purpose: 'expert' }, maxTokens: 2000 })).toBe(2000);
  });

  it('takes the nearest-rank percentile', () => {
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([3, 1, 2], 0.9)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
  });
});
