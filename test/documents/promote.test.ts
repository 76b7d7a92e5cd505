import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrownUserError } from '../support.ts';
import type { VerdictView } from '../../src/markdown/views.ts';
import {
  type PromotionInput,
  createRfc,
  insertAfterSummary,
  promoteDialogue,
  renderAdrTemplate,
  renderRfcTemplate,
  setDocumentStatus,
  withBackLink,
} from '../../src/realm/documents/index.ts';
import { openDocIndex } from '../../src/realm/documents/queries.ts';
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
    const index = openDocIndex(root);
    createRfc(root, index, 'Existing', '2026-02-01', { now: 'x' });
    const out = promoteDialogue(root, index, input(), {});
    expect(out).toEqual({ file: 'rfcs/0002-should-hybrid-relational-storage-supersede-rfc-0058.draft.md', number: 2, amended: false, related: [] });
    const text = read(root, out.file);
    expect(text).toBe(golden('promoted-rfc.md', text));
    expect(text).toMatch(/\| \*\*Alignment\*\* \| 415 \(W:120 C:101 T:98 R:96; 4 rounds, 3 experts, 2\/3 tensions resolved\) +\|/);
    expect(read(root, RECORD)).toBe(
      `# Alignment Dialogue: RFC 0058 supersession\n\n**Date**: 2026-02-06\n**Status**: Converged\n**Promoted To**: [${out.file}](../../${out.file})\n**Experts**: 3\n\n## Expert Panel\n\nbody\n`,
    );
    expect(index.linksTouching(`dialogue:${ID}`)).toEqual([{ source: `dialogue:${ID}`, kind: 'dialogue_to_rfc', target: 'rfc:2', line: 7 }]);
  });

  it('refuses a second promotion naming the RFC it produced', () => {
    const root = workspace();
    const index = openDocIndex(root);
    promoteDialogue(root, index, input(), {});
    const err = thrown(() => promoteDialogue(root, index, input(), {}));
    expect(err.code).toBe('E_EXISTS');
    expect(err.message).toBe(`dialogue ${ID} was already promoted to rfcs/0001-should-hybrid-relational-storage-supersede-rfc-0058.draft.md`);
    expect(ls(root, 'rfcs')).toHaveLength(1);
  });

  it('refuses a forced dialogue unless allowed, then writes a visible warning', () => {
    const root = workspace();
    const index = openDocIndex(root);
    const err = thrown(() => promoteDialogue(root, index, input('forced'), {}));
    expect(err.code).toBe('E_STATE');
    expect(err.message).toContain('ended forced, not converged');
    expect(err.message).toContain('--allow-forced');
    expect(thrown(() => promoteDialogue(root, index, input('open'), { allowForced: true })).code).toBe('E_STATE');
    expect(fs.existsSync(path.join(root, 'rfcs'))).toBe(false);
    const out = promoteDialogue(root, index, input('forced'), { allowForced: true });
    expect(read(root, out.file)).toContain('---\n\n> **Warning:** this dialogue did not converge.');
  });

  it('--rfc N amends an existing RFC instead of creating one', () => {
    const root = workspace();
    const index = openDocIndex(root);
    const rfc = createRfc(root, index, 'Encrypted DynamoDB storage', '2026-02-01', { now: 'x' });
    const out = promoteDialogue(root, index, input(), { rfc: 1 });
    expect(out).toEqual({ file: rfc.file, number: 1, amended: true, related: [] });
    expect(ls(root, 'rfcs')).toEqual([path.basename(rfc.file)]);
    const text = read(root, rfc.file);
    expect(text).toBe(golden('amended-rfc.md', text));
    expect(text).toContain(`| **Amendment** | [${ID}](../dialogues/${ID}/${ID}.dialogue.recorded.md) |`);
    expect(text).toContain(`## Amendment: ${ID} (2026-02-07)`);
    expect(read(root, RECORD)).toContain(`**Promoted To**: [${rfc.file}](../../${rfc.file})`);
    expect(thrown(() => promoteDialogue(root, index, input(), { rfc: 1 })).code).toBe('E_EXISTS');
    expect(thrown(() => promoteDialogue(workspace(), openDocIndex(workspace()), input(), { rfc: 4 })).code).toBe('E_NOT_FOUND');
  });

  it('--rfc N refuses a rejected RFC, changing nothing', () => {
    const root = workspace();
    const index = openDocIndex(root);
    createRfc(root, index, 'Encrypted DynamoDB storage', '2026-02-01', { now: 'x' });
    const moved = setDocumentStatus(root, index, 'rfc', 1, 'rejected', { now: 'x' });
    const before = read(root, moved.file);
    const err = thrown(() => promoteDialogue(root, index, input(), { rfc: 1 }));
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

describe('drafts worth reading', () => {
  /** A verdict as the offline synthesis builds it: no answer, decisions restated from the resolved tensions. */
  function offline(): VerdictView {
    const v = verdict();
    const same = 'Compute verdicts at read time in `DynamoDialogueStore`, not as stored `&Connection` arrays.';
    v.answer = null;
    v.resolvedTensions = [
      { id: 'T0103', label: 'Verdict denormalization is a risk', status: 'resolved', raisedBy: 'Muffin', raisedRound: 1, closedBy: ['Cannoli'], resolution: same },
      { id: 'T0104', label: 'Artifacts leak through the trait', status: 'resolved', raisedBy: 'Eclair', raisedRound: 1, closedBy: ['Cannoli'], resolution: same },
      { id: 'T0107', label: 'Prerequisite inversion', status: 'resolved', raisedBy: 'Galette', raisedRound: 1, resolution: 'Build the `DialogueStore` trait first.' },
    ];
    v.decisions = v.resolvedTensions.map((t) => ({ topic: t.label, decision: t.resolution ?? '', rationale: `Raised by ${t.raisedBy}`, sources: [t.id] }));
    v.openTensions = [{ id: 'T0009', label: 'Schema strain', status: 'open', raisedBy: 'Scone', raisedRound: 2 }];
    return v;
  }

  it('offline: says what it lacks, proposes the converged positions once, never escapes code', () => {
    const root = workspace();
    const index = openDocIndex(root);
    const contributions = [
      { expert: 'Muffin', role: 'Relational Architect', perspectives: 3, tensionsRaised: 1, tensionsResolved: 0, keyPerspective: 'P0101: `Verdict` immutability' },
      { expert: 'Cannoli', role: 'Storage Engineer', perspectives: 2, tensionsRaised: 0, tensionsResolved: 2, keyPerspective: '' },
    ];
    const out = promoteDialogue(root, index, { ...input(), verdict: offline(), contributions }, {});
    const text = read(root, out.file);
    expect(text).toBe(golden('promoted-rfc-offline.md', text));
    expect(text).not.toContain('\\`');
    expect(text).toContain('**Answer:** not written. The LLM judge writes the answer and this dialogue had none');
    expect(text).toContain('None with a written rationale: the LLM judge writes decisions and this dialogue had none; the converged positions above');
    // the shared resolution is quoted once, in the Proposal, naming both tensions; Resolved Tensions says where it came from
    expect(text.match(/Compute verdicts at read time/g)).toHaveLength(1);
    expect(text).toContain('- Compute verdicts at read time in `DynamoDialogueStore`, not as stored `&Connection` arrays. (T0103, T0104)');
    expect(text).toContain('- T0103 — Verdict denormalization is a risk (raised by Muffin, round 1); T0104 — Artifacts leak through the trait (raised by Eclair, round 1); resolved by Cannoli\n');
    expect(text).toContain('- T0009 — Schema strain (open)');
    expect(text).toMatch(/\| Cannoli +\| Storage Engineer +\| 2 +\| 0 +\| 2 +\| — +\|/);
  });

  it('with the judge: merges identical decision rows and keeps them apart from the tensions', () => {
    const v = verdict();
    v.decisions = [...v.decisions, { ...v.decisions[0]!, sources: ['T0102'] }];
    const root = workspace();
    const out = promoteDialogue(root, openDocIndex(root), { ...input(), verdict: v }, {});
    const text = read(root, out.file);
    expect(text.match(/\| Supersede RFC 0058\?/g)).toHaveLength(1);
    expect(text).toContain('The encryption model holds (T0001, P0102, T0102)');
  });

  it('names the existing RFC the question or a constraint mentions', () => {
    const root = workspace();
    const index = openDocIndex(root);
    for (let i = 0; i < 3; i++) createRfc(root, index, `Doc ${i}`, '2026-02-01', { now: 'x' });
    const named = { ...input(), verdict: { ...verdict(), question: 'Should rfc-0002 be replaced?' }, constraints: ['Keep RFC 3 as is'] };
    expect(promoteDialogue(root, index, named, {}).related).toEqual([
      { number: 2, file: 'rfcs/0002-doc-1.draft.md' },
      { number: 3, file: 'rfcs/0003-doc-2.draft.md' },
    ]);
  });

  it('inserts amendments after the Summary and earlier amendments, before the closing rule', () => {
    const section = '## Amendment: b (2026-02-08)\n\nNew.\n';
    const rfc = '# RFC 0001: A\n\n## Summary\n\nS.\n\n## Amendment: a (2026-02-07)\n\nOld.\n\n### Detail\n\nD.\n\n## Problem\n\nP.\n';
    expect(insertAfterSummary(rfc, section)).toBe(
      '# RFC 0001: A\n\n## Summary\n\nS.\n\n## Amendment: a (2026-02-07)\n\nOld.\n\n### Detail\n\nD.\n\n## Amendment: b (2026-02-08)\n\nNew.\n\n## Problem\n\nP.\n',
    );
    expect(insertAfterSummary('# RFC 0001: A\n\n## Summary\n\nS.\n\n---\n\n*"Right then."*\n', section)).toBe(
      '# RFC 0001: A\n\n## Summary\n\nS.\n\n## Amendment: b (2026-02-08)\n\nNew.\n\n---\n\n*"Right then."*\n',
    );
    expect(insertAfterSummary('# RFC 0001: A\n\nIntro.\n\n## Design\n\nD.\n', section)).toBe('# RFC 0001: A\n\nIntro.\n\n## Amendment: b (2026-02-08)\n\nNew.\n\n## Design\n\nD.\n');
  });
});
