/** A round's shared parts are built once per round context and never leak into another round's prompts. */
import { describe, expect, it } from 'vitest';
import { buildExpertPrompt, roundBlock, stableHead, type PanelMember, type RoundContext } from '../../src/experts/index.ts';

const seat = (name: string): PanelMember => ({ name, role: 'Queue Engineer', tier: 'Core', relevance: 0.9, source: 'pool' });

const ctx = (round: number): RoundContext => ({
  question: 'Per-tenant queues?',
  constraints: [],
  sources: [],
  round,
  maxRounds: 5,
  previousSummary: round === 0 ? null : `Round ${round - 1} went well.`,
  openTensions: [],
  perspectives: [],
  peerResponses: round === 0 ? [] : [{ expert: 'Muffin', text: `answer of round ${round - 1}` }],
});

describe('expert prompts of one round', () => {
  it('give every seat the same head and round context, and each its own rendering', () => {
    const c = ctx(2);
    const [a, b] = [buildExpertPrompt(c, { member: seat('Muffin'), isNewcomer: false, ownOpenTensions: [] }), buildExpertPrompt(c, { member: seat('Cannoli'), isNewcomer: false, ownOpenTensions: [] })];
    expect(a.system[0]!.text).toBe(stableHead(c));
    expect(b.system[1]!.text).toBe(roundBlock(c));
    expect(a.shared).toBe(b.shared);
    expect(a.rendered).toMatch(/^# Prompt: Muffin, round 2\n/);
    expect(b.rendered).toMatch(/^# Prompt: Cannoli, round 2\n/);
    expect(a.rendered).toContain(a.shared);
    // Built on each read, always the same text.
    expect(a.rendered).toBe(a.rendered);
  });

  it('build a new round context from its own content, not from an earlier round', () => {
    const member = seat('Muffin');
    const first = buildExpertPrompt(ctx(1), { member, isNewcomer: false, ownOpenTensions: [] });
    const later = buildExpertPrompt({ ...ctx(1), round: 3, peerResponses: [{ expert: 'Muffin', text: 'answer of round 2' }] }, { member, isNewcomer: false, ownOpenTensions: [] });
    expect(first.shared).toContain('This is round 1 of at most 5');
    expect(later.shared).toContain('This is round 3 of at most 5');
    expect(later.shared).toContain('answer of round 2');
    expect(later.shared).not.toContain('answer of round 0');
  });
});
