/**
 * The bench's prompt cache, billing a Messages API request body the way Anthropic documents it:
 * breakpoints are the request's own `cache_control` blocks (tools → system → messages), a
 * breakpoint below the model's minimum cacheable length caches nothing, a hit is looked up at each
 * breakpoint and up to 20 blocks before it, an entry is readable by other requests only once the
 * response that wrote it has begun, and it lives 5 minutes (or 1 hour with `ttl: '1h'`) from the
 * start of the last request that wrote or read it. Pure bookkeeping over an injected time (ms).
 */
import { createHash } from 'node:crypto';
import { cacheMinimum as tableCacheMinimum } from '../src/llm/models.ts';
import { CHARS_PER_TOKEN } from '../src/llm/tokens.ts';

/**
 * Minimum cacheable tokens of `model`: the dated table of `src/llm/models.json` (longest listed
 * prefix), and for a model it does not know (another provider's) the largest documented minimum,
 * so the bench caches least and flatters least.
 */
export function cacheMinimum(model: string): number {
  return tableCacheMinimum(model) ?? UNKNOWN_MODEL_CACHE_MINIMUM;
}

/** Minimum for a model `src/llm/models.json` does not list at all. */
export const UNKNOWN_MODEL_CACHE_MINIMUM = 4096;

/** Tokens on the current tokenizer per token on the older one (issue 10's measurement). */
const TOKENIZER_RATIO = 1.3;

/**
 * Tokens of `chars` characters: {@link CHARS_PER_TOKEN} (4) characters per token on the older tokenizer, ×1.3 on the
 * current one (issue 10's measurement), the same for every layout compared.
 */
export const tokensOfChars = (chars: number): number => Math.ceil((chars * TOKENIZER_RATIO) / CHARS_PER_TOKEN);

/** The characters that fit in `tokens` tokens at {@link tokensOfChars}'s rate (its inverse, rounded down). */
export const charsOfTokens = (tokens: number): number => Math.floor((tokens * CHARS_PER_TOKEN) / TOKENIZER_RATIO);

/** How many blocks before a breakpoint a hit is looked for (docs: 20). */
const LOOKBACK = 20;
const MINUTE = 60_000;
/** Breakpoints per request the API accepts. */
export const MAX_BREAKPOINTS = 4;

/** One block of the prompt in billing order. */
interface Flat {
  text: string;
  cache?: { ttl?: string } | undefined;
}

type Blocky = string | { type?: string; text?: string; cache_control?: { ttl?: string } }[];

function flatten(body: Record<string, unknown>): { blocks: Flat[]; extraChars: number } {
  const blocks: Flat[] = [];
  const push = (content: Blocky | undefined): void => {
    if (content === undefined) return;
    if (typeof content === 'string') blocks.push({ text: content });
    else for (const b of content) blocks.push({ text: b.text ?? JSON.stringify(b), cache: b.cache_control });
  };
  for (const t of (body.tools as Record<string, unknown>[] | undefined) ?? []) {
    const { cache_control, ...rest } = t as { cache_control?: { ttl?: string } };
    blocks.push({ text: JSON.stringify(rest), cache: cache_control });
  }
  push(body.system as Blocky | undefined);
  for (const m of (body.messages as { content: Blocky }[] | undefined) ?? []) push(m.content);
  // A JSON-schema output format is sent to the model as instructions: billed input, never cached.
  const extraChars = body.output_config ? JSON.stringify(body.output_config).length : 0;
  return { blocks, extraChars };
}

/** What one request is billed for (tokens). */
export interface Bill {
  model: string;
  input: number;
  write5m: number;
  write1h: number;
  read: number;
  /** Breakpoints the request sent / that were long enough to cache. */
  breakpoints: number;
  cacheable: number;
}

interface Entry {
  /** When the writing response began (entry readable from then on), ms; Infinity until then. */
  readableAt: number;
  expiresAt: number;
}

/** A cache shared by every request of one workspace. */
export class PromptCache {
  readonly #entries = new Map<string, Entry>();

  /**
   * Bills `body` arriving at `now` (ms) and notes the entries it writes; they become readable when
   * `begin(at)` is called (the response's `message_start`).
   * @throws Error for more than {@link MAX_BREAKPOINTS} breakpoints (the API answers 400).
   */
  bill(body: Record<string, unknown>, now: number): { bill: Bill; begin: (at: number) => void } {
    const model = String(body.model);
    const { blocks, extraChars } = flatten(body);
    const hash = createHash('sha1').update(model);
    const keys: string[] = [];
    const chars: number[] = [];
    let sum = 0;
    for (const b of blocks) {
      hash.update(b.text);
      keys.push(hash.copy().digest('base64'));
      sum += b.text.length;
      chars.push(sum);
    }
    const total = tokensOfChars(sum + extraChars);
    const at = (i: number): number => (i < 0 ? 0 : tokensOfChars(chars[i]!));
    const bps = blocks.flatMap((b, i) => (b.cache ? [i] : []));
    if (bps.length > MAX_BREAKPOINTS) throw new Error(`${bps.length} cache_control blocks: the API allows ${MAX_BREAKPOINTS}`);
    const min = cacheMinimum(model);
    const cacheable = bps.filter((i) => at(i) >= min);
    const hit = this.#lookup(keys, cacheable, now);
    const writes = cacheable.filter((i) => i > hit);
    const last = writes.at(-1) ?? hit;
    const read = at(hit);
    // Tokens between the hit and the last breakpoint are written at the TTL of the breakpoint that covers them.
    let write5m = 0;
    let write1h = 0;
    let from = hit;
    for (const i of writes) {
      const n = at(i) - at(from);
      if (blocks[i]!.cache?.ttl === '1h') write1h += n;
      else write5m += n;
      from = i;
    }
    if (hit >= 0) this.#refresh(keys[hit]!, blocks, hit, bps, now);
    const bill: Bill = { model, input: total - at(last), write5m, write1h, read, breakpoints: bps.length, cacheable: cacheable.length };
    const pending = writes.map((i) => ({ key: keys[i]!, ttl: blocks[i]!.cache?.ttl === '1h' ? 60 * MINUTE : 5 * MINUTE }));
    for (const p of pending) if (!this.#entries.has(p.key)) this.#entries.set(p.key, { readableAt: Infinity, expiresAt: now + p.ttl });
    const begin = (began: number): void => {
      for (const p of pending) {
        const e = this.#entries.get(p.key)!;
        e.readableAt = Math.min(e.readableAt, began);
        e.expiresAt = Math.max(e.expiresAt, now + p.ttl);
      }
    };
    return { bill, begin };
  }

  /** The deepest block boundary (within the lookback of a cacheable breakpoint) with a live, readable entry; -1 for none. */
  #lookup(keys: string[], cacheable: number[], now: number): number {
    for (const bp of [...cacheable].reverse()) {
      for (let j = bp; j >= Math.max(0, bp - LOOKBACK + 1); j--) {
        const e = this.#entries.get(keys[j]!);
        if (e && e.readableAt <= now && e.expiresAt > now) return j;
      }
    }
    return -1;
  }

  /** A hit refreshes the entry's lifetime from this request's start, at the TTL of the breakpoint covering it. */
  #refresh(key: string, blocks: Flat[], hit: number, bps: number[], now: number): void {
    const covering = bps.find((i) => i >= hit);
    const ttl = covering !== undefined && blocks[covering]!.cache?.ttl === '1h' ? 60 * MINUTE : 5 * MINUTE;
    const e = this.#entries.get(key)!;
    e.expiresAt = Math.max(e.expiresAt, now + ttl);
  }
}
