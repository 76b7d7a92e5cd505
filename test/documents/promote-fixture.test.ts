/**
 * The comparison: blue's rfc-0058 supersession dialogue replayed offline (no LLM judge),
 * promoted into blue's own documents, beside the real RFC 0058 it amended.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseMarkdown } from '../../src/markdown/processor.ts';
import { lintDocuments } from '../../src/realm/documents/index.ts';
import { RFC_0058 } from '../fixture-paths.ts';
import { captureContext } from '../support.ts';
import { blueDocsRoot, golden, read } from './helpers.ts';

const QUESTION = 'Should RFC 0058 (Encrypted DynamoDB Storage) be superseded by a hybrid architecture that uses a scalable relational database alongside DynamoDB?';
const RFC58 = '.blue/docs/rfcs/0058-D-encrypted-dynamodb-storage.md';

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(cwd, { clock: '2026-02-07T09:00:00Z' });
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

/** Every table row of the document, as text, per table. */
function tableRows(markdown: string): string[][] {
  const tables = parseMarkdown(markdown).children.filter((n) => n.type === 'table');
  return tables.map((t) => t.children.map((r) => markdown.slice(r.position?.start.offset, r.position?.end.offset)));
}

describe('the replayed rfc-0058 dialogue, promoted', () => {
  it('drafts a readable RFC, names RFC 0058, and amends it after its Summary', async () => {
    const root = blueDocsRoot();
    const started = await run(root, 'dialogue', 'start', QUESTION, '--provider', 'replay', '--replay', RFC_0058, '--no-judge', '--quiet');
    expect(started.out).toContain('RECORDING_EXHAUSTED'); // the recording runs out before velocity reaches 0
    const promoted = await run(root, 'dialogue', 'promote', '--allow-forced', '--json');
    expect(promoted.code).toBe(0);
    const out = JSON.parse(promoted.out) as { file: string; related: { number: number; file: string }[] };
    expect(out.related).toEqual([{ number: 58, file: RFC58 }]);
    expect(promoted.err).toMatch(/^note: the question names RFC 0058 \(\.blue\/docs\/rfcs\/0058-D-encrypted-dynamodb-storage\.md\); if this dialogue amends it, remove .+ and run: blue dialogue promote .+ --rfc 58\n$/);

    const draft = read(root, out.file);
    expect(draft).toBe(golden('promoted-rfc-0058-replay.md', draft));
    expect(draft).not.toContain('\\`');
    for (const rows of tableRows(draft)) expect(new Set(rows).size).toBe(rows.length);
    expect(draft).not.toContain('To be written');

    // the note's path: remove the draft, amend RFC 0058 instead
    fs.rmSync(path.join(root, out.file));
    const before = read(root, RFC58);
    const amended = await run(root, 'dialogue', 'promote', '--allow-forced', '--rfc', '58');
    expect(amended).toMatchObject({ code: 0, err: '' });
    const text = read(root, RFC58);
    const ours = text.indexOf('\n## Amendment: 2026-02-07T0900Z');
    expect(ours).toBeGreaterThan(text.indexOf('\n## Amendment: Supersession Dialogue (2026-02-06)'));
    expect(ours).toBeLessThan(text.indexOf('\n## Problem'));
    const section = text.slice(ours + 1, text.indexOf('\n## Problem') + 1);
    expect(section).toBe(golden('amendment-rfc-0058-replay.md', section));
    expect(section).not.toContain('\\`');
    // everything else of blue's file keeps its bytes (the header gains one Amendment row)
    expect(text.replace(section, '').split('\n').filter((l) => !l.startsWith('| **Amendment**'))).toEqual(before.split('\n').filter((l) => !l.startsWith('| **Amendment**')));
    const record = lintDocuments(root).filter((f) => f.file === RFC58 || f.file.includes('2026-02-07T0900Z'));
    expect(record).toEqual([]);
  });
});
