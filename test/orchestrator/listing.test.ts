/** The one view of dialogue rows, last judged round and document files shared by `blue dialogue list/show` and the MCP tools. */
import { describe, expect, it } from 'vitest';
import { dialogueDocFile, lastJudgedRound } from '../../src/orchestrator/index.ts';

const dialogue = { id: '2026-11-21T1000Z-cache', dir: 'dialogues/2026-11-21T1000Z-cache' };

describe('dialogue listing view', () => {
  it('the last judged round skips rounds not judged yet, 0 before any', () => {
    expect(lastJudgedRound([])).toBe(0);
    expect(lastJudgedRound([{ round: 0, status: 'judged' }, { round: 1, status: 'judged' }, { round: 2, status: 'open' }])).toBe(1);
  });

  it('names every document file relative to the workspace root', () => {
    expect(dialogueDocFile(dialogue, 'verdict')).toBe('dialogues/2026-11-21T1000Z-cache/verdict.md');
    expect(dialogueDocFile(dialogue, 'record')).toBe('dialogues/2026-11-21T1000Z-cache/2026-11-21T1000Z-cache.dialogue.recorded.md');
    expect(dialogueDocFile(dialogue, 'dialogue')).toBe('dialogues/2026-11-21T1000Z-cache/dialogue.yaml');
    expect(dialogueDocFile(dialogue, 'summary', 2)).toBe('dialogues/2026-11-21T1000Z-cache/round-2/summary.md');
    expect(dialogueDocFile(dialogue, 'panel', 0)).toBe('dialogues/2026-11-21T1000Z-cache/round-0/panel.yaml');
    expect(dialogueDocFile(dialogue, 'muffin', 1)).toBe('dialogues/2026-11-21T1000Z-cache/round-1/muffin.md');
  });
});
