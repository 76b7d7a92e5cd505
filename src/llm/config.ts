/**
 * Checks on the provider's environment settings, so a bad key or URL fails before any call with
 * one line that never contains the key.
 */
import { UserError } from '../core/index.ts';

/** The public Messages API endpoint (SDK default). */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * Masks `user:password@` so a credential inside a URL is never echoed. The URL is malformed
 * when we show it, so no `//` is assumed, and a password holding `@` is masked up to its last `@`.
 */
function withoutCredentials(url: string): string {
  return url.replace(/[^\s/]*@/g, '***@');
}

/**
 * Accepts an absolute http(s) URL and returns it with trailing slashes removed.
 * @throws UserError `E_CONFIG` ('ANTHROPIC_BASE_URL "…" is not a valid http(s) URL'); any
 *   credentials embedded in the URL are masked in the message.
 */
export function validateBaseUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new UserError('E_CONFIG', `ANTHROPIC_BASE_URL "${withoutCredentials(trimmed)}" is not a valid http(s) URL`, {
      expected: `an absolute URL such as ${DEFAULT_BASE_URL}`,
    });
  }
  return trimmed.replace(/\/+$/, '');
}

/**
 * The API key from `env.ANTHROPIC_API_KEY` (trimmed).
 * @throws UserError `E_LLM_AUTH` when it is unset or blank.
 */
export function resolveApiKey(env: Readonly<Record<string, string | undefined>>): string {
  const key = env['ANTHROPIC_API_KEY']?.trim();
  if (!key) {
    throw new UserError(
      'E_LLM_AUTH',
      'no ANTHROPIC_API_KEY set: export ANTHROPIC_API_KEY=… or use --provider replay --replay <dir>',
    );
  }
  return key;
}

/**
 * The base URL from `env.ANTHROPIC_BASE_URL`, validated, or the public endpoint when unset.
 * @throws UserError `E_CONFIG` for a malformed URL.
 */
export function resolveBaseUrl(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env['ANTHROPIC_BASE_URL'];
  return raw === undefined || raw.trim() === '' ? DEFAULT_BASE_URL : validateBaseUrl(raw);
}
