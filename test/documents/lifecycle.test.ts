import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrownUserError } from '../support.ts';
import { type DocFs, Journal, createAdr, createRfc, nodeFs, setDocumentStatus } from '../../src/realm/documents/index.ts';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import { openDocIndex } from '../../src/realm/documents/queries.ts';
import { corpusRoot, git, gitInit, ls, read, tmpRoot } from './helpers.ts';

const deps = { now: '2026-03-01T10:00:00.000Z' };

const thrown = thrownUserError;

describe('create', () => {
  it('numbers RFCs and ADRs after the highest of index and disk', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    expect(createRfc(root, index, 'Hybrid  storage architecture', '2026-03-01', deps)).toEqual({ file: 'rfcs/0011-hybrid-storage-architecture.draft.md', number: 11 });
    expect(read(root, 'rfcs/0011-hybrid-storage-architecture.draft.md')).toContain('# RFC 0011: Hybrid storage architecture\n');
    const adr = createAdr(root, index, 'Use SQLite for dialogue state', '2026-03-01', deps, { rfc: 4 });
    expect(adr.file).toBe('adrs/0002-use-sqlite-for-dialogue-state.draft.md');
    expect(read(root, adr.file)).toContain('| **RFC**    | RFC 0004: Judge Discipline |');
    expect(index.list('adr', 'proposed').map((d) => d.file)).toEqual(['adrs/0001-derived.draft.md', adr.file]);
  });

  it('refuses titles that slugify to nothing, and unknown RFCs, writing nothing', () => {
    const root = tmpRoot();
    const index = openDocIndex(root);
    expect(thrown(() => createRfc(root, index, '../../ !!', '2026-03-01', deps)).code).toBe('E_USAGE');
    expect(thrown(() => createAdr(root, index, 'X', '2026-03-01', deps, { rfc: 9 })).message).toBe('RFC 0009 not found in rfcs/');
    expect(fs.existsSync(path.join(root, 'rfcs'))).toBe(false);
    expect(createRfc(root, index, '../etc/passwd', '2026-03-01', deps).file).toBe('rfcs/0001-etc-passwd.draft.md');
  });
});

describe('status transitions', () => {
  it('renames, rewrites the header in its own syntax and re-indexes', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    const out = setDocumentStatus(root, index, 'rfc', 5, 'implemented', deps);
    expect(out).toEqual({ from: 'in-progress', to: 'implemented', previousFile: 'rfcs/0005-hybrid-storage.wip.md', file: 'rfcs/0005-hybrid-storage.impl.md' });
    const text = read(root, out.file);
    expect(text).toContain('| **Status** | Implemented |');
    expect(text).toContain('## Notes\n\n| **Status** | Draft |'); // the body is untouched
    expect(ls(root, 'rfcs')).not.toContain('0005-hybrid-storage.wip.md');
    expect(index.list('rfc', 'implemented').map((d) => d.file)).toContain(out.file);

    const inline = setDocumentStatus(root, index, 'rfc', 4, 'in-progress', deps);
    expect(read(root, inline.file)).toContain('**Status:** In Progress\n**Date:** 2026-02-01');
  });

  it("keeps each file's naming style, unless told to rename it", () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    expect(setDocumentStatus(root, index, 'rfc', 1, 'in-progress', deps).file).toBe('rfcs/0001-cross-repo-realms.md'); // bare stays bare
    expect(read(root, 'rfcs/0001-cross-repo-realms.md')).toContain('| **Status** | In Progress |');
    expect(setDocumentStatus(root, index, 'rfc', 2, 'draft', deps).file).toBe('rfcs/0002-D-port-coherence.md'); // blue's letters stay letters
    expect(read(root, 'rfcs/0002-D-port-coherence.md')).toContain('| **Status** | Draft    |');
    expect(setDocumentStatus(root, index, 'rfc', 1, 'implemented', deps, { renameStyle: 'dotted' }).file).toBe('rfcs/0001-cross-repo-realms.impl.md');
    expect(setDocumentStatus(root, index, 'rfc', 2, 'accepted', deps, { renameStyle: 'keep' }).file).toBe('rfcs/0002-A-port-coherence.md');
    // accepted → in-progress is A → A in blue's letters: only the header changes
    expect(setDocumentStatus(root, index, 'rfc', 2, 'in-progress', deps).file).toBe('rfcs/0002-A-port-coherence.md');
  });

  it('refuses a status the kept style cannot name, changing nothing', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    setDocumentStatus(root, index, 'rfc', 2, 'draft', deps);
    const before = read(root, 'rfcs/0002-D-port-coherence.md');
    const err = thrown(() => setDocumentStatus(root, index, 'rfc', 2, 'rejected', deps));
    expect(err.oneLine()).toBe(
      "error[E_USAGE] rfcs/0002-D-port-coherence.md: RFC 0002: blue's letter names (NNNN-{D|A|I|S}-slug.md) have no letter for rejected; expected --rename-style dotted",
    );
    expect(read(root, 'rfcs/0002-D-port-coherence.md')).toBe(before);
    expect(thrown(() => setDocumentStatus(root, index, 'adr', 1, 'accepted', deps, { renameStyle: 'letter' })).message).toBe('ADR 0001: letter names are for RFCs only');
    expect(setDocumentStatus(root, index, 'rfc', 2, 'rejected', deps, { renameStyle: 'dotted' }).file).toBe('rfcs/0002-port-coherence.rejected.md');
  });

  it("follows blue's transition table: accepted → implemented, implemented → superseded", () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    setDocumentStatus(root, index, 'rfc', 5, 'accepted', deps);
    expect(setDocumentStatus(root, index, 'rfc', 5, 'implemented', deps).file).toBe('rfcs/0005-hybrid-storage.impl.md');
    expect(setDocumentStatus(root, index, 'rfc', 5, 'superseded', deps, { by: 4 }).file).toBe('rfcs/0005-hybrid-storage.super.md');
    expect(setDocumentStatus(root, index, 'rfc', 3, 'superseded', deps, { by: 4 }).file).toBe('rfcs/0003-S-branch-workflow.md');
  });

  it('refuses an illegal move with the allowed next states', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    setDocumentStatus(root, index, 'rfc', 5, 'implemented', deps);
    const err = thrown(() => setDocumentStatus(root, index, 'rfc', 5, 'draft', deps));
    expect(err.code).toBe('E_TRANSITION');
    expect(err.message).toBe('implemented → draft is not allowed; next: superseded');
    expect(exitCodeOf(err)).toBe(2);
    expect(ls(root, 'rfcs')).toContain('0005-hybrid-storage.impl.md');
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 6, 'draft', deps)).message).toBe('superseded → draft is not allowed; next: none (terminal)');
    expect(thrown(() => setDocumentStatus(root, index, 'adr', 0, 'proposed', deps)).message).toBe('accepted → proposed is not allowed; next: superseded');
  });

  it('refuses bad input without renaming or rewriting anything', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    const before = ls(root, 'rfcs').map((f) => [f, read(root, `rfcs/${f}`)]);
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 4, 'done', deps)).code).toBe('E_USAGE');
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 77, 'accepted', deps)).code).toBe('E_NOT_FOUND');
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 7, 'accepted', deps)).oneLine()).toBe(
      'error[E_DOCUMENT] rfcs/0007-cert-manager.draft.md:5: unknown rfc status "Complete" in the header',
    );
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 9, 'accepted', deps)).message).toBe('header has no Status row');
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 8, 'accepted', deps)).code).toBe('E_DOCUMENT'); // duplicate number
    fs.rmSync(path.join(root, 'rfcs/0008-duplicate.draft.md'));
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 8, 'in-progress', deps)).message).toBe('file name says accepted but header says draft');
    expect(ls(root, 'rfcs').map((f) => [f, read(root, `rfcs/${f}`)])).toEqual(before.filter(([f]) => f !== '0008-duplicate.draft.md'));
  });

  it('superseded requires --by and writes both rows', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 4, 'superseded', deps)).message).toBe('superseded requires --by N (the superseding document)');
    expect(thrown(() => setDocumentStatus(root, index, 'rfc', 4, 'accepted', deps, { by: 5 })).code).toBe('E_USAGE');
    const out = setDocumentStatus(root, index, 'rfc', 4, 'superseded', deps, { by: 5 });
    expect(out.file).toBe('rfcs/0004-judge-discipline.super.md');
    expect(read(root, out.file)).toContain('**Status:** Superseded\n**Superseded By:** RFC 0005: Hybrid Storage\n**Date:** 2026-02-01');
    expect(read(root, 'rfcs/0005-hybrid-storage.wip.md')).toContain('| **Status** | In Progress |\n| **Supersedes** | RFC 0004: Judge Discipline |');
    const links = index.links('supersedes', 'superseded_by').map(({ source, kind, target }) => ({ source, kind, target }));
    expect(links).toEqual([
      { source: 'rfcs/0004-judge-discipline.super.md', kind: 'superseded_by', target: 'rfc:5' },
      { source: 'rfcs/0006-S-plan-file-authority.md', kind: 'superseded_by', target: 'rfc:5' },
      { source: 'rfcs/0005-hybrid-storage.wip.md', kind: 'supersedes', target: 'rfc:4' },
    ]);
  });

  it('rolls back the rename and the other document when a write fails', () => {
    const root = corpusRoot();
    const index = openDocIndex(root);
    const before = ls(root, 'rfcs').map((f) => [f, read(root, `rfcs/${f}`)]);
    let writes = 0;
    const failing: DocFs = {
      ...nodeFs,
      writeFile: (f, t) => {
        if (++writes === 2) throw new Error('disk full');
        nodeFs.writeFile(f, t);
      },
    };
    expect(() => setDocumentStatus(root, index, 'rfc', 4, 'superseded', { ...deps, fs: failing }, { by: 5 })).toThrow('disk full');
    expect(ls(root, 'rfcs').map((f) => [f, read(root, `rfcs/${f}`)])).toEqual(before);
  });

  it('uses git mv inside a git work tree', () => {
    const root = corpusRoot();
    gitInit(root);
    const index = openDocIndex(root);
    setDocumentStatus(root, index, 'rfc', 5, 'accepted', deps);
    const status = git(root, 'status', '--porcelain');
    expect(status).toContain('RM rfcs/0005-hybrid-storage.wip.md -> rfcs/0005-hybrid-storage.accepted.md');
    expect(read(root, 'rfcs/0005-hybrid-storage.accepted.md')).toContain('| **Status** | Accepted    |');
  });

  it('rolls back a git mv too', () => {
    const root = corpusRoot();
    gitInit(root);
    const index = openDocIndex(root);
    const failing: DocFs = { ...nodeFs, writeFile: () => { throw new Error('read-only'); } };
    expect(() => setDocumentStatus(root, index, 'rfc', 5, 'accepted', { ...deps, fs: failing })).toThrow('read-only');
    expect(git(root, 'status', '--porcelain').split('\n').filter((l) => l.includes('rfcs/'))).toEqual([]);
  });
});

describe('journal', () => {
  it('refuses to move a file onto an existing one, leaving both intact', () => {
    const root = tmpRoot();
    const from = path.join(root, 'a.md');
    const to = path.join(root, 'b.md');
    fs.writeFileSync(from, 'a');
    fs.writeFileSync(to, 'b');
    const err = thrown(() => Journal.run(nodeFs, (j) => j.move(from, to)));
    expect(err.code).toBe('E_EXISTS');
    expect([fs.readFileSync(from, 'utf8'), fs.readFileSync(to, 'utf8')]).toEqual(['a', 'b']);
  });

  it('writes atomically, leaving no temp file behind', () => {
    const root = tmpRoot();
    nodeFs.writeFile(path.join(root, 'x.md'), 'x');
    expect(fs.readdirSync(root)).toEqual(['x.md']);
  });
});
