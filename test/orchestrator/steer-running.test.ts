/**
 * Steering a dialogue this process is running is a STEER event for its chart (no second writer,
 * no lease refused by our own run): the constraint reaches the next round's prompts.
 */
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/fake.ts';
import type { CompletionRequest } from '../../src/llm/port.ts';
import { startDialogue, steerDialogue } from '../../src/orchestrator/index.ts';
import { engine, makePool, settings } from './helpers.ts';

const CONSTRAINT = 'No new infrastructure this quarter';

describe('steer while running', () => {
  it('sends STEER to the running chart: the next round carries the constraint, the lease is not asked twice', async () => {
    const seen: CompletionRequest[] = [];
    let steered: { id: string; round: number } | undefined;
    let id = '';
    const deps = engine(
      createFakeProvider({
        respond: (req) => {
          seen.push(req);
          // Steer from inside round 0, while this process holds the dialogue's lease.
          if (req.meta.round === 0 && !steered) steered = steerDialogue(deps, id, CONSTRAINT);
          return req.meta.round === 0 ? `[TENSION T01: ${req.meta.expert} doubts]\nUnclear.\n` : '[MOVE:CONVERGE]\n';
        },
      }),
    );
    deps.onEvent = (e) => void (e.type === 'dialogue' && (id = e.id));
    deps.lease = { holder: { token: 'me', pid: process.pid, hostname: 'here' }, terms: { staleMs: 60_000, isAlive: () => true }, heartbeatMs: 60_000 };
    const result = await startDialogue(deps, { question: 'Cache or not?', pool: makePool(3), constraints: [], sources: [] }, settings({ minRounds: 1, maxRounds: 3 }));
    expect(steered).toEqual({ id: result.id, round: 1 });
    const text = (r: CompletionRequest) => [...r.system.map((b) => b.text), ...r.messages.map((m) => m.content)].join('\n');
    expect(seen.filter((r) => r.meta.round === 0).some((r) => text(r).includes(CONSTRAINT))).toBe(false);
    const round1 = seen.filter((r) => r.meta.round === 1);
    expect(round1.length).toBeGreaterThan(0);
    for (const r of round1) expect(text(r)).toContain(CONSTRAINT);
    expect(deps.store.constraints(result.id)).toMatchObject([{ round_added: 1, text: CONSTRAINT }]);
  });
});
