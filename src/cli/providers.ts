/**
 * Building the LLM provider a command asked for, from flags, stored settings and env.
 * The API key is read here and handed to the adapter only; it is never stored or printed.
 */
import path from 'node:path';
import { UserError } from '../core/index.ts';
import { Budget, DEFAULT_PRICES, createClaudeCodeProvider, createOpenAiProvider, createReplayProvider, loadAnthropicAdapter, createRoutingProvider, hasPrice, loadRecording, resolveApiKey, resolveBaseUrl, resolveOpenAiBaseUrl, resolveOpenAiKey, splitModelId, type LlmProvider, type Recording } from '../llm/index.ts';
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
 * Builds the provider for `settings`, its budget starting at `spentUsd` with the output tokens of
 * the dialogue's completed calls (`observed`, by purpose) as its sample. Each adapter (and with it its SDK) is imported here, on
 * demand, so commands that make no call never load one.
 * @throws UserError E_USAGE when replay has no folder or --max-cost meets an unpriced model;
 *   E_LLM_AUTH without a key (anthropic; openai on a hosted API); E_CONFIG for a bad base URL.
 */
export async function buildProvider(ctx: CliContext, settings: DialogueSettings, spentUsd = 0, observed: readonly { purpose: string; outputTokens: number }[] = []): Promise<ProviderChoice> {
  if (settings.provider === 'replay') {
    if (!settings.replayDir) throw new UserError('E_USAGE', '--provider replay needs --replay <dir>', { expected: 'a recorded dialogue folder' });
    const recording = loadRecording(path.resolve(ctx.cwd, settings.replayDir));
    return { provider: createReplayProvider(recording), recording };
  }
  assertPricedUnderCap(settings);
  // One budget for every provider of a mixed panel: --max-cost caps the dialogue, not each provider.
  const budget = new Budget(settings.maxCostUsd, spentUsd);
  // A resumed dialogue reserves from the outputs its stored calls already showed.
  for (const o of observed) budget.estimator.observeOutput(o.purpose, o.outputTokens);
  const base = await buildOne(ctx, settings.provider, budget);
  const others = otherProviders(settings);
  if (others.length === 0) return { provider: base };
  // Built now so a missing key or bad endpoint of any provider fails before the dialogue starts.
  const built = await Promise.all(others.map(async (name) => [name, await buildOne(ctx, name, budget)] as const));
  return { provider: createRoutingProvider(base, Object.fromEntries(built.map(([name, p]) => [name, () => p]))) };
}

type LiveProvider = Exclude<ProviderName, 'replay'>;

/** Providers named by `provider:model` ids in the settings other than the dialogue's own. */
function otherProviders(settings: DialogueSettings): LiveProvider[] {
  const live = PROVIDERS.filter((p): p is LiveProvider => p !== 'replay');
  const named = modelsOf(settings).map((m) => splitModelId(m, live).provider);
  return [...new Set(named)].filter((p): p is LiveProvider => p !== undefined && p !== settings.provider);
}

/** One live provider, reading its key and endpoint from the environment; the Anthropic adapter is loaded here. */
async function buildOne(ctx: CliContext, name: LiveProvider, budget: Budget): Promise<LlmProvider> {
  if (name === 'claude-code') {
    return createClaudeCodeProvider({ env: ctx.env, prices: DEFAULT_PRICES, budget });
  }
  if (name === 'openai') {
    const baseURL = resolveOpenAiBaseUrl(ctx.env);
    return createOpenAiProvider({ baseURL, apiKey: resolveOpenAiKey(ctx.env, baseURL), prices: DEFAULT_PRICES, budget, ...maxRetries(ctx.env) });
  }
  const apiKey = resolveApiKey(ctx.env);
  const { createAnthropicProvider } = await loadAnthropicAdapter();
  return createAnthropicProvider({ apiKey, baseURL: resolveBaseUrl(ctx.env), prices: DEFAULT_PRICES, budget, ...maxRetries(ctx.env) });
}

/**
 * `BLUE_MAX_RETRIES`: retries per call after the first attempt (adapter default 4).
 * @throws UserError E_USAGE when it is not a whole number 0..10.
 */
function maxRetries(env: CliContext['env']): { maxRetries?: number } {
  const raw = env.BLUE_MAX_RETRIES;
  if (raw === undefined || raw === '') return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new UserError('E_USAGE', `BLUE_MAX_RETRIES is "${raw}"`, { expected: 'a whole number from 0 to 10' });
  return { maxRetries: n };
}

/** Every model id a run may call: expert, tier models, and the judge's when judging. */
function modelsOf(settings: DialogueSettings): string[] {
  return [settings.model, ...Object.values(settings.tierModels ?? {}), ...Object.values(settings.expertModels ?? {}), ...(settings.judge ? [settings.judgeModel] : [])];
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
  const unpriced = modelsOf(settings).find((m) => !hasPrice(splitModelId(m, PROVIDERS).model, DEFAULT_PRICES));
  if (unpriced) throw new UserError('E_USAGE', `--max-cost cannot be enforced: model "${unpriced}" has no price, so its cost is unknown`, { where: { field: '--max-cost' }, expected: 'no --max-cost, or models listed in src/llm/prices.json' });
}
