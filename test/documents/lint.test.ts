import { describe, expect, it } from 'vitest';
import { formatFinding, hasErrors, lintDocuments } from '../../src/realm/documents/index.ts';
import { corpusDir } from './helpers.ts';

describe('lintDocuments on the corpus', () => {
  const findings = lintDocuments(corpusDir);

  it('reports every drift with file:line', () => {
    const lines = findings.map(formatFinding);
    expect(lines).toContain('rfcs/0007-cert-manager.draft.md:5 error unknown-status: "Complete" is not an RFC status');
    expect(lines).toContain('rfcs/0008-mismatch.accepted.md:5 error name-header-mismatch: file name says accepted but header says draft');
    expect(lines).toContain('rfcs/0008-duplicate.draft.md error duplicate-number: RFC 0008 is also used by rfcs/0008-mismatch.accepted.md');
    expect(lines).toContain('rfcs/0008-mismatch.accepted.md error duplicate-number: RFC 0008 is also used by rfcs/0008-duplicate.draft.md');
    expect(lines).toContain('rfcs/0009-no-header.draft.md:1 error missing-status: header has no Status row');
    expect(lines).toContain('rfcs/0010-links.draft.md:1 error title-number-mismatch: title says 0011 but the file name says 0010');
    expect(lines).toContain('rfcs/0010-links.draft.md:10:3 error broken-link: link target ./0001-cross-repo-realms.draft.md does not exist (renamed to 0001-cross-repo-realms.md?)');
    expect(lines).toContain('rfcs/notes.md warning unrecognised-name: not an RFC name; expected NNNN-slug.<status>.md, NNNN-{D|A|I|S}-slug.md or NNNN-slug.md');
    // one summary line per folder, not a finding per file
    expect(lines.filter((l) => l.includes('legacy-name'))).toEqual([
      "rfcs/ warning legacy-name: 3 in blue's letter form (NNNN-{D|A|I|S}-slug.md), 1 bare (NNNN-slug.md) names; a transition keeps each file's form, --rename-style dotted modernises it",
    ]);
  });

  it('does not flag good documents or good links', () => {
    const clean = ['rfcs/0004-judge-discipline.accepted.md', 'rfcs/0005-hybrid-storage.wip.md', 'adrs/0000-never-give-up.accepted.md', 'adrs/0001-derived.draft.md'];
    expect(findings.filter((f) => clean.includes(f.file))).toEqual([]);
    expect(findings.filter((f) => f.rule === 'broken-link')).toHaveLength(1);
    expect(findings).toHaveLength(9);
    expect(hasErrors(findings)).toBe(true);
  });
});
