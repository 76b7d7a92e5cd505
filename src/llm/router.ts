/**
 * Mixed-model panels: one provider port over several providers, chosen per call by a
 * `provider:model` id (`openai:llama3.1:8b`). Ids without a known provider prefix go to the base
 * provider, so `llama3.1:8b` alone is a model of the base provider, not a provider named `llama3.1`.
 */
import { UserError } from '../core/index.ts';
import type { CompletionRequest, CompletionResult, LlmProvider, StructuredRequest } from './port.ts';

/**
 * Splits `provider:model` when the prefix is one of `providers`.
 * @returns `{provider, model}` with the prefix removed, or `{model}` unchanged.
 */
export function splitModelId(id: string, providers: readonly string[]): { provider?: string; model: string } {
  const colon = id.indexOf(':');
  const prefix = colon > 0 ? id.slice(0, colon) : '';
  return providers.includes(prefix) ? { provider: prefix, model: id.slice(colon + 1) } : { model: id };
}

/**
 * A provider named like `base` that sends `other:model` calls to `others[other]()` (built on first
 * use) with the prefix stripped. Results of routed calls carry `provider` and the prefixed model id,
 * so the record names who answered each seat.
 * @throws UserError E_USAGE from `completeStructured` when the judge's provider has no structured output.
 */
export function createRoutingProvider(base: LlmProvider, others: Record<string, () => LlmProvider>): LlmProvider {
  const built = new Map<string, LlmProvider>();
  const names = [base.name, ...Object.keys(others)];
  const route = (model: string): { provider: LlmProvider; model: string; routed: boolean } => {
    const split = splitModelId(model, names);
    if (!split.provider || split.provider === base.name) return { provider: base, model: split.model, routed: false };
    let p = built.get(split.provider);
    if (!p) built.set(split.provider, (p = others[split.provider]!()));
    return { provider: p, model: split.model, routed: true };
  };
  const label = (r: CompletionResult, target: LlmProvider, routed: boolean): CompletionResult =>
    routed ? { ...r, provider: target.name, model: `${target.name}:${r.model}` } : r;
  const provider: LlmProvider = {
    name: base.name,
    complete: async (req: CompletionRequest) => {
      const t = route(req.model);
      return label(await t.provider.complete({ ...req, model: t.model }), t.provider, t.routed);
    },
  };
  provider.completeStructured = async <T>(req: StructuredRequest<T>) => {
    const t = route(req.model);
    if (!t.provider.completeStructured) throw new UserError('E_USAGE', `provider ${t.provider.name} cannot judge (no structured output)`, { expected: 'a judge model of another provider, or --no-judge' });
    const out = await t.provider.completeStructured({ ...req, model: t.model });
    return { value: out.value, result: label(out.result, t.provider, t.routed) };
  };
  return provider;
}
