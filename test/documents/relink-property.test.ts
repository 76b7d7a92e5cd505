/**
 * Links survive any sequence of transitions: a property test on generated workspaces (every name
 * form, every link spelling), and ten scripted transitions on blue's own documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/index.ts';
import {
  type NameForm,
  type RenameStyle,
  formatName,
  hasErrors,
  lintDocuments,
  linkTarget,
  localLinks,
  scanDocuments,
  setDocumentStatus,
  setRecordStatus,
  statusesOf,
} from '../../src/realm/documents/index.ts';
import { openDocIndex } from '../../src/realm/documents/queries.ts';
import { blueDocsRoot, read, tmpRoot } from './helpers.ts';

const deps = { now: '2026-03-01T10:00:00.000Z' };
const ID = '2026-02-06T1839Z-x';
const RECORD = `dialogues/${ID}/${ID}.dialogue.recorded.md`;

/** Every local link of every document: [source, target, resolves]. */
function linkMap(root: string): [string, string, boolean][] {
  return scanDocuments(root).flatMap((d) =>
    localLinks(d.text).map((l): [string, string, boolean] => {
      const target = linkTarget(d.file, l.url);
      return [d.file, target, fs.existsSync(path.join(root, target))];
    }),
  );
}

/** A workspace of `forms.length` draft RFCs that all link to each other in varied spellings. */
function linkedWorkspace(forms: NameForm[]): string {
  const root = tmpRoot();
  fs.mkdirSync(path.join(root, 'rfcs'));
  fs.mkdirSync(path.join(root, 'adrs'));
  fs.mkdirSync(path.join(root, 'dialogues', ID), { recursive: true });
  const names = forms.map((form, i) => formatName({ type: 'rfc', number: i + 1, slug: `doc-${i + 1}`, status: 'draft' }, form));
  const spellings = (n: string, i: number): string[] => [`[a](${n})`, `[b](./${n}#summary)`, `[c](../rfcs/${n} "t")`, `[${n}][r${i}]`];
  names.forEach((name, i) => {
    const others = names.filter((_, j) => j !== i);
    const body = others.flatMap((n, j) => spellings(n, j)).join('\n');
    const defs = others.map((n, j) => `[r${j}]: ./${n}`).join('\n');
    const dialogue = i === 0 ? `| **Dialogue** | [${ID}](../${RECORD}) |\n` : '';
    fs.writeFileSync(
      path.join(root, 'rfcs', name),
      `# RFC ${String(i + 1).padStart(4, '0')}: Doc ${i + 1}\n\n| | |\n|---|---|\n| **Status** | Draft |\n${dialogue}\n## Summary\n\n${body}\n\n${defs}\n`,
    );
  });
  fs.writeFileSync(
    path.join(root, 'adrs', '0001-adr.accepted.md'),
    `# ADR 0001: Adr\n\n| | |\n|---|---|\n| **Status** | Accepted |\n\n## Context\n\n${names.map((n) => `- [${n}](../rfcs/${n})`).join('\n')}\n`,
  );
  fs.writeFileSync(path.join(root, RECORD), `# Alignment Dialogue: X\n\n**Status**: Converged\n**Promoted To**: [rfcs/${names[0]}](../../rfcs/${names[0]})\n\nbody\n`);
  fs.writeFileSync(path.join(root, 'README.md'), names.map((n) => `[${n}](rfcs/${n})`).join('\n') + '\n');
  return root;
}

type Step = { kind: 'rfc'; n: number; status: string; style: RenameStyle; by: number } | { kind: 'record'; status: string };

const FORMS: NameForm[] = ['dotted', 'letter', 'bare'];

describe('links survive transitions', () => {
  it('lint is clean after any sequence of transitions (property)', () => {
    const size = 4;
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 9, arbitrary: fc.record({
        kind: fc.constant('rfc' as const),
        n: fc.integer({ min: 1, max: size }),
        status: fc.constantFrom(...statusesOf('rfc')),
        style: fc.constantFrom<RenameStyle>('keep', 'keep', 'keep', ...FORMS),
        by: fc.integer({ min: 1, max: size }),
      }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('record' as const), status: fc.constantFrom(...statusesOf('dialogue')) }) },
    );
    const forms = fc.array(fc.constantFrom(...FORMS), { minLength: size, maxLength: size });
    let moved = 0;
    fc.assert(
      fc.property(forms, fc.array(step, { minLength: 1, maxLength: 8 }), (f, steps) => {
        const root = linkedWorkspace(f);
        const before = linkMap(root);
        expect(before.every(([, , ok]) => ok)).toBe(true);
        const index = openDocIndex(root);
        try {
          for (const s of steps) {
            try {
              const out =
                s.kind === 'record'
                  ? setRecordStatus(root, index, ID, s.status, deps)
                  : setDocumentStatus(root, index, 'rfc', s.n, s.status, deps, { renameStyle: s.style, ...(s.status === 'superseded' ? { by: s.by } : {}) });
              if (out.file !== out.previousFile) moved++;
            } catch (err) {
              if (!(err instanceof UserError)) throw err; // illegal moves are refused, changing nothing
            }
          }
        } finally {
          index.close();
        }
        const findings = lintDocuments(root);
        expect(findings.filter((x) => x.severity === 'error')).toEqual([]);
        expect(hasErrors(findings)).toBe(false);
        expect(linkMap(root)).toHaveLength(before.length);
        expect(read(root, 'README.md').split('\n').filter(Boolean)).toHaveLength(size);
      }),
      { numRuns: 30, seed: 14 },
    );
    expect(moved).toBeGreaterThan(20); // the property really renamed files
  });

  it("ten scripted transitions on blue's own documents leave every link resolving", () => {
    const root = blueDocsRoot();
    const rule = (r: string) => lintDocuments(root).filter((f) => f.rule === r).length;
    const before = linkMap(root);
    const errorsBefore = ['broken-link', 'duplicate-number', 'unknown-status', 'missing-status', 'name-header-mismatch'].map(rule);
    const index = openDocIndex(root);
    const steps: [number, string, number?][] = [
      [38, 'accepted'],
      [63, 'accepted'],
      [63, 'implemented'],
      [67, 'superseded', 68],
      [68, 'accepted'],
      [70, 'accepted'],
      [70, 'implemented'],
      [72, 'implemented'],
      [49, 'superseded', 73],
      [43, 'implemented'],
    ];
    const files = steps.map(([n, status, by]) => setDocumentStatus(root, index, 'rfc', n, status, deps, by ? { by } : {}).file);
    index.close();
    expect(files.map((f) => path.basename(f))).toEqual([
      '0038-A-sdlc-workflow-discipline.md',
      '0063-A-jira-cloud-integration.md',
      '0063-I-jira-cloud-integration.md',
      '0067-S-org-directory-layout.md',
      '0068-A-pm-repo-ground-truth.md',
      '0070-A-components-and-areas.md',
      '0070-I-components-and-areas.md',
      '0072-I-remove-mcp-server.md',
      '0049-S-synchronous-guard-command.md',
      '0043-I-mermaid-diagram-standards.md',
    ]);
    const after = linkMap(root);
    // every link that resolved before still resolves (to the renamed file), and none was lost
    expect(after.filter(([, , ok]) => ok)).toHaveLength(before.filter(([, , ok]) => ok).length);
    expect(after).toHaveLength(before.length);
    expect(['broken-link', 'duplicate-number', 'unknown-status', 'missing-status', 'name-header-mismatch'].map(rule)).toEqual(errorsBefore);
    expect(read(root, '.blue/docs/rfcs/0049-S-synchronous-guard-command.md')).toMatch(/\*\*Status\*\*: Superseded\n/);
  });
});
