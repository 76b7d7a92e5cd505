import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureContext } from '../support.ts';
import { blueDocsRoot, ls, read } from './helpers.ts';

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(cwd);
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

const ID = '2026-01-27T2229Z-adr-architecture-review-greenfield-claude-as-implementer';

describe("blue index / record on blue's layout", () => {
  it('blue index prints the counts by status and every file it did not read', async () => {
    const r = await run(blueDocsRoot(), 'index');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 5)).toEqual([
      expect.stringMatching(/^indexed 109 documents, \d+ links$/),
      '  rfc: 41 draft, 12 accepted, 3 in-progress, 23 implemented, 6 superseded',
      '  adr: 19 accepted',
      '  dialogue: 5 recorded',
      'skipped .blue/docs/rfcs/0017-plan-file-authority.plan.md (RFC plan companion)',
    ]);
    expect(r.out).toContain('skipped .blue/docs/rfcs/0057-dynamodb-e2e-encryption.pdf (not Markdown)\n');
  });

  it('blue record status publishes a flat record and rewrites the links to it', async () => {
    const root = blueDocsRoot();
    const r = await run(root, 'record', 'status', '2026-01-27T2229Z', '--set', 'published');
    expect(r).toEqual({ code: 0, out: `record 2026-01-27T2229Z: recorded → published (.blue/docs/dialogues/${ID}.dialogue.pub.md)\n`, err: '' });
    expect(ls(root, '.blue/docs/dialogues')).toContain(`${ID}.dialogue.pub.md`);
    expect(read(root, '.blue/docs/rfcs/0039-I-adr-architecture-greenfield-clarifications.md')).toContain(
      `| **Dialogue** | [${ID}.dialogue.pub.md](../dialogues/${ID}.dialogue.pub.md) |`,
    );
    const again = await run(root, 'record', 'status', ID, '--set', 'published');
    expect(again).toMatchObject({ code: 2, err: 'error[E_TRANSITION] published → published is not allowed; next: none (terminal)\n' });
    expect((await run(root, 'record', 'status', '2026-01', '--set', 'published')).err).toMatch(/^error\[E_USAGE\] "2026-01" names 3 dialogue records: /);
    const list = JSON.parse((await run(root, 'record', 'list', '--status', 'published', '--json')).out);
    expect(list).toMatchObject([{ slug: ID, status: 'published' }]);
  });
});

describe('blue lint --fix', () => {
  it("points blue's stale links at the renamed documents, and only those", async () => {
    const root = blueDocsRoot();
    const before = read(root, '.blue/docs/rfcs/0002-I-realm-mcp-integration.md');
    const r = await run(root, 'lint', '--fix');
    expect(r.code).toBe(1); // blue's other dead links remain
    expect(r.out.split('\n')[0]).toMatch(/^fixed links to \d+ renamed documents in \d+ files$/);
    expect(r.out).not.toContain('(renamed to ');
    expect(r.out.match(/ error broken-link: /g)).toHaveLength(70 - 22);
    const after = read(root, '.blue/docs/rfcs/0002-I-realm-mcp-integration.md');
    expect(after).toBe(before.replace('](0001-cross-repo-realms.md)', '](0001-A-cross-repo-realms.md)'));
    expect(after).not.toBe(before);
    expect((await run(root, 'lint', '--fix')).out.split('\n')[0]).toBe('fixed links to 0 renamed documents in 0 files');
  });
});
