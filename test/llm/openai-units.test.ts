/** The OpenAI-compatible provider's pure parts: base URL presets, keys, unknown cost, the shared retry policy. */
import * as openai from 'openai';
import { describe, expect, it } from 'vitest';
import { resolveOpenAiBaseUrl, resolveOpenAiKey } from '../../src/llm/config.ts';
import { vendorOf } from '../../src/llm/openai.ts';
import { costOrUnknown, DEFAULT_PRICES, hasPrice } from '../../src/llm/prices.ts';
import { decideRetry } from '../../src/llm/retry.ts';
import { costText } from '../../src/orchestrator/status.ts';
import { thrownUserError } from '../support.ts';
import { retryContextFor } from './retry-context.ts';

const ctx = retryContextFor({ model: 'llama3.1:8b', random: () => 0.5, vendor: vendorOf(openai) });

/** An error as the openai SDK builds it from a response (the body's inner `error` object). */
const apiError = (status: number, message: string, headers: Record<string, string> = {}) =>
  openai.APIError.generate(status, { error: { message, type: 'invalid_request_error' } }, undefined, new Headers(headers));

describe('OpenAI-compatible settings', () => {
  it('OPENAI_BASE_URL takes a preset name or a URL; unset is the OpenAI API', () => {
    expect(resolveOpenAiBaseUrl({})).toBe('https://api.openai.com/v1');
    expect(resolveOpenAiBaseUrl({ OPENAI_BASE_URL: 'ollama' })).toBe('http://localhost:11434/v1');
    expect(resolveOpenAiBaseUrl({ OPENAI_BASE_URL: 'lmstudio' })).toBe('http://localhost:1234/v1');
    expect(resolveOpenAiBaseUrl({ OPENAI_BASE_URL: 'vllm' })).toBe('http://localhost:8000/v1');
    expect(resolveOpenAiBaseUrl({ OPENAI_BASE_URL: 'openrouter' })).toBe('https://openrouter.ai/api/v1');
    expect(resolveOpenAiBaseUrl({ OPENAI_BASE_URL: 'http://gpu-box:9000/v1/' })).toBe('http://gpu-box:9000/v1');
    expect(thrownUserError(() => resolveOpenAiBaseUrl({ OPENAI_BASE_URL: 'https://' })).code).toBe('E_CONFIG');
  });

  it('a key is required by the hosted APIs only', () => {
    expect(thrownUserError(() => resolveOpenAiKey({}, 'https://openrouter.ai/api/v1')).code).toBe('E_LLM_AUTH');
    expect(resolveOpenAiKey({}, 'http://localhost:11434/v1')).toBeUndefined();
    expect(resolveOpenAiKey({ OPENAI_API_KEY: ' sk-x ' }, 'https://api.openai.com/v1')).toBe('sk-x');
  });

  it('an unpriced model costs unknown, never $0', () => {
    const usage = { inputTokens: 1000, outputTokens: 1000, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    expect(hasPrice('llama3.1:8b', DEFAULT_PRICES)).toBe(false);
    expect(costOrUnknown('llama3.1:8b', usage, DEFAULT_PRICES)).toBeNull();
    expect(costOrUnknown('claude-haiku-5-5', usage, DEFAULT_PRICES)).toBeCloseTo(0.0006, 10);
    expect(costText({ costUsd: 0, unpricedCalls: 3 })).toBe('unknown (3 unpriced)');
    expect(costText({ costUsd: 0.5, unpricedCalls: 1 })).toBe('$0.5000 + unknown (1 unpriced)');
    expect(costText({ costUsd: 0, unpricedCalls: 0 })).toBe('$0.0000');
  });
});

describe('the one retry policy over the openai SDK', () => {
  it('401 names OPENAI_API_KEY; 404 on a model names the model; 400 is not retried', () => {
    const auth = decideRetry(apiError(401, 'bad key'), ctx());
    expect(auth.retry === false && auth.error.code).toBe('E_LLM_AUTH');
    expect(auth.retry === false && auth.error.message).toContain('OPENAI_API_KEY');
    const model = decideRetry(apiError(404, 'model "llama3.1:8b" not found, try pulling it first'), ctx());
    expect(model.retry === false && model.error.oneLine()).toMatch(/E_LLM_MODEL.*llama3\.1:8b/);
    const bad = decideRetry(apiError(400, 'bad things'), ctx());
    expect(bad.retry === false && bad.error.message).toBe('OpenAI-compatible server rejected the request: 400 invalid_request_error: bad things');
  });

  it('429 honours retry-after; 500 and connection errors back off; an abort cancels', () => {
    expect(decideRetry(apiError(429, 'slow', { 'retry-after': '2' }), ctx())).toMatchObject({ retry: true, delayMs: 2000 });
    expect(decideRetry(apiError(500, 'oops'), ctx())).toMatchObject({ retry: true, delayMs: 500 });
    expect(decideRetry(new openai.APIConnectionError({ message: 'refused' }), ctx())).toMatchObject({ retry: true, reason: 'connection error' });
    const aborted = decideRetry(new openai.APIUserAbortError(), ctx());
    expect(aborted.retry === false && aborted.error.code).toBe('E_CANCELLED');
    const spent = decideRetry(apiError(500, 'oops'), ctx({ retriesSoFar: 4 }));
    expect(spent.retry === false && spent.error.message).toMatch(/^OpenAI-compatible server call failed after 4 retries/);
  });
});
