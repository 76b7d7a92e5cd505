import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DocStatus,
  type DocType,
  NAME_FORMS,
  formCanWrite,
  formatName,
  nameAdmits,
  parseName,
  parseStatusWord,
  statusTitle,
  statusesOf,
} from '../../src/realm/documents/index.ts';

describe('parseName', () => {
  it('reads the dot-suffix form', () => {
    expect(parseName('rfc', '0001-hybrid-storage.wip.md')).toEqual({ type: 'rfc', number: 1, slug: 'hybrid-storage', status: 'in-progress', form: 'dotted' });
    expect(parseName('adr', '0003-x.draft.md')?.status).toBe('proposed');
    expect(parseName('rfc', '0003-x.super.md')?.status).toBe('superseded');
  });
  it("reads every token of blue's dotted era", () => {
    const read = (type: DocType, n: string) => parseName(type, n)?.status;
    expect(read('rfc', '0012-a.approved.md')).toBe('accepted');
    expect(read('rfc', '0012-a.superseded.md')).toBe('superseded');
    expect(read('rfc', '0012-a.in-progress.md')).toBe('in-progress');
    expect(read('rfc', '0012-a.implemented.md')).toBe('implemented');
    expect(read('adr', '0012-a.superseded.md')).toBe('superseded');
    expect(read('adr', '0012-a.approved.md')).toBe('accepted');
    expect(read('dialogue', 'x.dialogue.published.md')).toBe('published');
  });
  it("reads blue's letter form and bare names", () => {
    expect(parseName('rfc', '0076-I-global-guard-hook.md')).toEqual({ type: 'rfc', number: 76, slug: 'global-guard-hook', status: 'implemented', form: 'letter' });
    expect(parseName('rfc', '0002-A-port.md')?.status).toBe('accepted');
    expect(parseName('rfc', '0001-cross-repo-realms.md')).toEqual({ type: 'rfc', number: 1, slug: 'cross-repo-realms', status: null, form: 'bare' });
    // letters are RFC-only; for an ADR the letter is part of the slug
    expect(parseName('adr', '0002-A-port.md')).toMatchObject({ slug: 'A-port', form: 'bare' });
  });
  it('reads dialogue records', () => {
    expect(parseName('dialogue', '2026-02-06T1839Z-x.dialogue.recorded.md')).toEqual({ type: 'dialogue', number: null, slug: '2026-02-06T1839Z-x', status: 'recorded', form: 'dotted' });
    expect(parseName('dialogue', 'x.dialogue.pub.md')?.status).toBe('published');
    expect(parseName('dialogue', 'x.dialogue.md')?.form).toBe('bare');
  });
  it('rejects non-documents', () => {
    for (const n of ['notes.md', '0001-x.plan.md', '001-x.md', '0001-x.bogus.md', '0001-.md', '0001-x.md.txt']) expect(parseName('rfc', n)).toBeNull();
    expect(parseName('adr', '0001-x.wip.md')).toBeNull(); // wip is an RFC suffix only
  });
});

describe('formatName', () => {
  it('writes the canonical suffix form', () => {
    expect(formatName({ type: 'rfc', number: 7, slug: 'a-b', status: 'implemented' })).toBe('0007-a-b.impl.md');
    expect(formatName({ type: 'adr', number: 12, slug: 'a', status: 'proposed' })).toBe('0012-a.draft.md');
    expect(formatName({ type: 'dialogue', number: null, slug: 'id', status: 'published' })).toBe('id.dialogue.pub.md');
  });
  it('refuses a status of another type', () => {
    expect(() => formatName({ type: 'adr', number: 1, slug: 'a', status: 'in-progress' })).toThrow();
  });

  it('round-trips with parseName for every type, number, slug and status', () => {
    const slug = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 5 }).map((p) => p.join('-'));
    const arb = fc.constantFrom<DocType>('rfc', 'adr', 'dialogue').chain((type) =>
      fc.record({
        type: fc.constant(type),
        number: type === 'dialogue' ? fc.constant(null) : fc.integer({ min: 0, max: 9999 }),
        slug,
        status: fc.constantFrom(...statusesOf(type)),
      }),
    );
    fc.assert(
      fc.property(arb, (name) => {
        expect(parseName(name.type, formatName(name))).toEqual({ ...name, form: 'dotted' });
      }),
    );
  });
});

describe('nameAdmits and the name forms', () => {
  it("reads blue's letter A as accepted or in-progress (RFC 0073), and nothing else", () => {
    const a = parseName('rfc', '0010-A-realm-semantic-index.md')!;
    expect(['accepted', 'in-progress'].map((s) => nameAdmits(a, s as DocStatus))).toEqual([true, true]);
    expect(nameAdmits(a, 'draft')).toBe(false);
    expect(nameAdmits(parseName('rfc', '0001-x.md')!, 'rejected')).toBe(true);
    expect(nameAdmits(parseName('rfc', '0001-x.wip.md')!, 'accepted')).toBe(false);
  });
  it('writes each form, refusing what a form cannot say', () => {
    const n = { type: 'rfc' as const, number: 73, slug: 'branch-workflow', status: 'in-progress' as const };
    expect(formatName(n, 'letter')).toBe('0073-A-branch-workflow.md');
    expect(formatName(n, 'bare')).toBe('0073-branch-workflow.md');
    expect(() => formatName({ ...n, status: 'rejected' }, 'letter')).toThrow();
    expect(formCanWrite('adr', 'letter', 'accepted')).toBe(false);
  });
  it('round-trips every form that can say the status', () => {
    const arb = fc.record({
      number: fc.integer({ min: 0, max: 9999 }),
      slug: fc.stringMatching(/^[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}$/),
      status: fc.constantFrom(...statusesOf('rfc')),
      form: fc.constantFrom(...NAME_FORMS),
    });
    fc.assert(
      fc.property(arb, ({ form, ...rest }) => {
        const name = { type: 'rfc' as const, ...rest };
        fc.pre(formCanWrite('rfc', form, name.status));
        const back = parseName('rfc', formatName(name, form));
        expect(back).toMatchObject({ number: name.number, slug: name.slug, form });
        expect(nameAdmits(back!, name.status)).toBe(true);
      }),
    );
  });
});

describe('status words', () => {
  it('are case-insensitive and accept In Progress and Approved', () => {
    expect(parseStatusWord('rfc', 'In Progress')).toBe('in-progress');
    expect(parseStatusWord('rfc', 'IN_PROGRESS')).toBe('in-progress');
    expect(parseStatusWord('rfc', 'Approved')).toBe('accepted');
    expect(parseStatusWord('rfc', 'Complete')).toBeNull();
    expect(parseStatusWord('adr', 'draft')).toBeNull();
    expect(parseStatusWord('adr', 'PROPOSED')).toBe('proposed');
  });
  it('are written in Title Case', () => {
    expect(statusTitle('in-progress')).toBe('In Progress');
    expect(statusTitle('proposed')).toBe('Proposed');
  });
});
