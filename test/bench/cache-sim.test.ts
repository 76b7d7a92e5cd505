import { describe, expect, it } from 'vitest';
import { cacheMinimum, PromptCache, tokensOfChars } from '../../bench/cache-sim.ts';

/** A body whose system blocks have `chars` characters each; `cached` marks breakpoints (true = 5 min, '1h'). */
function body(model: string, blocks: { text: string; cache?: true | '1h' }[], user = 'ask'): Record<string, unknown> {
  return {
    model,
    max_tokens: 100,
    system: blocks.map((b) => (b.cache ? { type: 'text', text: b.text, cache_control: b.cache === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' } } : { type: 'text', text: b.text })),
    messages: [{ role: 'user', content: user }],
  };
}

const SONNET = 'claude-sonnet-5-5';
const big = 'r'.repeat(4000); // 1,300 tokens: above Sonnet 5.5's 512
const small = 's'.repeat(1000); // 325 tokens: below it

describe('bench prompt cache', () => {
  it('writes at a breakpoint, and a later request reads it only once the writing response has begun', () => {
    const cache = new PromptCache();
    const first = cache.bill(body(SONNET, [{ text: big, cache: true }, { text: 'persona A' }]), 0);
    expect(first.bill).toMatchObject({ write5m: tokensOfChars(4000), read: 0 });
    // Sent before the first response began: a miss, written again.
    const early = cache.bill(body(SONNET, [{ text: big, cache: true }, { text: 'persona B' }]), 10);
    expect(early.bill).toMatchObject({ write5m: tokensOfChars(4000), read: 0 });
    first.begin(50);
    const late = cache.bill(body(SONNET, [{ text: big, cache: true }, { text: 'persona C' }]), 60);
    expect(late.bill).toMatchObject({ write5m: 0, read: tokensOfChars(4000), input: tokensOfChars(4000 + 'persona C'.length + 3) - tokensOfChars(4000) });
  });

  it('caches nothing below the model minimum', () => {
    const cache = new PromptCache();
    const a = cache.bill(body(SONNET, [{ text: small, cache: true }]), 0);
    a.begin(1);
    const b = cache.bill(body(SONNET, [{ text: small, cache: true }]), 5);
    expect([a.bill.write5m, b.bill.read, b.bill.cacheable]).toEqual([0, 0, 0]);
    expect(b.bill.input).toBe(tokensOfChars(1003));
    expect(cacheMinimum('claude-haiku-4-5-20251001')).toBe(4096);
    expect(cacheMinimum('some-local-model')).toBe(4096);
  });

  it('reads a stable head across rounds and writes only the round context after it (two breakpoints)', () => {
    const cache = new PromptCache();
    const r0 = cache.bill(body(SONNET, [{ text: big, cache: true }, { text: 'round 0 '.repeat(300), cache: true }]), 0);
    r0.begin(1);
    const r1 = cache.bill(body(SONNET, [{ text: big, cache: true }, { text: 'round 1 '.repeat(300), cache: true }]), 1000);
    expect(r1.bill.read).toBe(tokensOfChars(4000));
    expect(r1.bill.write5m).toBe(tokensOfChars(4000 + 2400) - tokensOfChars(4000));
  });

  it('finds an entry up to 20 blocks before a breakpoint (the incremental transcript)', () => {
    const cache = new PromptCache();
    const t = ['t0 '.repeat(500), 't1 '.repeat(500), 't2 '.repeat(500)];
    const r1 = cache.bill(body(SONNET, [{ text: t[0]! }, { text: t[1]!, cache: true }]), 0);
    r1.begin(1);
    const r2 = cache.bill(body(SONNET, [{ text: t[0]! }, { text: t[1]! }, { text: t[2]!, cache: true }]), 100);
    expect(r2.bill.read).toBe(tokensOfChars(3000));
    expect(r2.bill.write5m).toBe(tokensOfChars(4500) - tokensOfChars(3000));
  });

  it('expires an entry 5 minutes after the last request that used it, 1 hour with ttl 1h, and refreshes on a hit', () => {
    const cache = new PromptCache();
    const min = 60_000;
    cache.bill(body(SONNET, [{ text: big, cache: true }]), 0).begin(1);
    cache.bill(body(SONNET, [{ text: big, cache: true }]), 4 * min).begin(4 * min + 1); // hit: lives to 9 min
    expect(cache.bill(body(SONNET, [{ text: big, cache: true }]), 8 * min).bill.read).toBeGreaterThan(0);
    expect(cache.bill(body(SONNET, [{ text: big, cache: true }]), 14 * min).bill.read).toBe(0);
    const hour = new PromptCache();
    const w = hour.bill(body(SONNET, [{ text: big, cache: '1h' }]), 0);
    expect(w.bill).toMatchObject({ write1h: tokensOfChars(4000), write5m: 0 });
    w.begin(1);
    expect(hour.bill(body(SONNET, [{ text: big, cache: '1h' }]), 50 * min).bill.read).toBe(tokensOfChars(4000));
  });

  it('rejects a fifth breakpoint like the API', () => {
    const blocks = Array.from({ length: 5 }, (_, i) => ({ text: `${i}`.repeat(900), cache: true as const }));
    expect(() => new PromptCache().bill(body(SONNET, blocks), 0)).toThrow(/5 cache_control blocks: the API allows 4/);
  });
});
