import { describe, expect, it } from 'vitest';
import { renderRecordedDialogue } from '../../src/markdown/index.ts';
import type { RecordedDialogueView } from '../../src/markdown/views.ts';
import { recorded } from './fixtures.ts';

/** A deep copy, so a test can change one round without touching the shared fixture. */
const copy = (v: RecordedDialogueView): RecordedDialogueView => structuredClone(v);

describe('renderRecordedDialogue renders each round once', () => {
  it('gives the same document from the cache as from a first render', () => {
    const first = renderRecordedDialogue(copy(recorded));
    expect(renderRecordedDialogue(copy(recorded))).toBe(first);
  });

  it('renders a round again when its content changed (the cache is keyed on content)', () => {
    const before = renderRecordedDialogue(copy(recorded));
    const changed = copy(recorded);
    const c = changed.rounds[0]!.contributions.find((x) => x.absent === undefined && x.text.trim() !== '')!;
    c.text = `${c.text}\n\nA sentence only the changed round has.\n`;
    const after = renderRecordedDialogue(changed);
    expect(after).toContain('A sentence only the changed round has.');
    expect(before).not.toContain('A sentence only the changed round has.');
  });

  it('joins sections exactly as one serialisation would: one blank line, no doubled or missing breaks', () => {
    const doc = renderRecordedDialogue(copy(recorded));
    expect(doc).not.toMatch(/\n\n\n/);
    expect(doc.endsWith('\n') && !doc.endsWith('\n\n')).toBe(true);
    for (const r of recorded.rounds) expect(doc).toMatch(new RegExp(`\\|\\n\\n## Round ${r.round}: |\\n\\n## Round ${r.round}: `));
  });
});
