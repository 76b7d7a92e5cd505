/**
 * Checks on the provider's environment settings, so a bad key or URL fails before any call with
 * one line that never contains the key.
 */
import { UserError } from '../core/index.ts';
import { OPENAI_PRESETS, type OpenAiPreset } from './openai-presets.ts';

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
export function validateBaseUrl(url: string, variable = 'ANTHROPIC_BASE_URL', example = DEFAULT_BASE_URL): string {
  const trimmed = url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new UserError('E_CONFIG', `${variable} "${withoutCredentials(trimmed)}" is not a valid http(s) URL`, {
      expected: `an absolute URL such as ${example}`,
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

/**
 * The OpenAI-compatible base URL from `env.OPENAI_BASE_URL`: a preset name (`ollama`, `lmstudio`,
 * `vllm`, `openrouter`, `openai`) or an absolute URL; unset = the OpenAI API.
 * @throws UserError `E_CONFIG` for anything else.
 */
export function resolveOpenAiBaseUrl(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env['OPENAI_BASE_URL']?.trim() ?? '';
  if (raw === '') return OPENAI_PRESETS.openai;
  if (Object.hasOwn(OPENAI_PRESETS, raw)) return OPENAI_PRESETS[raw as OpenAiPreset];
  if (!/^https?:/i.test(raw)) {
    throw new UserError('E_CONFIG', `OPENAI_BASE_URL "${withoutCredentials(raw)}" is neither a preset nor a URL`, { expected: `one of ${Object.keys(OPENAI_PRESETS).join(', ')}, or an http(s) URL` });
  }
  return validateBaseUrl(raw, 'OPENAI_BASE_URL', OPENAI_PRESETS.ollama);
}

/**
 * `env.OPENAI_API_KEY` (trimmed), or undefined for a server that needs none.
 * @throws UserError `E_LLM_AUTH` when it is unset for the hosted APIs (api.openai.com, openrouter.ai).
 */
export function resolveOpenAiKey(env: Readonly<Record<string, string | undefined>>, baseURL: string): string | undefined {
  const key = env['OPENAI_API_KEY']?.trim() || undefined;
  const hosted = [OPENAI_PRESETS.openai, OPENAI_PRESETS.openrouter].some((u) => new URL(u).host === new URL(baseURL).host);
  if (!key && hosted) {
    throw new UserError('E_LLM_AUTH', `no OPENAI_API_KEY set for ${new URL(baseURL).host}: export OPENAI_API_KEY=… or set OPENAI_BASE_URL to a local server (ollama, lmstudio, vllm)`);
  }
  return key;
}
