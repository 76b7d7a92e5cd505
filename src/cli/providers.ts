/**
 * Building the LLM provider a command asked for, from flags, stored settings and env.
 * The API key is read here and handed to the adapter only; it is never stored or printed.
 */
import path from 'node:path';
import { UserError } from '../core/index.ts';
import { Budget, DEFAULT_PRICES, createReplayProvider, hasPrice, loadRecording, resolveApiKey, resolveBaseUrl, resolveOpenAiBaseUrl, resolveOpenAiKey, type LlmProvider, type Recording } from '../llm/index.ts';
import { type DialogueSettings, PROVIDERS, type ProviderName } from '../orchestrator/index.ts';
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
export function chooseProviderName(explicit: string | undefined, replayDir: string | undefined, env: CliContext['env']): ProviderName {
  if ((PROVIDERS as readonly string[]).includes(explicit ?? '')) return explicit as ProviderName;
  if (explicit !== undefined) throw new UserError('E_USAGE', `unknown provider "${explicit}"`, { expected: `one of ${PROVIDERS.join(', ')}` });
  if (replayDir) return 'replay';
  resolveApiKey(env); // throws the "how to set a key or use --provider replay" line
  return 'anthropic';
}

/**
 * Builds the provider for `settings`. Each adapter (and with it its SDK) is imported here, on
 * demand, so commands that make no call never load one.
 * @throws UserError E_USAGE when replay has no folder or --max-cost meets an unpriced model;
 *   E_LLM_AUTH without a key (anthropic; openai on a hosted API); E_CONFIG for a bad base URL.
 */
export async function buildProvider(ctx: CliContext, settings: DialogueSettings, spentUsd = 0): Promise<ProviderChoice> {
  if (settings.provider === 'replay') {
    if (!settings.replayDir) throw new UserError('E_USAGE', '--provider replay needs --replay <dir>', { expected: 'a recorded dialogue folder' });
    const recording = loadRecording(path.resolve(ctx.cwd, settings.replayDir));
    return { provider: createReplayProvider(recording), recording };
  }
  if (settings.provider === 'claude-code') {
    const { createClaudeCodeProvider } = await import('../llm/claude-code.ts');
    return { provider: createClaudeCodeProvider({ env: ctx.env, prices: DEFAULT_PRICES, budget: new Budget(settings.maxCostUsd, spentUsd) }) };
  }
  if (settings.provider === 'openai') {
    assertPricedUnderCap(settings);
    const baseURL = resolveOpenAiBaseUrl(ctx.env);
    const { createOpenAiProvider } = await import('../llm/openai.ts');
    return { provider: createOpenAiProvider({ baseURL, apiKey: resolveOpenAiKey(ctx.env, baseURL), prices: DEFAULT_PRICES, budget: new Budget(settings.maxCostUsd, spentUsd) }) };
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

/**
 * `--max-cost` needs a price for every model the run may call: an unpriced (local) model's cost is
 * unknown, so the cap could not be kept.
 * @throws UserError E_USAGE naming the first unpriced model.
 */
function assertPricedUnderCap(settings: DialogueSettings): void {
  if (settings.maxCostUsd === null) return;
  const models = [settings.model, ...Object.values(settings.tierModels ?? {}), ...(settings.judge ? [settings.judgeModel] : [])];
  const unpriced = models.find((m) => !hasPrice(m, DEFAULT_PRICES));
  if (unpriced) throw new UserError('E_USAGE', `--max-cost cannot be enforced: model "${unpriced}" has no price, so its cost is unknown`, { where: { field: '--max-cost' }, expected: 'no --max-cost, or models listed in src/llm/prices.json' });
}
