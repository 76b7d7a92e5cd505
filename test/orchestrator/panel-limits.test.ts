/** A panel of MAX_PANEL_SIZE (48) experts: config, the judge's schema and the engine all allow it. */
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../src/llm/fake.ts';
import { roundJudgementSchema } from '../../src/orchestrator/llm-judge.ts';
import { MAX_PANEL_SIZE, configSchema, startDialogue } from '../../src/orchestrator/index.ts';
import { engine, makePool, settings } from './helpers.ts';

const adjustment = (i: number) => ({ expert: `E${i}`, wisdom: 0, consistency: 0, truth: 0, relationships: 0, rationale: 'r' });
const judgement = (n: number) => ({
  merges: [],
  clusters: [],
  resolutionChecks: [],
  adjustments: Array.from({ length: n }, (_, i) => adjustment(i)),
  synthesis: { keyInsights: [], camps: [], keyQuestion: 'q', recommendations: [], panelAdvice: '' },
});

describe('panel limits', () => {
  it('the config and the judge schema take 48 seats, not 49', () => {
    expect(MAX_PANEL_SIZE).toBe(48);
    expect(configSchema.partial().safeParse({ panelSize: 48 }).success).toBe(true);
    expect(configSchema.partial().safeParse({ panelSize: 49 }).success).toBe(false);
    expect(roundJudgementSchema.safeParse(judgement(48)).success).toBe(true);
    expect(roundJudgementSchema.safeParse(judgement(49)).success).toBe(false);
  });

  it('a 48-expert dialogue seats and asks all 48', async () => {
    const asked = new Set<string>();
    const deps = engine(createFakeProvider({ respond: (req) => (asked.add(req.meta.expert ?? ''), 'Agreed.\n\n[MOVE:CONVERGE]\n') }));
    const result = await startDialogue(deps, { question: 'Per-tenant queues?', pool: makePool(48), constraints: [], sources: [] }, settings({ panelSize: 48, concurrency: 48, maxRounds: 1, minRounds: 1 }));
    expect(result.rounds).toBe(1);
    expect(deps.store.panel(result.id, 0)).toHaveLength(48);
    expect(asked.size).toBe(48);
  });
});
