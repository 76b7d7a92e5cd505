/**
 * Prompt caching over the real Anthropic adapter and SDK, against a loopback Messages API that
 * logs events in order: two breakpoints with the round number outside the stable head, one
 * warm-up per model, the fan-out released at the warm-up's `message_start` (the server holds its
 * text back until the rest have arrived, as a long thinking phase would), a failed warm-up that
 * releases the panel at once, and no warm-up (with a note in the round's record) below a model's
 * cache minimum. Ordering is read from the server's event log, never from wall time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, seededRng } from '../../src/core/index.ts';
import { createAnthropicProvider } from '../../src/llm/anthropic.ts';
import { Budget, DEFAULT_PRICES } from '../../src/llm/index.ts';
import { DEFAULT_ROLES } from '../../src/orchestrator/limits.ts';
import { TOKENS_PER_WORD } from '../../src/llm/models.ts';
import { DEFAULT_SETTINGS, type DialogueSettings, type EngineDeps, dialogueStatus, formatStatus, startDialogue } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';
import { sseEvents } from '../llm/loopback.ts';
import { answer, onRequest, POOL } from './messages-server.ts';

/** One request as the server saw it. */
interface Arrival {
  seq: number;
  expert: string;
  round: number;
  model: string;
  /** 0-based arrival index among requests of the same round and model. */
  nth: number;
  body: Record<string, unknown>;
}

/** What the server does with a request: fail it, or hold parts of the stream until a condition holds. */
interface Plan {
  status?: number;
  /** Send nothing until this holds. */
  holdStart?: () => boolean;
  /** After message_start, hold the content (a thinking phase) until this holds. */
  holdText?: () => boolean;
}

interface WarmServer {
  baseURL: string;
  arrivals: Arrival[];
  /** `arrive <expert>/<round>`, `start <expert>/<round>`, `text <expert>/<round>`, `timeout …`, in order. */
  log: string[];
  close: () => Promise<void>;
}

/** Polls `cond` every 2 ms; after 2,500 polls gives up, logs a timeout (so the test fails on its log) and goes on. */
function when(cond: () => boolean, log: string[], what: string, then: () => void): void {
  const maxPolls = 2500;
  let n = 0;
  const tick = (): void => {
    if (cond()) return then();
    if (++n > maxPolls) {
      log.push(`timeout ${what}`);
      return then();
    }
    setTimeout(tick, 2);
  };
  tick();
}

async function startWarmServer(plan: (a: Arrival, all: Arrival[]) => Plan): Promise<WarmServer> {
  const arrivals: Arrival[] = [];
  const log: string[] = [];
  const server = http.createServer((req, res) => {
    onRequest(req, ({ body, persona: expert, round }) => {
      const model = String(body.model);
      const nth = arrivals.filter((a) => a.round === round && a.model === model).length;
      const arrival: Arrival = { seq: arrivals.length, expert, round, model, nth, body };
      arrivals.push(arrival);
      const key = `${expert}/${round}`;
      log.push(`arrive ${key}`);
      const p = plan(arrival, arrivals);
      if (p.status) {
        log.push(`fail ${key}`);
        res.writeHead(p.status, { 'content-type': 'application/json', 'request-id': 'req_err' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
        return;
      }
      const events = sseEvents([{ text: answer(expert, round) }], { input_tokens: 100, output_tokens: 50, cache_creation_input_tokens: 400, cache_read_input_tokens: 0 }, model);
      when(p.holdStart ?? (() => true), log, `start ${key}`, () => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${arrival.seq}` });
        res.write(events[0]);
        log.push(`start ${key}`);
        when(p.holdText ?? (() => true), log, `text ${key}`, () => {
          log.push(`text ${key}`);
          for (const e of events.slice(1)) res.write(e);
          res.end();
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    log,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const servers: WarmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(plan: (a: Arrival, all: Arrival[]) => Plan): Promise<WarmServer> {
  const s = await startWarmServer(plan);
  servers.push(s);
  return s;
}

function settings(over: Partial<DialogueSettings> = {}): DialogueSettings {
  return { ...DEFAULT_SETTINGS, provider: 'anthropic', seed: 1, panelSize: 6, concurrency: 6, minRounds: 2, maxRounds: 3, rotation: 'none', judge: false, ...over };
}

function deps(server: WarmServer, store: DialogueStore): EngineDeps {
  const provider = createAnthropicProvider({ apiKey: 'sk-test-key', baseURL: server.baseURL, prices: DEFAULT_PRICES, budget: new Budget(null), sleep: async () => undefined });
  return { root: null, store, provider, clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(1) };
}

const INPUT = { question: 'How should we version our public API?', pool: POOL, constraints: [], sources: [] };

/** Arrivals of `round` for `model`. */
const of = (s: WarmServer, round: number, model?: string) => s.arrivals.filter((a) => a.round === round && (model === undefined || a.model === model));

describe('prompt caching against a loopback Messages API', () => {
  it('sends two breakpoints with the round number outside the head, byte-identical across rounds', async () => {
    const server = await serve(() => ({}));
    const store = new DialogueStore(openDatabase(':memory:'));
    const result = await startDialogue(deps(server, store), INPUT, settings());
    expect(result.outcome).toBe('converged');
    const systems = server.arrivals.map((a) => a.body.system as { text: string; cache_control?: unknown }[]);
    for (const system of systems) {
      expect(system).toHaveLength(3);
      expect(system.map((b) => b.cache_control)).toEqual([{ type: 'ephemeral' }, { type: 'ephemeral' }, undefined]);
      expect(system[0]!.text).not.toContain('This is round');
    }
    expect(new Set(systems.map((s) => s[0]!.text)).size).toBe(1);
    for (const round of [0, 1]) {
      const blocks = of(server, round).map((a) => (a.body.system as { text: string }[])[1]!.text);
      expect(new Set(blocks).size).toBe(1);
      expect(blocks[0]).toContain(`This is round ${round} of at most 3`);
    }
    // max_tokens is sized from the default answer limit plus thinking room, under the 3,000 cap, and the default effort is sent.
    expect(server.arrivals[0]!.body.max_tokens).toBe(Math.ceil(DEFAULT_ROLES.expert.words * TOKENS_PER_WORD) + 64 + 2048);
    expect(server.arrivals[0]!.body.output_config).toEqual({ effort: 'medium' });
  });

  it('releases the fan-out at the warm-up message_start while its text is held back (long thinking)', async () => {
    // The warm-up's content waits until the other five have arrived: a panel released only on text would never come.
    const server = await serve((a, all) => (a.nth === 0 ? { holdText: () => all.filter((b) => b.round === a.round).length === 6 } : {}));
    const store = new DialogueStore(openDatabase(':memory:'));
    const result = await startDialogue(deps(server, store), INPUT, settings());
    expect(result.outcome).toBe('converged');
    expect(server.log.filter((l) => l.startsWith('timeout'))).toEqual([]);
    for (const round of [0, 1]) {
      const [warm, ...rest] = of(server, round);
      const at = (line: string) => server.log.indexOf(line);
      const started = at(`start ${warm!.expert}/${round}`);
      const text = at(`text ${warm!.expert}/${round}`);
      expect(rest).toHaveLength(5);
      // Nobody arrives before the warm-up's response begins; all arrive before its first text.
      for (const r of rest) {
        expect(at(`arrive ${r.expert}/${round}`)).toBeGreaterThan(started);
        expect(at(`arrive ${r.expert}/${round}`)).toBeLessThan(text);
      }
    }
  });

  it('warms every distinct model of a mixed panel once', async () => {
    const sonnet = 'claude-sonnet-5-5';
    const haiku = 'claude-haiku-5-5';
    // A warm-up begins only once both warm-ups have arrived (one warm-up for the whole panel never would),
    // and holds its text until its own model's other two seats have arrived.
    const inRound = (all: Arrival[], a: Arrival) => all.filter((b) => b.round === a.round);
    const server = await serve((a, all) =>
      a.nth === 0 ? { holdStart: () => inRound(all, a).length >= 2, holdText: () => inRound(all, a).filter((b) => b.model === a.model).length === 3 } : {},
    );
    const store = new DialogueStore(openDatabase(':memory:'));
    const result = await startDialogue(deps(server, store), INPUT, settings({ model: sonnet, tierModels: { Adjacent: haiku } }));
    expect(result.outcome).toBe('converged');
    expect(server.log.filter((l) => l.startsWith('timeout'))).toEqual([]);
    for (const round of [0, 1]) {
      const firstTwo = of(server, round).slice(0, 2);
      // The first two requests of the round are the two warm-ups, one per model, sent together.
      expect(new Set(firstTwo.map((a) => a.model))).toEqual(new Set([sonnet, haiku]));
      for (const model of [sonnet, haiku]) {
        const [warm, ...rest] = of(server, round, model);
        expect(rest).toHaveLength(2);
        const started = server.log.indexOf(`start ${warm!.expert}/${round}`);
        for (const r of rest) expect(server.log.indexOf(`arrive ${r.expert}/${round}`)).toBeGreaterThan(started);
      }
    }
    expect(store.getRound(result.id, 0)!.cacheNote ?? null).toBeNull();
  });

  it('releases the panel at once when the warm-up call fails, without waiting for its retry', async () => {
    // Round 0: the first call gets a 529; its retry sends nothing until the other five have arrived.
    const server = await serve((a, all) => {
      if (a.round !== 0) return {};
      if (a.seq === 0) return { status: 529 };
      const retry = all.filter((b) => b.round === 0 && b.expert === a.expert).length > 1;
      return retry ? { holdStart: () => all.filter((b) => b.round === 0 && b.expert !== a.expert).length === 5 } : {};
    });
    const store = new DialogueStore(openDatabase(':memory:'));
    const result = await startDialogue(deps(server, store), INPUT, settings());
    expect(result.outcome).toBe('converged');
    expect(server.log.filter((l) => l.startsWith('timeout'))).toEqual([]);
    expect(of(server, 0)).toHaveLength(7);
    const warm = server.arrivals[0]!.expert;
    expect(store.responses(result.id, 0).find((r) => r.expert === warm)!.status).toBe('ok');
  });

  it('skips the warm-up below the model minimum and says so in the round record and status', async () => {
    // Haiku 4.5 caches from 4,096 tokens; the round-0 prefix is far shorter. Every call is held until all six arrived.
    const server = await serve((a, all) => ({ holdStart: () => all.filter((b) => b.round === a.round).length === 6 }));
    const store = new DialogueStore(openDatabase(':memory:'));
    const result = await startDialogue(deps(server, store), INPUT, settings({ model: 'claude-haiku-4-5' }));
    expect(result.outcome).toBe('converged');
    expect(server.log.filter((l) => l.startsWith('timeout'))).toEqual([]);
    // Below the minimum no breakpoint is sent at all.
    for (const a of server.arrivals) expect((a.body.system as { cache_control?: unknown }[]).every((b) => b.cache_control === undefined)).toBe(true);
    const note = store.getRound(result.id, 0)!.cacheNote!;
    expect(note).toMatch(/^warm-up skipped: shared prefix ≈ \d+ tokens is below the cache minimum of claude-haiku-4-5 \(minimum 4096\)$/);
    expect(formatStatus(dialogueStatus(store, result.id))).toContain(`round 0: ${note}`);
  });
});
