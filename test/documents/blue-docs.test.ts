/**
 * Blue's own 85 RFCs and 19 ADRs (fixtures/blue-docs) and five of its flat dialogue records
 * (fixtures/blue-records), laid out as in blue under `.blue/docs/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAdr, createRfc, docsDir, formatFinding, lintDocuments, rebuildIndex, scanDocuments, setDocumentStatus } from '../../src/realm/documents/index.ts';
import { loadConfig } from '../../src/orchestrator/settings.ts';
import { openDocIndex } from '../../src/realm/documents/queries.ts';
import { thrownUserError } from '../support.ts';
import { blueDocsRoot, read, tmpRoot } from './helpers.ts';

const NOW = '2026-03-01T10:00:00.000Z';

describe("blue's own documents under .blue/docs", () => {
  it('indexes all 104 RFCs and ADRs and the flat dialogue records, with their statuses', () => {
    const root = blueDocsRoot();
    const index = openDocIndex(root);
    const report = rebuildIndex(root, index, NOW);
    // a flat record linked from an RFC's Dialogue row is a typed link
    expect(index.linksTouching('dialogue:2026-01-30T1730Z-rfc-0043-mermaid-diagram-standards')).toContainEqual({
      source: 'dialogue:2026-01-30T1730Z-rfc-0043-mermaid-diagram-standards',
      kind: 'dialogue_to_rfc',
      target: 'rfc:43',
      line: 8,
    });
    expect(report.statuses).toEqual({
      rfc: { draft: 41, accepted: 12, 'in-progress': 3, implemented: 23, superseded: 6 },
      adr: { accepted: 19 },
      dialogue: { recorded: 5 },
    });
    expect(report.documents).toBe(104 + 5);
    expect(report.stray).toEqual({
      unrecognised: [],
      companions: [
        '.blue/docs/rfcs/0017-plan-file-authority.plan.md',
        '.blue/docs/rfcs/0022-filesystem-authority.plan.md',
        '.blue/docs/rfcs/0033-round-scoped-dialogue-files.plan.md',
        '.blue/docs/rfcs/0034-comprehensive-config-architecture.plan.md',
      ],
      other: ['.blue/docs/rfcs/0057-dynamodb-e2e-encryption.pdf'],
    });
    const inProgress = scanDocuments(root, ['rfc']).filter((d) => d.status === 'in-progress').map((d) => path.basename(d.file));
    expect(inProgress).toEqual(['0002-A-port-coherence-functionality.md', '0010-A-realm-semantic-index.md', '0011-A-mcp-workflow-guidance.md']);
  });

  it('lints with no false mismatch: only the drifts really in the files', () => {
    const findings = lintDocuments(blueDocsRoot());
    expect(findings.filter((f) => f.rule === 'name-header-mismatch')).toEqual([]);
    const rest = findings.filter((f) => f.rule !== 'broken-link' && f.rule !== 'duplicate-number').map(formatFinding);
    expect(rest).toEqual([
      '.blue/docs/adrs/0014-alignment-dialogue-agents.accepted.md:5 error unknown-status: "Active" is not an ADR status',
      ".blue/docs/rfcs/ warning legacy-name: 85 in blue's letter form (NNNN-{D|A|I|S}-slug.md) names; a transition keeps each file's form, --rename-style dotted modernises it",
      '.blue/docs/rfcs/0015-D-cert-manager-letsencrypt.md:5 error unknown-status: "Complete" is not an RFC status',
      '.blue/docs/rfcs/0040-D-divorce-financial-summary.md:1 error missing-status: header has no Status row',
    ]);
    // blue's nine duplicated numbers (reference §1.7): 0001 and 0002 three times, seven twice
    expect(findings.filter((f) => f.rule === 'duplicate-number')).toHaveLength(20);
    // links blue left pointing at names it renamed (reference §8.1.6) are real findings
    expect(findings.map(formatFinding)).toContain(
      '.blue/docs/rfcs/0002-I-realm-mcp-integration.md:7:20 error broken-link: link target 0001-cross-repo-realms.md does not exist (renamed to 0001-A-cross-repo-realms.md?)',
    );
    const broken = findings.filter((f) => f.rule === 'broken-link');
    expect([broken.length, broken.filter((f) => f.message.includes('(renamed to ')).length]).toEqual([70, 22]);
  });
});

describe('the docs root', () => {
  it('is .blue/docs when present, the workspace root otherwise, and the docs: key when set', () => {
    const root = tmpRoot();
    expect(docsDir(root)).toBe('');
    fs.mkdirSync(path.join(root, '.blue/docs'), { recursive: true });
    expect(docsDir(root)).toBe('.blue/docs');
    fs.writeFileSync(path.join(root, '.blue/config.yaml'), 'docs: ./documents/\n');
    expect(docsDir(root)).toBe('documents');
    expect(loadConfig(root)).toEqual({ docs: './documents/' }); // the dialogue settings accept the key
    fs.writeFileSync(path.join(root, '.blue/config.yaml'), 'maxRounds: 3\ndocs: ../elsewhere\n');
    expect(thrownUserError(() => docsDir(root)).oneLine()).toBe(
      'error[E_CONFIG] .blue/config.yaml:2 docs: "../elsewhere" is outside the workspace; expected a folder inside the workspace, e.g. docs: .blue/docs',
    );
  });

  it('reads the configured folder, and reports every name it does not know', () => {
    const root = tmpRoot();
    fs.mkdirSync(path.join(root, '.blue'), { recursive: true });
    fs.writeFileSync(path.join(root, '.blue/config.yaml'), 'docs: documents\n');
    const rfcs = path.join(root, 'documents/rfcs');
    const dialogues = path.join(root, 'documents/dialogues');
    fs.mkdirSync(rfcs, { recursive: true });
    fs.mkdirSync(dialogues, { recursive: true });
    const rfc = (n: string, status: string) => `# RFC ${n}: X\n\n| | |\n|---|---|\n| **Status** | ${status} |\n`;
    fs.writeFileSync(path.join(rfcs, '0001-old.approved.md'), rfc('0001', 'Approved'));
    fs.writeFileSync(path.join(rfcs, '0002-old.superseded.md'), rfc('0002', 'Superseded'));
    fs.writeFileSync(path.join(rfcs, '0003-odd.bogus.md'), rfc('0003', 'Draft'));
    fs.writeFileSync(path.join(dialogues, 'notes.md'), '# notes\n');
    fs.writeFileSync(path.join(dialogues, '2026-01-26T0700Z-aws.dialogue.md'), '# Dialogue: AWS\n');
    const report = rebuildIndex(root, openDocIndex(root), NOW);
    expect(report.statuses).toEqual({ rfc: { accepted: 1, superseded: 1 }, dialogue: { recorded: 1 } });
    expect(report.stray.unrecognised).toEqual(['documents/rfcs/0003-odd.bogus.md', 'documents/dialogues/notes.md']);
    expect(lintDocuments(root).filter((f) => f.rule === 'unrecognised-name').map(formatFinding)).toEqual([
      'documents/dialogues/notes.md warning unrecognised-name: expected <id>.dialogue.<status>.md',
      'documents/rfcs/0003-odd.bogus.md warning unrecognised-name: not an RFC name; expected NNNN-slug.<status>.md, NNNN-{D|A|I|S}-slug.md or NNNN-slug.md',
    ]);
    expect(read(root, 'documents/rfcs/0001-old.approved.md')).toContain('Approved'); // reading changes nothing
  });
});

describe("new documents among blue's", () => {
  it("take blue's letter form where most RFCs have it, the dotted form elsewhere", () => {
    const root = blueDocsRoot();
    const index = openDocIndex(root);
    expect(createRfc(root, index, 'Hybrid storage', '2026-03-01', { now: NOW }).file).toBe('.blue/docs/rfcs/0077-D-hybrid-storage.md');
    expect(createAdr(root, index, 'Use SQLite', '2026-03-01', { now: NOW }).file).toBe('.blue/docs/adrs/0019-use-sqlite.draft.md');
    expect(setDocumentStatus(root, index, 'rfc', 77, 'accepted', { now: NOW }).file).toBe('.blue/docs/rfcs/0077-A-hybrid-storage.md');
  });
});
