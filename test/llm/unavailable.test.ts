/**
 * The retry policy's "provider unavailable" verdicts: a rejected key, a spend or credit limit
 * recognised by error type and code (Anthropic `billing_error` and `error_code`, the openai SDK's
 * `insufficient_quota`), and a host that refuses connections or has no address once the retries
 * are spent — each a ProviderUnavailable naming its cause, never retried.
 */
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import * as openai from 'openai';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/core/index.ts';
import { ANTHROPIC_VENDOR } from '../../src/llm/anthropic.ts';
import { vendorOf } from '../../src/llm/openai.ts';
import { ProviderUnavailable, isFatalLlmError, unavailableCause } from '../../src/llm/port.ts';
import { decideRetry, isSpendLimit, unreachableCode } from '../../src/llm/retry.ts';
import { retryContextFor } from './retry-context.ts';

const anthropicCtx = retryContextFor({ model: 'claude-opus-5-5', random: () => 0.25, vendor: ANTHROPIC_VENDOR });
const openaiCtx = retryContextFor({ model: 'gpt-5', random: () => 0.25, vendor: vendorOf(openai) });

const anthropicError = (status: number, type: string, message: string, details?: object) =>
  APIError.generate(status, { type: 'error', error: { type, message, ...(details ? { details } : {}) } }, undefined, new Headers());
const openaiError = (status: number, body: { message: string; type?: string; code?: string }) => openai.APIError.generate(status, { error: body }, undefined, new Headers());

/** The verdict's cause, or 'retry'. */
function verdict(d: ReturnType<typeof decideRetry>): string {
  if (d.retry) return 'retry';
  return d.error instanceof ProviderUnavailable ? d.error.unavailable : `plain ${d.error.code}`;
}

/** A connection error as undici reports it: the system code on the cause's cause. */
const refused = (code: string) => new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`connect ${code}`), { code }) }) });

describe('provider unavailable, by type and code', () => {
  it('401/403: auth, code E_LLM_AUTH', () => {
    for (const status of [401, 403]) {
      const d = decideRetry(anthropicError(status, 'authentication_error', 'invalid x-api-key'), anthropicCtx());
      expect(verdict(d)).toBe('auth');
      expect(!d.retry && d.error.code).toBe('E_LLM_AUTH');
    }
  });

  it('spend and credit limits from error types and codes, whatever the wording', () => {
    const limits = [
      anthropicError(429, 'rate_limit_error', 'x', { error_code: 'enforced_spend_limit_reached' }),
      anthropicError(400, 'billing_error', 'x'),
      anthropicError(402, 'payment_required', 'x'),
      anthropicError(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
    ];
    for (const err of limits) {
      expect(isSpendLimit(err)).toBe(true);
      expect(verdict(decideRetry(err, anthropicCtx()))).toBe('spend_limit');
    }
    const quota = openaiError(429, { message: 'x', type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(verdict(decideRetry(quota, openaiCtx()))).toBe('spend_limit');
    const codeOnly = openaiError(429, { message: 'x', code: 'insufficient_quota' });
    expect(verdict(decideRetry(codeOnly, openaiCtx()))).toBe('spend_limit');
  });

  it('a plain rate limit or a bad request is no spend limit', () => {
    expect(verdict(decideRetry(anthropicError(429, 'rate_limit_error', 'slow down'), anthropicCtx()))).toBe('retry');
    expect(verdict(decideRetry(anthropicError(400, 'invalid_request_error', 'max_tokens too large'), anthropicCtx()))).toBe('plain E_LLM');
    expect(verdict(decideRetry(openaiError(429, { message: 'Rate limit reached', code: 'rate_limit_exceeded' }), openaiCtx()))).toBe('retry');
  });

  it('ECONNREFUSED / ENOTFOUND are retried, then unreachable once the retries are spent; a dropped connection stays a plain failure', () => {
    expect(unreachableCode(refused('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(verdict(decideRetry(refused('ECONNREFUSED'), anthropicCtx({ retriesSoFar: 0 })))).toBe('retry');
    const last = decideRetry(refused('ENOTFOUND'), anthropicCtx({ retriesSoFar: 4 }));
    expect(verdict(last)).toBe('unreachable');
    expect(!last.retry && last.error.message).toBe('Anthropic is unreachable (ENOTFOUND) after 4 retries; check ANTHROPIC_BASE_URL and the network');
    const dropped = new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(verdict(decideRetry(dropped, anthropicCtx({ retriesSoFar: 4 })))).toBe('plain E_LLM');
    expect(verdict(decideRetry(new openai.APIConnectionError({ message: 'x', cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), openaiCtx({ retriesSoFar: 4 })))).toBe('unreachable');
  });

  it('unavailableCause and isFatalLlmError: every unavailability stops the round', () => {
    expect(unavailableCause(new ProviderUnavailable('consecutive_failures', 'x'))).toBe('consecutive_failures');
    expect(unavailableCause(new BlueError('E_LLM_AUTH', 'claude is not logged in'))).toBe('auth');
    expect(unavailableCause(new BlueError('E_LLM', '500'))).toBeUndefined();
    expect(isFatalLlmError(new ProviderUnavailable('spend_limit', 'x'))).toBe(true);
    expect(isFatalLlmError(new BlueError('E_LLM', '500'))).toBe(false);
  });
});
