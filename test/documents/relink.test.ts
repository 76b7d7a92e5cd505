import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRfc, lintDocuments, promoteDialogue, rewriteLinks, setDocumentStatus } from '../../src/realm/documents/index.ts';
import { openDocIndex } from '../../src/realm/documents/queries.ts';
import { read, tmpRoot } from './helpers.ts';

const MOVE = [{ from: 'rfcs/0001-a.draft.md', to: 'rfcs/0001-a.accepted.md' }];
const deps = { now: '2026-03-01T10:00:00.000Z' };

describe('rewriteLinks', () => {
  it('rewrites every link form that resolves to the old name, keeping prefix, fragment and title', () => {
    const text = [
      '# RFC 0002: B',
      '',
      '- [plain](0001-a.draft.md) and [dot](./0001-a.draft.md#summary "the title")',
      '- [angle](<./0001-a.draft.md>) and ![img](0001-a.draft.md)',
      '- [`0001-a.draft.md`](0001-a.draft.md) [rfcs/0001-a.draft.md](../rfcs/0001-a.draft.md)',
      '',
      '[ref]: ./0001-a.draft.md?x=1',
      '',
    ].join('\n');
    expect(rewriteLinks(text, 'rfcs/0002-b.draft.md', MOVE)).toBe(
      [
        '# RFC 0002: B',
        '',
        '- [plain](0001-a.accepted.md) and [dot](./0001-a.accepted.md#summary "the title")',
        '- [angle](<./0001-a.accepted.md>) and ![img](0001-a.accepted.md)',
        '- [`0001-a.accepted.md`](0001-a.accepted.md) [rfcs/0001-a.accepted.md](../rfcs/0001-a.accepted.md)',
        '',
        '[ref]: ./0001-a.accepted.md?x=1',
        '',
      ].join('\n'),
    );
  });

  it('leaves code, plain text, other files and links from elsewhere alone', () => {
    const text = [
      'See 0001-a.draft.md and `0001-a.draft.md`.',
      '',
      '```',
      '[x](0001-a.draft.md)',
      '```',
      '',
      '[other](0001-a.draft.md.bak) [web](https://x.org/rfcs/0001-a.draft.md) [abs](/rfcs/0001-a.draft.md)',
      '',
    ].join('\n');
    expect(rewriteLinks(text, 'rfcs/0002-b.draft.md', MOVE)).toBe(text);
    // the same relative link from another folder points elsewhere
    expect(rewriteLinks('[x](0001-a.draft.md)\n', 'adrs/0001-x.draft.md', MOVE)).toBe('[x](0001-a.draft.md)\n');
    expect(rewriteLinks('[x](../rfcs/0001-a.draft.md)\n', 'adrs/0001-x.draft.md', MOVE)).toBe('[x](../rfcs/0001-a.accepted.md)\n');
  });
});

describe('a transition keeps inbound links working', () => {
  it('rewrites links in documents, the dialogue record back-link and any workspace Markdown', () => {
    const root = tmpRoot();
    const index = openDocIndex(root);
    const id = '2026-02-06T1839Z-x';
    const record = `dialogues/${id}/${id}.dialogue.recorded.md`;
    fs.mkdirSync(path.join(root, 'dialogues', id), { recursive: true });
    fs.writeFileSync(path.join(root, record), '# Alignment Dialogue: X\n\n**Status**: Converged\n\nbody\n');
    const verdict = {
      title: 'X', question: 'Should we do X?', outcome: 'converged' as const, rounds: 1,
      totals: { wisdom: 1, consistency: 1, truth: 1, relationships: 1, total: 4 }, experts: ['Muffin'],
      tensionsResolved: 0, tensionsTotal: 0, finalVelocity: 0, finalConvergePercent: 100, answer: 'Yes.',
      decisions: [], resolvedTensions: [], acceptedTensions: [], openTensions: [], dissent: [], keyInsights: [],
    };
    const promoted = promoteDialogue(root, index, { dialogueId: id, recordFile: record, verdict, date: '2026-02-07' });
    const other = createRfc(root, index, 'Other', '2026-02-08', deps);
    fs.appendFileSync(path.join(root, other.file), `\nSee [the draft](./${path.basename(promoted.file)}).\n`);
    fs.writeFileSync(path.join(root, 'README.md'), `Read [the RFC](${promoted.file}).\n`);
    fs.mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules/pkg/x.md'), `[r](../../${promoted.file})\n`);

    const moved = setDocumentStatus(root, index, 'rfc', promoted.number, 'accepted', deps);
    expect(read(root, record)).toContain(`**Promoted To**: [${moved.file}](../../${moved.file})`);
    expect(read(root, other.file)).toContain(`See [the draft](./${path.basename(moved.file)}).`);
    expect(read(root, 'README.md')).toBe(`Read [the RFC](${moved.file}).\n`);
    expect(read(root, 'node_modules/pkg/x.md')).toBe(`[r](../../${promoted.file})\n`); // dependencies are not the workspace's
    expect(lintDocuments(root)).toEqual([]);
  });
});
