import { describe, expect, it } from 'vitest';
import { parseHeader, rewriteStatus, scanDocuments, setHeaderField } from '../../src/realm/documents/index.ts';
import { corpusDir } from './helpers.ts';

describe('reading the corpus', () => {
  const docs = scanDocuments(corpusDir);
  const byFile = new Map(docs.map((d) => [d.file, d]));

  it('finds every document and skips plan files and non-documents', () => {
    expect(docs.map((d) => d.file)).toEqual([
      'rfcs/0001-cross-repo-realms.md',
      'rfcs/0002-A-port-coherence.md',
      'rfcs/0003-I-branch-workflow.md',
      'rfcs/0004-judge-discipline.accepted.md',
      'rfcs/0005-hybrid-storage.wip.md',
      'rfcs/0006-S-plan-file-authority.md',
      'rfcs/0007-cert-manager.draft.md',
      'rfcs/0008-duplicate.draft.md',
      'rfcs/0008-mismatch.accepted.md',
      'rfcs/0009-no-header.draft.md',
      'rfcs/0010-links.draft.md',
      'adrs/0000-never-give-up.accepted.md',
      'adrs/0001-derived.draft.md',
    ]);
  });

  it('reads the three header syntaxes and the effective status', () => {
    const pick = (f: string) => {
      const d = byFile.get(f);
      return [d?.statusField?.syntax, d?.statusField?.value, d?.headerStatus, d?.status, d?.title];
    };
    expect(pick('rfcs/0001-cross-repo-realms.md')).toEqual(['table', 'Accepted', 'accepted', 'accepted', 'Cross-Repo Realms']);
    expect(pick('rfcs/0003-I-branch-workflow.md')).toEqual(['inline-outside', 'Implemented', 'implemented', 'implemented', 'Branch Workflow']);
    expect(pick('rfcs/0004-judge-discipline.accepted.md')).toEqual(['inline-inside', 'Approved', 'accepted', 'accepted', 'Judge Discipline']);
    expect(pick('rfcs/0005-hybrid-storage.wip.md')).toEqual(['table', 'In Progress', 'in-progress', 'in-progress', 'Hybrid Storage']);
    expect(pick('rfcs/0007-cert-manager.draft.md')).toEqual(['table', 'Complete', null, 'draft', 'Cert Manager']);
    expect(pick('adrs/0001-derived.draft.md')).toEqual(['inline-inside', 'Proposed', 'proposed', 'proposed', 'Derived']);
  });

  it('reads only the header region (rows after the first ## are body)', () => {
    const d = byFile.get('rfcs/0006-S-plan-file-authority.md');
    expect(d?.header.fields.map((f) => [f.key, f.line])).toEqual([
      ['Status', 5],
      ['Superseded By', 6],
      ['Date', 7],
    ]);
  });
});

describe('editing the header', () => {
  it('rewrites the whole value in each syntax, one line only', () => {
    const table = '# RFC 0001: X\n\n| | |\n|---|---|\n| **Status** | Draft |\n\n## Body\n\n| **Status** | Draft |\n';
    const r1 = rewriteStatus(table, 'In Progress');
    expect(r1.ok && r1.text).toBe(table.replace('| **Status** | Draft |\n\n## Body', '| **Status** | In Progress |\n\n## Body'));
    const outside = '# RFC 0001: X\n**Status**: In Progress\n**Created**: 2026\n';
    const r2 = rewriteStatus(outside, 'Accepted');
    expect(r2.ok && r2.text).toBe('# RFC 0001: X\n**Status**: Accepted\n**Created**: 2026\n');
    const inside = '# RFC 0001: X\n**Status:** In Progress\r\n';
    const r3 = rewriteStatus(inside, 'Implemented');
    expect(r3.ok && r3.text).toBe('# RFC 0001: X\n**Status:** Implemented\r\n');
  });

  it('keeps a padded table column aligned when the value fits', () => {
    const text = '| **Status**   | Implemented |\n';
    const r = rewriteStatus(text, 'Draft');
    expect(r.ok && r.text).toBe('| **Status**   | Draft       |\n');
  });

  it('inserts a missing row after Status in the same syntax', () => {
    const r = setHeaderField('# RFC 0001: X\n\n**Status**: Draft\n**Date**: d\n', 'Superseded By', 'RFC 0002');
    expect(r.ok && r.text).toBe('# RFC 0001: X\n\n**Status**: Draft\n**Superseded By**: RFC 0002\n**Date**: d\n');
    const t = setHeaderField('| **Status** | Draft |\n', 'Dialogue', 'x');
    expect(t.ok && t.text).toBe('| **Status** | Draft |\n| **Dialogue** | x |\n');
  });

  it('keeps a value on one line and escapes a pipe that would split a table row', () => {
    const t = setHeaderField('| **Status** | Draft |\n', 'Superseded By', 'RFC 0002: A | B\nC');
    expect(t.ok && t.text).toBe('| **Status** | Draft |\n| **Superseded By** | RFC 0002: A \\| B C |\n');
    const i = setHeaderField('**Status**: Draft\n', 'Superseded By', 'RFC 0002: A | B');
    expect(i.ok && i.text).toBe('**Status**: Draft\n**Superseded By**: RFC 0002: A | B\n');
  });

  it('reports a header without a Status row', () => {
    expect(rewriteStatus('# RFC 0001: X\n\n## Summary\n', 'Draft')).toEqual({ ok: false, reason: 'no Status row in the header' });
    expect(parseHeader('# RFC 0042: My Feature\n')).toMatchObject({ number: 42, title: 'My Feature', titleLine: 1 });
  });
});
