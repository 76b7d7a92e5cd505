import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrownUserError } from '../support.ts';
import type { VerdictView } from '../../src/markdown/views.ts';
import { type PromotionInput, createRfc, linksTouching, promoteDialogue, renderAdrTemplate, renderRfcTemplate, setDocumentStatus, withBackLink } from '../../src/realm/documents/index.ts';
import { openDatabase } from '../../src/store/db.ts';
import { golden, ls, read, tmpRoot } from './helpers.ts';

const ID = '2026-02-06T1839Z-rfc-0058-supersession';
const RECORD = `dialogues/${ID}/${ID}.dialogue.recorded.md`;

function verdict(outcome: VerdictView['outcome'] = 'converged'): VerdictView {
  return {
    title: 'RFC 0058 supersession',
    question: 'Should hybrid relational storage supersede RFC 0058?',
    outcome,
    rounds: 4,
    totals: { wisdom: 120, consistency: 101, truth: 98, relationships: 96, total: 415 },
    experts: ['Muffin', 'Cupcake', 'Scone'],
    tensionsResolved: 2,
    tensionsTotal: 3,
    finalVelocity: 0,
    finalConvergePercent: 100,
    answer: 'No. Keep RFC 0058 and amend it\nwith three changes.',
    decisions: [
      { topic: 'Supersede RFC 0058?', decision: 'No; amend it', rationale: 'The encryption model holds', sources: ['T0001', 'P0102'] },
      { topic: 'Query | pattern', decision: 'Single-table design', rationale: 'Portable to SQLite', sources: [] },
    ],
    resolvedTensions: [
      { id: 'T0001', label: 'Relational vs key-value', status: 'resolved', raisedBy: 'Muffin', raisedRound: 0, resolution: 'key-value with adjacency lists' },
      { id: 'T0102', label: 'Local dev parity', status: 'resolved', raisedBy: 'Scone', raisedRound: 1, resolution: 'DynamoDB Local in tests' },
    ],
    acceptedTensions: [{ id: 'T0201', label: 'Cost at scale', status: 'accepted', raisedBy: 'Cupcake', raisedRound: 2, resolution: 'revisit at 10x load' }],
    openTensions: [],
    dissent: [{ expert: 'Scone', round: 3, text: 'Prefers Postgres for analytics.' }],
    keyInsights: [],
  };
}

function workspace(recordText = `# Alignment Dialogue: RFC 0058 supersession\n\n**Date**: 2026-02-06\n**Status**: Converged\n**Experts**: 3\n\n## Expert Panel\n\nbody\n`): string {
  const root = tmpRoot();
  fs.mkdirSync(path.join(root, 'dialogues', ID), { recursive: true });
  fs.writeFileSync(path.join(root, RECORD), recordText);
  return root;
}

const input = (outcome?: VerdictView['outcome']): PromotionInput => ({ dialogueId: ID, recordFile: RECORD, verdict: verdict(outcome), date: '2026-02-07' });

const thrown = thrownUserError;

describe('templates', () => {
  it('match the golden RFC and ADR', () => {
    const rfc = renderRfcTemplate({ number: 1, title: 'Hybrid storage architecture', date: '2026-03-01' });
    expect(rfc).toBe(golden('rfc-template.md', rfc));
    const adr = renderAdrTemplate({ number: 3, title: 'Use SQLite for dialogue state', date: '2026-03-01', rfc: 'RFC 0001: Hybrid storage architecture' });
    expect(adr).toBe(golden('adr-template.md', adr));
  });
});

describe('promoteDialogue', () => {
  it('creates a Draft RFC from a converged verdict and back-links the record', () => {
    const root = workspace();
    const db = openDatabase(root);
    createRfc(root, db, 'Existing', '2026-02-01', { now: 'x' });
    const out = promoteDialogue(root, db, input(), {});
    expect(out).toEqual({ file: 'rfcs/0002-should-hybrid-relational-storage-supersede-rfc-0058.draft.md', number: 2, amended: false });
    const text = read(root, out.file);
    expect(text).toBe(golden('promoted-rfc.md', text));
    expect(text).toMatch(/\| \*\*Alignment\*\* \| 415 \(W:120 C:101 T:98 R:96; 4 rounds, 3 experts, 2\/3 tensions resolved\) +\|/);
    expect(read(root, RECORD)).toBe(
      `# Alignment Dialogue: RFC 0058 supersession\n\n**Date**: 2026-02-06\n**Status**: Converged\n**Promoted To**: [${out.file}](../../${out.file})\n**Experts**: 3\n\n## Expert Panel\n\nbody\n`,
    );
    expect(linksTouching(db, `dialogue:${ID}`)).toEqual([{ source: `dialogue:${ID}`, kind: 'dialogue_to_rfc', target: 'rfc:2', line: 7 }]);
  });

  it('refuses a second promotion naming the RFC it produced', () => {
    const root = workspace();
    const db = openDatabase(root);
    promoteDialogue(root, db, input(), {});
    const err = thrown(() => promoteDialogue(root, db, input(), {}));
    expect(err.code).toBe('E_EXISTS');
    expect(err.message).toBe(`dialogue ${ID} was already promoted to rfcs/0001-should-hybrid-relational-storage-supersede-rfc-0058.draft.md`);
    expect(ls(root, 'rfcs')).toHaveLength(1);
  });

  it('refuses a forced dialogue unless allowed, then writes a visible warning', () => {
    const root = workspace();
    const db = openDatabase(root);
    const err = thrown(() => promoteDialogue(root, db, input('forced'), {}));
    expect(err.code).toBe('E_STATE');
    expect(err.message).toContain('ended forced, not converged');
    expect(err.message).toContain('--allow-forced');
    expect(thrown(() => promoteDialogue(root, db, input('open'), { allowForced: true })).code).toBe('E_STATE');
    expect(fs.existsSync(path.join(root, 'rfcs'))).toBe(false);
    const out = promoteDialogue(root, db, input('forced'), { allowForced: true });
    expect(read(root, out.file)).toContain('---\n\n> **Warning:** this dialogue did not converge.');
  });

  it('--rfc N amends an existing RFC instead of creating one', () => {
    const root = workspace();
    const db = openDatabase(root);
    const rfc = createRfc(root, db, 'Encrypted DynamoDB storage', '2026-02-01', { now: 'x' });
    const out = promoteDialogue(root, db, input(), { rfc: 1 });
    expect(out).toEqual({ file: rfc.file, number: 1, amended: true });
    expect(ls(root, 'rfcs')).toEqual([path.basename(rfc.file)]);
    const text = read(root, rfc.file);
    expect(text).toBe(golden('amended-rfc.md', text));
    expect(text).toContain(`| **Amendment** | [${ID}](../dialogues/${ID}/${ID}.dialogue.recorded.md) |`);
    expect(text).toContain(`## Amendment: ${ID} (2026-02-07)`);
    expect(read(root, RECORD)).toContain(`**Promoted To**: [${rfc.file}](../../${rfc.file})`);
    expect(thrown(() => promoteDialogue(root, db, input(), { rfc: 1 })).code).toBe('E_EXISTS');
    expect(thrown(() => promoteDialogue(workspace(), openDatabase(workspace()), input(), { rfc: 4 })).code).toBe('E_NOT_FOUND');
  });

  it('--rfc N refuses a rejected RFC, changing nothing', () => {
    const root = workspace();
    const db = openDatabase(root);
    createRfc(root, db, 'Encrypted DynamoDB storage', '2026-02-01', { now: 'x' });
    const moved = setDocumentStatus(root, db, 'rfc', 1, 'rejected', { now: 'x' });
    const before = read(root, moved.file);
    const err = thrown(() => promoteDialogue(root, db, input(), { rfc: 1 }));
    expect(err.code).toBe('E_STATE');
    expect(err.message).toContain('is rejected');
    expect(read(root, moved.file)).toBe(before);
  });

  it('rewrites an existing Promoted To row and handles records without a header', () => {
    const t = withBackLink('# D\n\n| | |\n|---|---|\n| **Status** | Converged |\n| **Promoted To** | none |\n', 'dialogues/x/x.dialogue.recorded.md', 'rfcs/0003-a.draft.md');
    expect(t).toContain('| **Promoted To** | [rfcs/0003-a.draft.md](../../rfcs/0003-a.draft.md) |');
    expect(withBackLink('# D\n\nbody\n', 'dialogues/x/x.dialogue.recorded.md', 'rfcs/0003-a.draft.md')).toBe(
      '# D\n\n**Promoted To**: [rfcs/0003-a.draft.md](../../rfcs/0003-a.draft.md)\n\nbody\n',
    );
  });
});
