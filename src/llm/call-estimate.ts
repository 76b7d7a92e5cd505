/**
 * What a call will really cost, learnt from this dialogue's own calls: output from the p90 of the
 * role's completed calls, input from the prompt's size (or the exact token count a previous call
 * with the same cached prefix reported), priced as cache write / read the way the layout is billed.
 */
import { createHash } from 'node:crypto';
import { costUsd, RESERVE_CHARS_PER_TOKEN, type PriceTable } from './prices.ts';
import type { CompletionRequest, Usage } from './port.ts';

/** Share of a role's completed outputs at or below the reserved output (nearest-rank percentile). */
const OUTPUT_PERCENTILE = 0.9;

/** A cache breakpoint's prefix as this dialogue has seen it billed. */
interface PrefixState {
  /** `cached` once a call read or wrote it (or one is in flight with it), `uncacheable` when a call with it reported no cache (below the model's minimum). */
  state: 'cached' | 'uncacheable';
  /** Exact tokens up to this breakpoint, when a call's usage told us. */
  tokens?: number;
}

/** The token split a reservation is priced from. */
export interface CallEstimate {
  usd: number;
  usage: Usage;
}

/** Characters of each cache breakpoint's prefix (system blocks up to one with `cache`), in order, plus the whole prompt's. */
function layout(req: Pick<CompletionRequest, 'system' | 'messages'>): { prefixes: { chars: number; text: string }[]; total: number } {
  const prefixes: { chars: number; text: string }[] = [];
  let text = '';
  for (const b of req.system) {
    text += b.text;
    if (b.cache) prefixes.push({ chars: text.length, text });
  }
  const total = text.length + req.messages.reduce((n, m) => n + m.content.length, 0);
  return { prefixes, total };
}

const keyOf = (model: string, text: string): string => `${model}\u0000${createHash('sha1').update(text).digest('base64')}`;

/** Nearest-rank percentile of `xs` (non-empty). */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Learns from settled calls and prices the next one. One per dialogue run (held by the budget).
 * Before a role has a completed call its output is reserved at the full `maxTokens` (nothing
 * better is known); input falls back to {@link RESERVE_CHARS_PER_TOKEN} characters per token.
 */
export class CallEstimator {
  readonly #outputs = new Map<string, number[]>();
  readonly #prefixes = new Map<string, PrefixState>();
  /** Fewest characters per token seen per model (the conservative ratio). */
  readonly #charsPerToken = new Map<string, number>();
  /** In-flight calls per cached prefix: a call released after the first one began reads its entry. */
  readonly #inFlight = new Map<string, number>();

  /** Adds a completed call's output to its role's sample (a resumed dialogue's stored calls). */
  observeOutput(purpose: string, outputTokens: number): void {
    this.#outputs.set(purpose, [...(this.#outputs.get(purpose) ?? []), outputTokens]);
  }

  /** Output tokens to reserve for `req`: the role's p90, never above `maxTokens`. */
  outputTokens(req: Pick<CompletionRequest, 'meta' | 'maxTokens'>): number {
    const seen = this.#outputs.get(req.meta.purpose);
    return seen && seen.length > 0 ? Math.min(req.maxTokens, percentile(seen, OUTPUT_PERCENTILE)) : req.maxTokens;
  }

  /**
   * The expected bill of `req` in USD with its token split: the longest breakpoint prefix known cached
   * is read, the rest up to the last breakpoint written (unless a call showed it uncacheable), the
   * remainder plain input.
   * @throws UserError `E_LLM_MODEL` when the model has no price.
   */
  estimate(req: CompletionRequest, prices: PriceTable): CallEstimate {
    const { prefixes, total } = layout(req);
    const cpt = this.#charsPerToken.get(req.model) ?? RESERVE_CHARS_PER_TOKEN;
    const tok = (chars: number): number => Math.ceil(chars / cpt);
    const states = prefixes.map((p) => this.#state(req.model, p.text));
    const tokensAt = (i: number): number => states[i]?.tokens ?? tok(prefixes[i]!.chars);
    // A prefix another call is streaming with has its entry readable once that response began.
    const hit = prefixes.map((p, i) => states[i]?.state === 'cached' || (states[i] === undefined && this.#inFlight.has(keyOf(req.model, p.text)))).lastIndexOf(true);
    const last = prefixes.length - 1;
    const read = hit >= 0 ? tokensAt(hit) : 0;
    const cacheable = last >= 0 && states[last]?.state !== 'uncacheable';
    const write = cacheable ? Math.max(0, tokensAt(last) - read) : 0;
    const covered = cacheable ? prefixes[last]!.chars : hit >= 0 ? prefixes[hit]!.chars : 0;
    const usage: Usage = {
      inputTokens: tok(total - covered),
      outputTokens: this.outputTokens(req),
      cacheCreationInputTokens: write,
      cacheReadInputTokens: read,
    };
    return { usd: costUsd(req.model, usage, prices), usage };
  }

  /** Notes a call about to be sent (its prefixes count as in flight until {@link settle}). */
  start(req: CompletionRequest): void {
    for (const p of layout(req).prefixes) {
      const key = keyOf(req.model, p.text);
      this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    }
  }

  /**
   * Learns from a call that was billed (`usage`, or undefined when nothing was billed) and ends
   * its in-flight mark. A completed call (`completed`) adds its output to the role's sample.
   */
  settle(req: CompletionRequest, usage: Usage | undefined, completed: boolean): void {
    const { prefixes, total } = layout(req);
    for (const p of prefixes) {
      const key = keyOf(req.model, p.text);
      const n = (this.#inFlight.get(key) ?? 1) - 1;
      if (n > 0) this.#inFlight.set(key, n);
      else this.#inFlight.delete(key);
    }
    if (!usage) return;
    if (completed) this.observeOutput(req.meta.purpose, usage.outputTokens);
    const cached = usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
    const last = prefixes.at(-1);
    if (last) {
      // Cache counters cover the prompt up to its last breakpoint; zero means below the model's minimum.
      const state: PrefixState = cached > 0 ? { state: 'cached', tokens: cached } : { state: 'uncacheable' };
      this.#prefixes.set(keyOf(req.model, last.text), state);
      for (const p of prefixes.slice(0, -1)) {
        const key = keyOf(req.model, p.text);
        if (!this.#prefixes.has(key)) this.#prefixes.set(key, { state: state.state });
      }
    }
    const plainChars = cached > 0 && last ? total - last.chars : total;
    if (usage.inputTokens > 0 && plainChars > 0) {
      const ratio = plainChars / usage.inputTokens;
      this.#charsPerToken.set(req.model, Math.min(ratio, this.#charsPerToken.get(req.model) ?? Infinity));
    }
  }

  #state(model: string, text: string): PrefixState | undefined {
    return this.#prefixes.get(keyOf(model, text));
  }
}
