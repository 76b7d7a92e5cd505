import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokensOfChars } from '../../bench/cache-sim.ts';
import { startMessagesSim, type MessagesSim, type Served } from '../../bench/messages-sim.ts';
import { EFFORT_THINKING_FACTOR, followWordLimit, modelReply, statedWordLimit } from '../../bench/model-reply.ts';
import { baseOf, NAIVE_MAX_TOKENS, naiveBody } from '../../bench/naive.ts';
import { createAnthropicProvider } from '../../src/llm/anthropic.ts';
import type { CompletionRequest } from '../../src/llm/port.ts';
import { DEFAULT_PRICES } from '../../src/llm/prices.ts';

/** A marker answer of 2 perspectives (3 sentences of 10 words each) and a tension, ending `---`. */
const ANSWER = [
  '[PERSPECTIVE P01: the retry budget needs an owner]',
  'One two three four five six seven eight nine ten. One two three four five six seven eight nine ten. One two three four five six seven eight nine ten.',
  '',
  '[PERSPECTIVE P02: the cache must fail closed]',
  'Uno dos tres cuatro cinco seis siete ocho nueve diez. Uno dos tres cuatro cinco seis siete ocho nueve diez.',
  '',
  '[TENSION T01: cost versus safety]',
  'Eins zwei drei vier fünf sechs sieben acht neun zehn.',
  '',
  '---',
  '',
].join('\n');
const words = (t: string): number => t.replace(/^---$/m, '').split(/\s+/).filter(Boolean).length;

describe('simulated model: word limit (pure)', () => {
  it('reads the stated limit from the system prompt or a message, and none from a prompt without one', () => {
    expect(statedWordLimit({ system: [{ type: 'text', text: 'Rules.\n- Answer in at most 300 words.\n' }], messages: [] })).toBe(300);
    expect(statedWordLimit({ system: 'Rules.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Answer in at most 42 words.' }] }] })).toBe(42);
    expect(statedWordLimit({ system: 'Rules without a limit.', messages: [{ role: 'user', content: 'go' }] })).toBeNull();
  });

  it('cuts at the last sentence that fits, keeps whole marker lines, never ends on a bare marker, and closes with ---', () => {
    const cut = followWordLimit(ANSWER, 40);
    // P01's label (8 words) + three 10-word sentences = 38; P02's label would pass 40 and would stand bare.
    expect(cut).toBe(`${ANSWER.split('\n').slice(0, 2).join('\n')}\n\n---\n`);
    expect(words(cut)).toBeLessThanOrEqual(40);
    const mid = followWordLimit(ANSWER, 30);
    expect(mid.endsWith('nine ten. One two three four five six seven eight nine ten.\n\n---\n')).toBe(true);
    expect(words(mid)).toBe(28);
    expect(followWordLimit(ANSWER, 1000)).toBe(ANSWER);
  });

  it('thinks by effort: the factor of the requested level, else the model default, none for between_tools, capped by budget_tokens', () => {
    const atHigh = { tokens: 1000, ms: 500 };
    const reply = (extra: Record<string, unknown>, model = 'claude-sonnet-5-5') => modelReply({ model, max_tokens: 8000, system: 'x', messages: [], ...extra }, 'Short answer.\n---\n', atHigh);
    expect(reply({}).thinking).toEqual({ tokens: 1000, ms: 500 }); // Sonnet 5.5 defaults to high
    expect(reply({}, 'claude-haiku-5-5').thinking.tokens).toBe(1000 * EFFORT_THINKING_FACTOR.medium); // Haiku 5.5 defaults to medium
    expect(reply({ output_config: { effort: 'low' } }).thinking).toEqual({ tokens: 250, ms: 125 });
    expect(reply({ output_config: { effort: 'max' } }).thinking.tokens).toBe(2000);
    expect(reply({ thinking: { type: 'between_tools' }, output_config: { effort: 'high' } }).thinking).toEqual({ tokens: 0, ms: 0 });
    expect(reply({ thinking: { type: 'enabled', budget_tokens: 1024 }, output_config: { effort: 'max' } }).thinking.tokens).toBe(1024);
  });
});

describe('naive layouts', () => {
  const served = {
    purpose: 'expert',
    expert: 'muffin',
    round: 0,
    body: {
      model: 'claude-sonnet-5-5',
      max_tokens: 2832,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'medium' },
      system: [{ type: 'text', text: 'Rules.\n- Answer in at most 300 words.\n\n## Question\n\nQ?\n' }, { type: 'text', text: 'You are Muffin 🧁, a reviewer.' }],
      messages: [{ role: 'user', content: 'Give your perspective.' }],
    },
  } as unknown as Served;

  it("send no limit and no thinking/effort as a naive tool would, or Blue's limit line, thinking, effort and max_tokens", () => {
    const naive = naiveBody(served, baseOf([served], false), [], true, false);
    expect(statedWordLimit(naive)).toBeNull();
    expect(naive).not.toHaveProperty('thinking');
    expect(naive).not.toHaveProperty('output_config');
    expect(naive.max_tokens).toBe(NAIVE_MAX_TOKENS);
    const limited = naiveBody(served, baseOf([served], true), [], true, true);
    expect(statedWordLimit(limited)).toBe(300);
    expect(limited).toMatchObject({ max_tokens: 2832, thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } });
  });
});

describe('simulated model over the loopback Messages API (real Anthropic adapter)', () => {
  let sim: MessagesSim;
  beforeAll(async () => {
    sim = await startMessagesSim({ answer: () => ANSWER, firstByteMs: () => 0, textMs: () => 0, thinkMs: 10, thinkTokens: 400 });
  });
  afterAll(async () => {
    await sim.close();
  });

  const ask = (name: string, opts: { limit?: number; maxTokens?: number; reasoning?: CompletionRequest['reasoning'] } = {}): CompletionRequest => ({
    system: [{ text: `Rules.${opts.limit ? `\n- Answer in at most ${opts.limit} words.` : ''}\n` }, { text: `You are ${name} 🧁, a reviewer.` }],
    messages: [{ role: 'user', content: 'Give your perspective.' }],
    model: 'claude-sonnet-5-5',
    maxTokens: opts.maxTokens ?? 4000,
    meta: { purpose: 'expert', expert: name.toLowerCase(), round: 0 },
    ...(opts.reasoning ? { reasoning: opts.reasoning } : {}),
  });
  const provider = () => createAnthropicProvider({ apiKey: 'sk-ant-test', baseURL: sim.baseURL, prices: DEFAULT_PRICES, maxRetries: 0 });

  it("obeys the prompt's word limit, and sends the whole answer to a prompt without one", async () => {
    const limited = await provider().complete(ask('Muffin', { limit: 40 }));
    expect(words(limited.text)).toBeLessThanOrEqual(40);
    expect(limited.text).toMatch(/nine ten\.\n\n---\n?$/);
    expect(limited.stopReason).toBe('end_turn');
    const free = await provider().complete(ask('Scone'));
    expect(free.text.trim()).toBe(ANSWER.trim());
    expect(free.usage.outputTokens - limited.usage.outputTokens).toBe(tokensOfChars(ANSWER.length) - tokensOfChars(sim.served.at(-2)!.text.length));
  });

  it('cuts the answer at max_tokens after the thinking, with stop_reason max_tokens', async () => {
    const r = await provider().complete(ask('Eclair', { maxTokens: 430 }));
    expect(r.stopReason).toBe('max_tokens');
    expect(r.usage.outputTokens).toBe(430);
    expect(sim.served.at(-1)).toMatchObject({ stop: 'max_tokens', thinkTokens: 400 });
    expect(r.text.length).toBeLessThanOrEqual(Math.floor((30 * 4) / 1.3));
  });

  it('bills thinking by the effort the adapter sent, none with between_tools', async () => {
    const low = await provider().complete(ask('Donut', { reasoning: { effort: 'low' } }));
    expect(sim.served.at(-1)!.body.output_config).toEqual({ effort: 'low' });
    expect(sim.served.at(-1)!.thinkTokens).toBe(400 * EFFORT_THINKING_FACTOR.low);
    const off = await provider().complete(ask('Cannoli', { reasoning: { thinking: 'between_tools', effort: 'low' } }));
    expect(sim.served.at(-1)!.thinkTokens).toBe(0);
    expect(low.usage.outputTokens - off.usage.outputTokens).toBe(100);
  });
});
