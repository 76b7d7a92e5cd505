/**
 * Realm coordination across three repos and a bare remote (issue 13 items 1, 2, 5, 8): linked
 * worktrees and their rollback, PRs in merge order through a fake `gh`, the CI workflow, checks
 * inside the realm repo and against a fetched realm, `blue status`, issues after a sync, trust.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { counterIds, fixedClock } from '../../src/core/index.ts';
import { offerIssues } from '../../src/cli/commands/realm-coord.ts';
import { loadRealm } from '../../src/realm/realm/model.ts';
import { openSessions } from '../../src/realm/realm/sessions.ts';
import { captureContext, runCli } from '../support.ts';
import { S3_SCHEMA, git, initRepo, tempDir, write } from './helpers.ts';

type Run = (cwd: string, ...argv: string[]) => Promise<{ code: number; out: string; err: string }>;

/** A `gh` that records each call (cwd and argv, one JSON line) and answers like gh would. */
function fakeGh(log: string): string {
  const bin = tempDir();
  const script = [
    `#!${process.execPath}`,
    "const fs = require('node:fs'); const path = require('node:path');",
    'const argv = process.argv.slice(2);',
    `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ cwd: path.basename(process.cwd()), argv }) + '\\n');`,
    "if (argv[0] === 'pr' && argv[1] === 'view') console.log(JSON.stringify({ state: 'OPEN', url: 'https://example.test/' + path.basename(process.cwd()) + '/pull/1' }));",
    "else console.log('https://example.test/' + path.basename(process.cwd()) + '/' + argv[0] + '/1');",
  ].join('\n');
  fs.writeFileSync(path.join(bin, 'gh'), `${script}\n`);
  fs.chmodSync(path.join(bin, 'gh'), 0o755);
  return bin;
}

function calls(log: string): { cwd: string; argv: string[] }[] {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { cwd: string; argv: string[] }) : [];
}

const METRICS_SCHEMA = { type: 'object', required: ['metrics'], properties: { metrics: { type: 'array', items: { type: 'string' } } } };

describe('realm coordination (three repos, a bare remote)', () => {
  const top = tempDir();
  const home = tempDir();
  const ghLog = path.join(tempDir(), 'gh.log');
  const ghBin = fakeGh(ghLog);
  const emptyBin = tempDir();
  const [aperture, fungal, hyphae] = ['aperture', 'fungal', 'hyphae'].map((r) => path.join(top, r)) as [string, string, string];
  const realm = path.join(top, 'realm-letemcook');
  const bare = path.join(top, 'realm.git');
  const clock = fixedClock('2026-01-24T10:00:00Z', 60_000);
  const blueWith = (env: Record<string, string>) => async (cwd: string, ...argv: string[]) => {
    const { code, stdout, stderr } = await runCli(argv, cwd, { clock, env: { HOME: home, GH_LOG: ghLog, ...env } });
    return { code, out: stdout, err: stderr };
  };
  const blue: Run = blueWith({ PATH: `${ghBin}${path.delimiter}${process.env.PATH ?? ''}` });
  const noGh: Run = blueWith({ PATH: emptyBin });
  const ok = async (cwd: string, ...argv: string[]) => {
    const r = await blue(cwd, ...argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.err}`);
    return r;
  };

  beforeAll(async () => {
    for (const repo of [aperture, fungal, hyphae]) {
      initRepo(repo);
      write(repo, 'README.md', `# ${path.basename(repo)}\n`);
    }
    write(aperture, 'schema.json', JSON.stringify(S3_SCHEMA));
    write(aperture, 'value.yaml', 'read: ["jobs/*/masks/*"]\n');
    write(aperture, 'models/s3_paths.py', 'READ = ["jobs/*/masks/*"]\n');
    write(fungal, 'cdk/stack.py', '# IAM policy\n');
    write(fungal, 'metrics.json', JSON.stringify(METRICS_SCHEMA));
    write(fungal, 'metrics.yaml', 'metrics: [loss]\n');
    write(fungal, 'src/metrics.py', 'METRICS = ["loss"]\n');
    write(hyphae, 'dash/metrics.ts', 'export const m = ["loss"];\n');
    for (const repo of [aperture, fungal, hyphae]) git(repo, 'add', '-A'), git(repo, 'commit', '-q', '-m', 'start');
    await ok(top, 'realm', 'init', '--name', 'letemcook', '--path', 'realm-letemcook');
    for (const repo of [aperture, fungal, hyphae]) await ok(repo, 'realm', 'join', '../realm-letemcook');
    await ok(aperture, 'realm', 'domain', 'create', 's3-access', '--repos', 'aperture,fungal');
    await ok(fungal, 'realm', 'domain', 'create', 'metrics', '--repos', 'fungal,hyphae');
    await ok(aperture, 'realm', 'contract', 'create', 's3-permissions', '--domain', 's3-access', '--owner', 'aperture', '--schema', 'schema.json', '--value', 'value.yaml');
    await ok(aperture, 'realm', 'binding', 'export', 's3-permissions', '--source', 'models/s3_paths.py');
    await ok(fungal, 'realm', 'contract', 'create', 'training-metrics', '--domain', 'metrics', '--owner', 'fungal', '--schema', 'metrics.json', '--value', 'metrics.yaml');
    await ok(fungal, 'realm', 'binding', 'export', 'training-metrics', '--source', 'src/metrics.py');
    await ok(fungal, 'realm', 'binding', 'import', 's3-permissions', '--version', '>=1.0.0 <2.0.0', '--binding', 'cdk/stack.py');
    await ok(hyphae, 'realm', 'binding', 'import', 'training-metrics', '--version', '>=1.0.0 <2.0.0', '--binding', 'dash/metrics.ts');
    for (const repo of [aperture, fungal, hyphae]) await ok(repo, 'realm', 'sync', '--no-open-issues');
    // The realm's creator publishes it: later syncs push branches to the bare remote.
    git(top, 'init', '-q', '--bare', bare);
    git(realm, 'remote', 'add', 'origin', bare);
    git(realm, 'push', '-q', 'origin', 'main');
  }, 120_000);

  it('worktree create across two domains: one branch, a worktree per repo, in merge order', async () => {
    const runtime = tempDir();
    const r = await blueWith({ PATH: `${ghBin}${path.delimiter}${process.env.PATH ?? ''}`, XDG_RUNTIME_DIR: runtime })(aperture, 'realm', 'worktree', 'create', 'feat', '--domain', 's3-access', '--domain', 'metrics');
    expect(r).toMatchObject({ code: 0, err: '' });
    // Running watches of the realm hear of it (sessions.db event).
    const sessions = openSessions(path.join(runtime, 'blue'), { clock, ids: counterIds(), pid: process.pid, host: 'test', isAlive: () => true })!;
    expect(sessions.eventsAfter('letemcook', 0).map((e) => `${e.repo} ${e.kind}: ${e.detail}`)).toEqual(['aperture worktree: worktree feat created in aperture, fungal, hyphae']);
    sessions.close();
    expect(r.out.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/)[0])).toEqual(['aperture', 'fungal', 'hyphae']);
    for (const repo of [aperture, fungal, hyphae]) {
      const dir = path.join(repo, '.blue/worktrees/feat');
      expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('feat');
      expect(git(repo, 'status', '--porcelain', '--', '.blue/worktrees')).toBe(''); // ignored, the repo stays clean
    }
    const list = await blue(fungal, 'realm', 'worktree', 'list', '--json');
    expect((JSON.parse(list.out) as { repo: string; branch: string }[]).map((w) => `${w.repo}:${w.branch}`).sort()).toEqual(['aperture:feat', 'fungal:feat', 'hyphae:feat']);
  });

  it('rolls back the worktrees already created when a later repo has the branch checked out elsewhere', async () => {
    git(hyphae, 'worktree', 'add', '-q', '-b', 'locked', path.join(top, 'hyphae-elsewhere'));
    git(aperture, 'branch', 'locked'); // a free branch of the same name is reused, and survives the rollback
    const r = await blue(aperture, 'realm', 'worktree', 'create', 'locked', '--domain', 's3-access', '--domain', 'metrics');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/worktree "locked" not created: hyphae: .*locked.*; removed again from aperture, fungal/);
    for (const repo of [aperture, fungal]) expect(fs.existsSync(path.join(repo, '.blue/worktrees/locked'))).toBe(false);
    expect(git(aperture, 'branch', '--list', 'locked')).toContain('locked');
    expect(git(fungal, 'branch', '--list', 'locked')).toBe('');
    expect(git(aperture, 'worktree', 'list')).not.toContain('locked');
    git(aperture, 'branch', '-D', 'locked');
  });

  it('refuses a dirty tree up front and creates nothing', async () => {
    write(fungal, 'cdk/stack.py', '# IAM policy, edited\n');
    const r = await blue(aperture, 'realm', 'worktree', 'create', 'dirty', '--domain', 's3-access');
    git(fungal, 'checkout', '--', 'cdk/stack.py');
    expect(r.code).toBe(2);
    expect(r.err).toContain('worktree "dirty" not created: fungal: uncommitted changes (1 file(s))');
    expect(fs.existsSync(path.join(aperture, '.blue/worktrees/dirty'))).toBe(false);
  });

  it('pr create runs gh in merge order with descriptions linking the others; without gh it prints the commands', async () => {
    fs.rmSync(ghLog, { force: true });
    const r = await blue(hyphae, 'realm', 'pr', 'create', 'feat');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('Merge order: aperture → fungal → hyphae');
    expect(r.out).toContain('2. fungal: https://example.test/fungal/pr/1');
    const made = calls(ghLog);
    expect(made.map((c) => c.cwd)).toEqual(['aperture', 'fungal', 'hyphae']);
    for (const c of made) expect(c.argv.slice(0, 6)).toEqual(['pr', 'create', '--head', 'feat', '--base', 'main']);
    const body = made[1]!.argv[made[1]!.argv.indexOf('--body') + 1]!;
    expect(body).toContain('step 2 of 3');
    expect(body).toMatch(/1\. aperture, branch `feat`\n2\. fungal, branch `feat` ← this pull request\n3\. hyphae/);
    expect(body).toContain('Merge after: aperture.');
    expect(body).toContain('- s3-access/s3-permissions 1.0.0 (owner aperture; imported by fungal at >=1.0.0 <2.0.0)');
    expect(body).toContain('- metrics/training-metrics 1.0.0 (owner fungal; imported by hyphae at >=1.0.0 <2.0.0)');

    const status = await blue(aperture, 'realm', 'pr', 'status', 'feat');
    expect(status.out).toContain('1. aperture: OPEN https://example.test/aperture/pull/1');
    expect(calls(ghLog).slice(3).map((c) => c.argv.join(' '))).toEqual(Array(3).fill('pr view feat --json state,url'));

    const printed = await noGh(aperture, 'realm', 'pr', 'create', 'feat');
    expect(printed.code).toBe(0);
    expect(printed.out).toContain('gh is not on PATH');
    expect(printed.out).toContain(`(cd ${aperture} && gh pr create --head feat --base main --title 'feat (aperture, 1/3)' --body`);
    const dry = await blue(aperture, 'realm', 'pr', 'create', 'feat', '--dry-run');
    expect(dry.out).toContain('dry run; run these');
    expect(calls(ghLog)).toHaveLength(6); // gh was not called
  });

  it('ci init writes a workflow: exporter and importer checks in a member repo, contract checks in the realm repo', async () => {
    expect((await blue(aperture, 'realm', 'ci', 'init', '--realm-url', 'https://github.com/example/realm-letemcook.git')).code).toBe(0);
    const member = parse(fs.readFileSync(path.join(aperture, '.github/workflows/blue-realm.yml'), 'utf8')) as Workflow;
    expect(Object.keys(member.jobs)).toEqual(['exporter', 'importer']);
    expect(member.env).toEqual({ BLUE_REALM_URL: 'https://github.com/example/realm-letemcook.git', BLUE_REALM_REF: 'main' });
    for (const [name, job] of Object.entries(member.jobs)) {
      expect(job.steps.find((s) => s.uses === 'actions/cache@v4')?.with?.path).toBe('.blue/cache.db');
      const check = job.steps.find((s) => s.run?.startsWith('blue realm check'));
      expect(check?.run).toBe(`blue realm check --mode ${name} --realm-url "$BLUE_REALM_URL" --ref "$BLUE_REALM_REF"`);
      expect(check?.env).toEqual({ BLUE_REALM_TOKEN: '${{ secrets.BLUE_REALM_TOKEN }}' });
    }
    expect((await blue(aperture, 'realm', 'ci', 'init')).code).toBe(2); // exists: --force to replace
    git(realm, 'remote', 'set-url', 'origin', 'https://bob:t0ken@github.com/example/realm.git');
    try {
      expect((await blue(fungal, 'realm', 'ci', 'init')).code).toBe(0);
      const text = fs.readFileSync(path.join(fungal, '.github/workflows/blue-realm.yml'), 'utf8');
      expect((parse(text) as Workflow).env?.BLUE_REALM_URL).toBe('https://github.com/example/realm.git'); // the realm's origin, without its credentials
      expect(text).not.toContain('t0ken');
    } finally {
      git(realm, 'remote', 'set-url', 'origin', bare);
      fs.rmSync(path.join(fungal, '.github'), { recursive: true });
    }

    expect((await blue(realm, 'realm', 'ci', 'init')).code).toBe(0);
    const own = parse(fs.readFileSync(path.join(realm, '.github/workflows/blue-realm.yml'), 'utf8')) as Workflow;
    expect(Object.keys(own.jobs)).toEqual(['contracts']);
    expect(own.jobs.contracts!.steps.map((s) => s.run ?? s.uses)).toContain('blue realm check --mode contract');
    fs.rmSync(path.join(realm, '.github'), { recursive: true });
  });

  it('check --mode contract runs inside the realm repo; check fetches the realm from its URL at a ref', async () => {
    expect(await blue(realm, 'realm', 'check', '--mode', 'contract')).toMatchObject({ code: 0, out: '0 error(s), 0 warning(s)\n' });
    expect((await blue(realm, 'realm', 'check', '--mode', 'importer')).err).toContain('not a member repo');

    const fetched = await blue(hyphae, 'realm', 'check', '--mode', 'importer', '--realm-url', `file://${bare}`, '--ref', 'main');
    expect(fetched).toMatchObject({ code: 0, out: '0 error(s), 0 warning(s)\n' });
    git(bare, 'tag', 'v1', 'main');
    expect(await blue(aperture, 'realm', 'check', '--mode', 'exporter', '--realm-url', `file://${bare}`, '--ref', 'v1')).toMatchObject({ code: 0 });
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('blue-realm-fetch-')).length;
    await blue(hyphae, 'realm', 'check', '--realm-url', `file://${bare}`, '--ref', 'main');
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('blue-realm-fetch-'))).toHaveLength(before); // the fetched copy is removed
    const missing = await blueWith({ PATH: process.env.PATH ?? '', BLUE_REALM_TOKEN: 's3cr3t-token' })(hyphae, 'realm', 'check', '--realm-url', `file://${top}/nope.git`, '--ref', 'main');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`cannot fetch realm file://${top}/nope.git at main`);
    expect(missing.err).not.toContain('s3cr3t');
  });

  it('blue status names the consumer a local export change affects, and what is not synced', async () => {
    write(aperture, 'models/s3_paths.py', 'READ = ["jobs/*/masks/*", "training-metrics/*"]\n');
    write(aperture, 'rfcs/0001-shared-paths.in-progress.md', '# RFC 0001: Shared paths\n\n| | |\n|---|---|\n| **Status** | In Progress |\n| **Contracts** | s3-access/s3-permissions |\n\n## Summary\n');
    const r = await blue(aperture, 'status');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('RFC 1: Shared paths (in-progress, rfcs/0001-shared-paths.in-progress.md)');
    expect(r.out).toContain('s3-access/s3-permissions 1.0.0 from models/s3_paths.py; consumed by fungal (cdk/stack.py)');
    expect(r.out).toContain('s3-access/s3-permissions: models/s3_paths.py uncommitted; affects fungal (cdk/stack.py)');
    expect(r.out).toContain('not synced yet:\n  (none)\n');
    const fs2 = await blue(fungal, 'status', '--json');
    expect(JSON.parse(fs2.out)).toMatchObject({ imports: [{ contract: 's3-permissions', resolved: '1.0.0', binding: 'cdk/stack.py' }], affected: [] });
  });

  it('worktree create --rfc N takes the repos of the contracts the RFC lists', async () => {
    expect((await blue(aperture, 'realm', 'worktree', 'create', 'rfc1', '--rfc', '1')).err).toContain('aperture: uncommitted changes');
    git(aperture, 'checkout', '--', 'models/s3_paths.py');
    const r = await blue(aperture, 'realm', 'worktree', 'create', 'rfc1', '--rfc', '1');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('in 2 repo(s)');
    expect(fs.existsSync(path.join(fungal, '.blue/worktrees/rfc1'))).toBe(true);
    expect(fs.existsSync(path.join(hyphae, '.blue/worktrees/rfc1'))).toBe(false);
    expect((await blue(aperture, 'realm', 'worktree', 'remove', 'rfc1')).out).toBe('Removed worktree rfc1 from aperture, fungal\n');
    expect(fs.existsSync(path.join(fungal, '.blue/worktrees/rfc1'))).toBe(false);
  });

  it('sync --open-issues opens an issue in each affected importer through gh, naming the binding file', async () => {
    fs.rmSync(ghLog, { force: true });
    write(aperture, 'value.yaml', 'read: ["jobs/*/masks/*", "training-metrics/*"]\n');
    await ok(aperture, 'realm', 'contract', 'bump', 's3-permissions', '--value', 'value.yaml');
    expect((await blue(aperture, 'status')).out).toContain('not synced yet:\n  domains/s3-access/contracts/s3-permissions.yaml (uncommitted in the realm; run `blue realm sync`)\n');
    const r = await blue(aperture, 'realm', 'sync', '--open-issues');
    expect(r.code).toBe(0);
    expect((await blue(aperture, 'status')).out).toMatch(/not synced yet:\n {2}sync\/aperture\/\S+ \(not merged into the realm's main\)\n$/);
    expect(r.out).toContain('Opened issue in fungal: https://example.test/fungal/issue/1');
    const [issue, ...more] = calls(ghLog);
    expect(more).toEqual([]);
    expect(issue?.cwd).toBe('fungal');
    expect(issue?.argv.slice(0, 4)).toEqual(['issue', 'create', '--title', 'Update cdk/stack.py for s3-access/s3-permissions 1.0.1']);
    expect(issue?.argv[5]).toContain('Binding file to update: `cdk/stack.py`');
  });

  it('on a TTY, sync asks before opening the issues; no means none', async () => {
    fs.rmSync(ghLog, { force: true });
    const model = loadRealm(realm);
    const change = { changes: [{ domain: 's3-access', contract: 's3-permissions', kind: 'changed' as const, from: '1.0.0', to: '1.0.1' }] };
    const ctx = { ...captureContext(aperture, { env: { PATH: `${ghBin}${path.delimiter}${process.env.PATH ?? ''}`, GH_LOG: ghLog } }), isTTY: true };
    const asked: string[] = [];
    const no = await offerIssues(ctx, model, 'aperture', change, undefined, async (q) => (asked.push(q), false));
    expect(asked).toEqual(['Open an issue in fungal about the change? [y/N] ']);
    expect(no).toEqual([]);
    expect(calls(ghLog)).toEqual([]);
    const yes = await offerIssues(ctx, model, 'aperture', change, undefined, async () => true);
    expect(yes).toEqual(['Opened issue in fungal: https://example.test/fungal/issue/1']);
    expect(await offerIssues({ ...ctx, isTTY: false }, model, 'aperture', change, undefined, async () => true)).toEqual([]); // no TTY, no flag: no question
    expect(calls(ghLog)).toHaveLength(1);
  });

  it('~/.blue/trust.yaml: a read-only realm is checked but not changed; a blocked one is refused', async () => {
    write(home, '.blue/trust.yaml', 'realms:\n  letemcook: read-only\n');
    try {
      const before = git(realm, 'status', '--porcelain');
      const sync = await blue(fungal, 'realm', 'sync');
      expect(sync.code).toBe(2);
      expect(sync.err).toContain('realm "letemcook" is read-only in ~/.blue/trust.yaml; `realm sync` would change this repo or the realm');
      expect((await blue(fungal, 'realm', 'binding', 'import', 's3-permissions', '--version', '>=1.0.0 <2.0.0')).code).toBe(2);
      expect(git(realm, 'status', '--porcelain')).toBe(before);
      expect((await blue(fungal, 'realm', 'check', '--mode', 'importer')).code).toBe(0);
      // aperture's pull request is merged: the change reaches the remote's main, where status reads it.
      const branch = git(realm, 'branch', '--list', 'sync/aperture/*', '--format=%(refname:short)').split('\n').filter(Boolean).sort().pop()!;
      git(realm, 'push', '-q', 'origin', `${branch}:main`);
      const st = await blue(fungal, 'realm', 'status');
      expect(st.out).toContain('s3-access/s3-permissions 1.0.0 → 1.0.1');
      expect((await blue(fungal, 'realm', 'status')).out).toContain('s3-access/s3-permissions 1.0.0 → 1.0.1'); // not marked seen
      write(home, '.blue/trust.yaml', 'realms:\n  letemcook: blocked\n');
      const blocked = await blue(fungal, 'realm', 'check');
      expect(blocked.code).toBe(2);
      expect(blocked.err).toContain('realm "letemcook" is blocked in ~/.blue/trust.yaml; `realm check` refused');
      expect((await blue(fungal, 'status')).code).toBe(2);
    } finally {
      fs.rmSync(path.join(home, '.blue/trust.yaml'));
    }
  });
});

interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }>;
}
