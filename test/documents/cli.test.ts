import { describe, expect, it } from 'vitest';
import { counterIds, fixedClock, seededRng } from '../../src/core/index.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { corpusRoot, ls, tmpRoot } from './helpers.ts';

function context(cwd: string): CliContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd,
    env: {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    clock: fixedClock('2026-03-01T12:00:00Z'),
    ids: counterIds(),
    rng: seededRng(1),
    isTTY: false,
    setExitCode: () => undefined,
    out: () => out,
    err: () => err,
  };
}

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = context(cwd);
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('blue rfc / adr / index / lint', () => {
  it('runs the issue walkthrough with the right exit codes', async () => {
    const root = tmpRoot();
    expect(await run(root, 'rfc', 'create', 'Hybrid storage architecture')).toEqual({ code: 0, out: 'created rfcs/0001-hybrid-storage-architecture.draft.md\n', err: '' });
    expect((await run(root, 'rfc', 'status', '1', '--set', 'accepted')).code).toBe(0);
    expect(ls(root, 'rfcs')).toEqual(['0001-hybrid-storage-architecture.accepted.md']);
    expect(await run(root, 'rfc', 'show', '0')).toEqual({ code: 2, out: '', err: 'error[E_USAGE] number "0" is not a document number; expected 1 to 9999\n' });
    expect(await run(root, 'rfc', 'status', '1', '--set', 'rejected')).toEqual({
      code: 2,
      out: '',
      err: 'error[E_TRANSITION] accepted → rejected is not allowed; next: in-progress, implemented, superseded, draft\n',
    });
    expect((await run(root, 'adr', 'create', 'Use SQLite for dialogue state', '--rfc', '1')).out).toBe('created adrs/0001-use-sqlite-for-dialogue-state.draft.md\n');
    const list = await run(root, 'rfc', 'list', '--status', 'accepted', '--json');
    expect(JSON.parse(list.out)).toMatchObject([{ number: 1, status: 'accepted', title: 'Hybrid storage architecture' }]);
    expect(JSON.parse((await run(root, 'rfc', 'list', '--status', 'draft', '--json')).out)).toEqual([]);
    const show = JSON.parse((await run(root, 'rfc', 'show', '1', '--json')).out);
    expect(show.links).toEqual([{ source: 'adrs/0001-use-sqlite-for-dialogue-state.draft.md', kind: 'rfc_to_adr', target: 'rfc:1', line: 7 }]);
    expect(JSON.parse((await run(root, 'index', '--json')).out)).toEqual({
      documents: 2,
      links: 1,
      statuses: { rfc: { accepted: 1 }, adr: { proposed: 1 } },
      stray: { unrecognised: [], companions: [], other: [] },
    });
    expect(await run(root, 'lint')).toEqual({ code: 0, out: 'no problems found\n', err: '' });
  });

  it('bad input: one line, exit 2', async () => {
    const root = tmpRoot();
    expect(await run(root, 'rfc', 'create', '!!!')).toMatchObject({ code: 2, err: 'error[E_USAGE] title "!!!" has no letters or digits to make a file name from\n' });
    expect(await run(root, 'rfc', 'status', '3', '--set', 'accepted')).toMatchObject({ code: 2, err: 'error[E_NOT_FOUND] RFC 0003 not found in rfcs/\n' });
    expect((await run(root, 'rfc', 'status', 'x', '--set', 'accepted')).code).toBe(2);
    expect((await run(root, 'adr', 'list', '--status', 'wip')).err).toContain('error[E_USAGE] unknown adr status "wip"');
  });

  it('lint exits 1 on errors and prints file:line', async () => {
    const r = await run(corpusRoot(), 'lint');
    expect(r.code).toBe(1);
    expect(r.out).toContain('rfcs/0007-cert-manager.draft.md:5 error unknown-status: "Complete" is not an RFC status\n');
  });
});
