/**
 * Every bad input: exit 2, exactly one stderr line `error[CODE] …` (no stack trace), and nothing
 * stored changes — no file under the test folder is created, removed or altered. Then the inputs
 * that used to be refused or mangled and are now accepted safely (ids, non-Latin titles, HTML,
 * control characters).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureContext, tempDir } from '../support.ts';

const EXAMPLE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/api-versioning');
const QUESTION = 'How should we version our public HTTP API?';

/** Seven levels of nine aliases: 9^7 nodes when expanded (a "billion laughs"). */
const ALIAS_BOMB = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`), ''].join('\n');

/** sha256 per file under `dir` (SQLite's -wal/-shm side files aside: opening a database may create them). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (!/-(wal|shm)$/.test(e.name)) out[path.relative(dir, full)] = e.isSymbolicLink() ? `link:${fs.readlinkSync(full)}` : crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function run(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(cwd, { env });
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

/** `base/rec`: a copy of the example recording, changed by `edit`. */
function recording(base: string, edit: (rec: string) => void): string {
  const rec = path.join(base, 'rec');
  fs.cpSync(EXAMPLE, rec, { recursive: true });
  edit(rec);
  return rec;
}

const replay = (rec: string) => ['--provider', 'replay', '--replay', rec, '--quiet'];
const start = (rec = EXAMPLE) => ['dialogue', 'start', QUESTION, ...replay(rec)];

/** A repo `base/repo` joined to a realm `base/realm` with domain `s3`, plus schema and value files. */
async function realmRepo(base: string, contract = false): Promise<string> {
  const repo = path.join(base, 'repo');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'schema.json'), '{"type":"object"}\n');
  fs.writeFileSync(path.join(repo, 'value.yaml'), 'bucket: a\n');
  fs.writeFileSync(path.join(repo, 'bomb.yaml'), ALIAS_BOMB);
  fs.mkdirSync(path.join(repo, 'models'));
  for (const argv of [
    ['realm', 'init', '--name', 'lc', '--path', '../realm'],
    ['realm', 'join', '../realm'],
    ['realm', 'domain', 'create', 's3', '--repos', 'repo'],
    ...(contract ? [['realm', 'contract', 'create', 'perms', '--domain', 's3', '--owner', 'repo', '--schema', 'schema.json', '--value', 'value.yaml']] : []),
  ]) {
    const r = await run(argv, repo);
    expect(r.code, r.err).toBe(0);
  }
  return repo;
}

interface Case {
  name: string;
  /** Prepares `base` (a fresh temp folder); returns argv and the cwd (default `base`). */
  setup: (base: string) => Promise<{ argv: string[]; cwd?: string; env?: Record<string, string | undefined> }> | { argv: string[]; cwd?: string; env?: Record<string, string | undefined> };
  code: string;
  message: RegExp;
  /** Exit code when not 2 (a missing API key is "provider unavailable", 4). */
  exit?: number;
}

const CASES: Case[] = [
  { name: 'an unknown pool name', setup: () => ({ argv: [...start(), '--pool', 'nope'] }), code: 'E_POOL', message: /pool "nope" not found/ },
  {
    name: 'a pool file with a bad tier (file:line)',
    setup: (base) => {
      fs.mkdirSync(path.join(base, 'pools'));
      fs.writeFileSync(path.join(base, 'pools', 'broken.yaml'), 'domain: Broken\nexperts:\n  - role: Architect\n    tier: Core\n    relevance: 0.9\n  - role: Oracle\n    tier: Legendary\n    relevance: 0.5\n');
      return { argv: [...start(), '--pool', 'broken'] };
    },
    code: 'E_POOL',
    message: /pools\/broken\.yaml:7:\d+ experts\[1\]\.tier.*Legendary/,
  },
  {
    name: 'malformed JSON in a --pool expert-pool.json',
    setup: (base) => (fs.writeFileSync(path.join(base, 'expert-pool.json'), '{"domain": "x", "experts": [\n'), { argv: [...start(), '--pool', 'expert-pool.json'] }),
    code: 'E_POOL',
    message: /expert-pool\.json.*invalid JSON/,
  },
  { name: 'an empty question', setup: () => ({ argv: ['dialogue', 'start', '   ', ...replay(EXAMPLE)] }), code: 'E_USAGE', message: /the question is empty/ },
  { name: 'a missing replay folder', setup: () => ({ argv: start('no/such/folder') }), code: 'E_REPLAY', message: /no\/such\/folder/ },
  {
    name: '--provider anthropic without ANTHROPIC_API_KEY',
    setup: () => ({ argv: ['dialogue', 'start', QUESTION, '--provider', 'anthropic', '--quiet'], env: { ANTHROPIC_API_KEY: undefined } }),
    code: 'E_LLM_AUTH',
    message: /ANTHROPIC_API_KEY.*--provider replay/,
    exit: 4,
  },
  {
    name: 'malformed JSON in a replay round-N/panel.json (blue layout)',
    setup: (base) => ({
      argv: start(
        recording(base, (r) => {
          fs.rmSync(path.join(r, 'round-0', 'panel.yaml'));
          fs.writeFileSync(path.join(r, 'round-0', 'panel.json'), '{"agents": [\n');
        }),
      ),
    }),
    code: 'E_REPLAY',
    message: /round-0\/panel\.json:2:1: invalid JSON/,
  },
  {
    name: 'malformed JSON in a replay recording/round-0/<expert>.json',
    setup: (base) => ({ argv: start(recording(base, (r) => (fs.mkdirSync(path.join(r, 'recording', 'round-0'), { recursive: true }), fs.writeFileSync(path.join(r, 'recording', 'round-0', 'muffin.json'), '{bad')))) }),
    code: 'E_REPLAY',
    message: /recording\/round-0\/muffin\.json:1:2: invalid JSON/,
  },
  {
    name: "malformed JSON in a replay's expert-pool.json",
    setup: (base) => ({ argv: start(recording(base, (r) => (fs.rmSync(path.join(r, 'dialogue.yaml')), fs.writeFileSync(path.join(r, 'expert-pool.json'), '{"domain": ')))) }),
    code: 'E_REPLAY',
    message: /expert-pool\.json:\d+:\d+: invalid JSON/,
  },
  {
    name: 'a YAML alias bomb in .blue/config.yaml',
    setup: (base) => (fs.mkdirSync(path.join(base, '.blue')), fs.writeFileSync(path.join(base, '.blue', 'config.yaml'), ALIAS_BOMB), { argv: start() }),
    code: 'E_CONFIG',
    message: /\.blue\/config\.yaml: invalid YAML: Excessive alias count/,
  },
  {
    name: "a YAML alias bomb in a replay's dialogue.yaml",
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'dialogue.yaml'), `${ALIAS_BOMB}question: hi\n`))) }),
    code: 'E_REPLAY',
    message: /dialogue\.yaml: invalid YAML: Excessive alias count/,
  },
  {
    name: 'a YAML alias bomb in a replay panel.yaml',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'panel.yaml'), ALIAS_BOMB))) }),
    code: 'E_REPLAY',
    message: /panel\.yaml: invalid YAML: Excessive alias count/,
  },
  {
    name: 'a YAML alias bomb in a --schema file',
    setup: async (base) => ({ cwd: await realmRepo(base), argv: ['realm', 'contract', 'create', 'perms', '--domain', 's3', '--owner', 'repo', '--schema', 'bomb.yaml', '--value', 'value.yaml'] }),
    code: 'E_REALM',
    message: /bomb\.yaml: malformed YAML: Excessive alias count/,
  },
  {
    name: 'a YAML alias bomb in a realm contract',
    setup: async (base) => {
      const repo = await realmRepo(base, true);
      fs.appendFileSync(path.join(base, 'realm', 'domains', 's3', 'contracts', 'perms.yaml'), ALIAS_BOMB.replace(/^a:/, 'zz:').replace(/\*a/g, '*a'));
      return { cwd: repo, argv: ['realm', 'check'] };
    },
    code: 'E_REALM',
    message: /contracts\/perms\.yaml: malformed YAML/,
  },
  {
    name: '--schema naming a directory',
    setup: async (base) => ({ cwd: await realmRepo(base), argv: ['realm', 'contract', 'create', 'perms', '--domain', 's3', '--owner', 'repo', '--schema', 'models', '--value', 'value.yaml'] }),
    code: 'E_USAGE',
    message: /models: is a directory, not a file/,
  },
  {
    name: '--source naming a directory (dialogue start)',
    setup: (base) => (fs.mkdirSync(path.join(base, 'docs')), { argv: [...start(), '--source', 'docs'] }),
    code: 'E_USAGE',
    message: /--source: docs is a directory, not a file/,
  },
  {
    name: '--source naming a directory (realm binding export)',
    setup: async (base) => ({ cwd: await realmRepo(base, true), argv: ['realm', 'binding', 'export', 'perms', '--domain', 's3', '--source', 'models'] }),
    code: 'E_USAGE',
    message: /models: is a directory, not a source file/,
  },
  {
    name: 'a binary replay panel.yaml',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'panel.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe])))) }),
    code: 'E_REPLAY',
    message: /round-0\/panel\.yaml:1:\d+: binary content/,
  },
  {
    name: 'a replay panel.yaml with no experts',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'panel.yaml'), 'round: 0\nexperts: []\n'))) }),
    code: 'E_REPLAY',
    message: /no panel in panel\.yaml/,
  },
  {
    name: 'a replay response that is a symlink out of the recording folder',
    setup: (base) => {
      fs.writeFileSync(path.join(base, 'secret.txt'), 'not for the experts\n');
      const rec = recording(base, (r) => (fs.rmSync(path.join(r, 'round-0', 'muffin.md')), fs.symlinkSync(path.join(base, 'secret.txt'), path.join(r, 'round-0', 'muffin.md'))));
      return { argv: start(rec) };
    },
    code: 'E_REPLAY',
    message: /round-0\/muffin\.md: a link out of the replay folder/,
  },
  {
    name: 'a replay panel.yaml that is a symlink out of the recording folder',
    setup: (base) => {
      fs.writeFileSync(path.join(base, 'outside.yaml'), fs.readFileSync(path.join(EXAMPLE, 'round-0', 'panel.yaml')));
      const rec = recording(base, (r) => (fs.rmSync(path.join(r, 'round-0', 'panel.yaml')), fs.symlinkSync(path.join(base, 'outside.yaml'), path.join(r, 'round-0', 'panel.yaml'))));
      return { argv: start(rec) };
    },
    code: 'E_REPLAY',
    message: /a link out of the replay folder/,
  },
  {
    name: 'a replay response that is a dangling symlink',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.symlinkSync(path.join(base, 'gone.md'), path.join(r, 'round-0', 'ghost.md')))) }),
    code: 'E_REPLAY',
    message: /round-0\/ghost\.md: cannot read \(ENOENT\)/,
  },
  {
    name: 'a seat named `summary` (would overwrite round-N/summary.md)',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'panel.yaml'), fs.readFileSync(path.join(r, 'round-0', 'panel.yaml'), 'utf8').replace('name: Muffin', 'name: Summary')))) }),
    code: 'E_REPLAY',
    message: /experts\[0\]\.name: expert name "summary" is the name of a generated file/,
  },
  {
    name: 'a seat named `x.prompt` (would pose as an audit copy)',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'panel.yaml'), fs.readFileSync(path.join(r, 'round-0', 'panel.yaml'), 'utf8').replace('name: Muffin', 'name: x.prompt')))) }),
    code: 'E_REPLAY',
    message: /expert name "x\.prompt" is not a plain name/,
  },
  {
    name: 'a seat name with a path (`../../evil`)',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'panel.yaml'), fs.readFileSync(path.join(r, 'round-0', 'panel.yaml'), 'utf8').replace('name: Muffin', 'name: ../../evil')))) }),
    code: 'E_REPLAY',
    message: /expert name "\.\.\/\.\.\/evil" is not a plain name/,
  },
  {
    name: 'a response file whose name is not a plain name (`two words.md`)',
    setup: (base) => ({ argv: start(recording(base, (r) => fs.writeFileSync(path.join(r, 'round-0', 'two words.md'), 'hello\n'))) }),
    code: 'E_REPLAY',
    message: /expert name "two words" is not a plain name/,
  },
  {
    name: '`resume ""` in a workspace holding one dialogue (matches nothing)',
    setup: async (base) => (expect((await run(start(), base)).code).toBe(0), { argv: ['dialogue', 'resume', ''] }),
    code: 'E_USAGE',
    message: /the dialogue id is empty/,
  },
  {
    name: '`show ""` in a workspace holding one dialogue',
    setup: async (base) => (expect((await run(start(), base)).code).toBe(0), { argv: ['dialogue', 'show', ' '] }),
    code: 'E_USAGE',
    message: /the dialogue id is empty/,
  },
  { name: 'a --title with nothing to slug', setup: () => ({ argv: [...start(), '--title', '!!!'] }), code: 'E_USAGE', message: /"!!!" has no letters or digits/ },
  { name: 'an RFC title with nothing to slug', setup: () => ({ argv: ['rfc', 'create', ' ?! '] }), code: 'E_USAGE', message: /has no letters or digits to make a file name/ },
  { name: '`dialogue status` outside any workspace', setup: () => ({ argv: ['dialogue', 'status'] }), code: 'E_NOT_FOUND', message: /no Blue workspace in .* or any parent directory; expected .*blue init/ },
  { name: '`dialogue show <id>` outside any workspace', setup: () => ({ argv: ['dialogue', 'show', 'x'] }), code: 'E_NOT_FOUND', message: /no Blue workspace/ },
  { name: '`dialogue resume <id>` outside any workspace', setup: () => ({ argv: ['dialogue', 'resume', 'x'] }), code: 'E_NOT_FOUND', message: /no Blue workspace/ },
  { name: '`rfc show 1` outside any workspace', setup: () => ({ argv: ['rfc', 'show', '1'] }), code: 'E_NOT_FOUND', message: /no Blue workspace/ },
];

describe('bad input: one line, exit 2, nothing changed', () => {
  it.each(CASES)('$name', async ({ setup, code, message, exit }) => {
    const base = tempDir();
    const { argv, cwd, env } = await setup(base);
    const before = snapshot(base);
    const r = await run(argv, cwd ?? base, env);
    const lines = r.err.split('\n').filter((l) => l !== '');
    expect(r.code, r.err).toBe(exit ?? 2);
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error\\[${code}\\] `));
    expect(lines[0]).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(snapshot(base)).toEqual(before);
  }, 60_000);

  it('covers every case of issue 9 item 6', () => {
    expect(CASES).toHaveLength(34);
  });
});

describe('inputs once refused or mangled, now accepted safely', () => {
  it('the same question twice in one minute: a second dialogue `…-2`, the first untouched', async () => {
    const cwd = tempDir();
    expect((await run(start(), cwd)).code).toBe(0);
    const [first] = fs.readdirSync(path.join(cwd, 'dialogues'));
    const before = snapshot(path.join(cwd, 'dialogues', first!));
    const second = await run(start(), cwd);
    expect(second.code, second.err).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'dialogues')).sort()).toEqual([first, `${first}-2`]);
    expect(snapshot(path.join(cwd, 'dialogues', first!))).toEqual(before);
    expect(second.out).toContain(`CONVERGED: ${first}-2 after 3 rounds`);
  }, 60_000);

  it('a Chinese question and a Chinese RFC title are transliterated into their slugs', async () => {
    const cwd = tempDir();
    const r = await run(['dialogue', 'start', '我们应该如何设计 API 版本？', ...replay(EXAMPLE)], cwd);
    expect(r.code, r.err).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'dialogues'))).toEqual(['2026-11-21T1000Z-wo-men-ying-gai-ru-he-she-ji-api-ban-ben']);
    const rfc = await run(['rfc', 'create', '数据库架构'], cwd);
    expect(rfc.code, rfc.err).toBe(0);
    expect(rfc.out).toBe('created rfcs/0001-shu-ju-ku-jia-gou.draft.md\n');
  }, 60_000);

  it('raw HTML in the question is escaped and ESC/BEL/CR never reach a generated file', async () => {
    const cwd = tempDir();
    const question = 'How should we <script>alert(1)</script> version the API \u001b[31mred\u0007 bell\r back?';
    const r = await run(['dialogue', 'start', question, '--constraint', 'keep \u001b[2J <img src=x onerror=alert(1)>', ...replay(EXAMPLE)], cwd);
    expect(r.code, r.err).toBe(0);
    const dir = path.join(cwd, 'dialogues');
    const files: string[] = [];
    const walk = (d: string): void => void fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
    walk(dir);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\r(?!\n)/);
    const record = fs.readFileSync(files.find((f) => f.endsWith('.dialogue.recorded.md'))!, 'utf8');
    expect(record).toContain('\\<script>alert(1)\\</script>');
    expect(record).not.toMatch(/(?<!\\)<(script|img)/);
    expect(record).not.toContain('31m'); // the escape sequence goes whole, not just its ESC
    const rfc = await run(['rfc', 'create', 'Red \u001b[31mtitle\u0007 here'], cwd);
    expect(rfc.out).toBe('created rfcs/0001-red-title-here.draft.md\n');
  }, 60_000);
});
