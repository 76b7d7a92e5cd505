import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSummaryMetrics, renderRoundSummary } from '../../src/markdown/index.ts';
import { round0, round1, round2 } from './fixtures.ts';

describe('parseSummaryMetrics', () => {
  it('reads back the fixture summaries', () => {
    expect(parseSummaryMetrics(renderRoundSummary(round1))).toEqual({
      round: 1,
      score: 69,
      velocity: 5,
      total: 156,
      panelSize: 6,
      status: 'CONSTRAINT PIVOT',
    });
    expect(parseSummaryMetrics(renderRoundSummary(round0))?.status).toBe('OPEN');
    expect(parseSummaryMetrics(renderRoundSummary(round2))).toMatchObject({ round: 2, velocity: 0, total: 243 });
  });

  it('round-trips arbitrary numbers, titles and statuses', () => {
    const word = fc.stringMatching(/^[A-Za-z*_|<>[\]`#0-9 -]{1,20}$/).filter((s) => s.trim() !== '');
    fc.assert(
      fc.property(
        fc.record({
          round: fc.nat(50),
          score: fc.integer({ min: -500, max: 500 }),
          velocity: fc.integer({ min: -50, max: 50 }),
          total: fc.integer({ min: -5000, max: 5000 }),
          panelSize: fc.integer({ min: 1, max: 20 }),
          title: word,
          status: word,
        }),
        (m) => {
          const status = m.status.replace(/\s+/g, ' ').trim();
          const md = renderRoundSummary({ ...round1, ...m, status });
          expect(parseSummaryMetrics(md)).toEqual({
            round: m.round,
            score: m.score,
            velocity: m.velocity,
            total: m.total,
            panelSize: m.panelSize,
            status,
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('returns null for documents that are not our summaries', () => {
    expect(parseSummaryMetrics('# Scoreboard: x\n\n**ALIGNMENT Score**: +1 (Velocity: +1, Total: 1) | **Panel**: 1 expert | **Status**: OPEN\n')).toBeNull();
    expect(parseSummaryMetrics('# Round 2 Summary: x\n\nNo metrics here.\n')).toBeNull();
    expect(parseSummaryMetrics('')).toBeNull();
  });

  it('accepts the singular panel form', () => {
    const md = renderRoundSummary({ ...round1, panelSize: 1 });
    expect(md).toContain('**Panel**: 1 expert |');
    expect(parseSummaryMetrics(md)?.panelSize).toBe(1);
  });
});
