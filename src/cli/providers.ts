/**
 * Building the LLM provider a command asked for, from flags, stored settings and env.
 * The API key is read here and handed to the adapter only; it is never stored or printed.
 */
import path from 'node:path';
import { UserError } from '../core/index.ts';
import { Budget, DEFAULT_PRICES, createReplayProvider, loadRecording, resolveApiKey, resolveBaseUrl, type LlmProvider, type Recording } from '../llm/index.ts';
import type { DialogueSettings } from '../orchestrator/index.ts';
import type { CliContext } from './context.ts';

/** The provider, and the recording when replaying. */
export interface ProviderChoice {
  provider: LlmProvider;
  recording?: Recording;
}

/**
 * Resolves which provider to use when none was named: replay when a recording was given,
 * anthropic when a key is set, otherwise a one-line error saying how to get either.
 * @throws UserError E_LLM_AUTH when no provider can be chosen.
 */
export function chooseProviderName(explicit: string | undefined, replayDir: string | undefined, env: CliContext['env']): 'anthropic' | 'replay' {
  if (explicit === 'replay' || explicit === 'anthropic') return explicit;
  if (explicit !== undefined) throw new UserError('E_USAGE', `unknown provider "${explicit}"`, { expected: 'anthropic or replay' });
  if (replayDir) return 'replay';
  resolveApiKey(env); // throws the "how to set a key or use --provider replay" line
  return 'anthropic';
}

/**
 * Builds the provider for `settings`. The Anthropic adapter (and with it the SDK) is imported
 * here, on demand, so commands that make no call never load it.
 * @throws UserError E_USAGE when replay has no folder; E_LLM_AUTH without a key; E_CONFIG for a bad base URL.
 */
export async function buildProvider(ctx: CliContext, settings: DialogueSettings, spentUsd = 0): Promise<ProviderChoice> {
  if (settings.provider === 'replay') {
    if (!settings.replayDir) throw new UserError('E_USAGE', '--provider replay needs --replay <dir>', { expected: 'a recorded dialogue folder' });
    const recording = loadRecording(path.resolve(ctx.cwd, settings.replayDir));
    return { provider: createReplayProvider(recording), recording };
  }
  const apiKey = resolveApiKey(ctx.env);
  const { createAnthropicProvider } = await import('../llm/anthropic.ts');
  const provider = createAnthropicProvider({
    apiKey,
    baseURL: resolveBaseUrl(ctx.env),
    prices: DEFAULT_PRICES,
    budget: new Budget(settings.maxCostUsd, spentUsd),
  });
  return { provider };
}

/**
 * The LLM judge of a run: the expert provider when judging is on and the provider can judge
 * (replay has no judge). Undefined = deterministic synthesis only.
 */
export function judgeFor(settings: DialogueSettings, choice: ProviderChoice): LlmProvider | undefined {
  return settings.judge && settings.provider !== 'replay' ? choice.provider : undefined;
}
