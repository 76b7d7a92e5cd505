/**
 * `blue realm leave`: the repo's own realm files (repo file, bindings) go out through a sync
 * branch, merged locally without a remote or pushed for review with one; a repo that owns an
 * imported contract keeps them and is told why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixedClock } from '../../src/core/index.ts';
import { loadRealm, planLeave } from '../../src/realm/realm/index.ts';
import { runCli } from '../support.ts';
import { git, tempDir } from './helpers.ts';
import { readyRealm } from './setup.ts';

const clock = fixedClock('2026-01-24T12:00:00Z', 60_000);
const FUNGAL_FILES = ['repos/fungal.yaml', 'domains/s3-access/bindings/fungal.yaml'];

/** {@link readyRealm}, published: both repos synced, so the realm's main holds every file. */
async function syncedRealm(): Promise<Awaited<ReturnType<typeof readyRealm>>> {
  const ready = await readyRealm();
  for (const repo of [ready.aperture, ready.fungal]) expect((await ready.run(repo, 'sync')).code).toBe(0);
  return ready;
}

function leave(cwd: string, home: string) {
  return runCli(['realm', 'leave'], cwd, { clock, env: { BLUE_HOME: home } });
}

describe('realm leave', () => {
  it("removes the repo's realm files on a sync branch merged into the realm's main, and the realm still checks clean", async () => {
    const { realm, fungal } = await syncedRealm();
    const home = tempDir();
    const r = await leave(fungal, home);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Left realm letemcook');
    expect(lines[1]).toMatch(new RegExp(`^Removed ${FUNGAL_FILES.join(', ')} on sync/fungal/\\S+$`));
    expect(lines[2]).toMatch(/^Merged sync\/fungal\/\S+ into the realm's main \(no remote\)$/);
    expect(lines[3]).toBe("domains/s3-access/domain.yaml still lists fungal as a member: the domain's other members remove it there");
    expect(lines).toHaveLength(4);
    const tracked = git(realm, 'ls-tree', '-r', '--name-only', 'main');
    for (const f of FUNGAL_FILES) expect(tracked).not.toContain(f);
    expect(git(realm, 'log', '-1', '--format=%B', 'main')).toContain('Blue-Repo: fungal');
    expect(parse(fs.readFileSync(path.join(fungal, '.blue', 'config.yaml'), 'utf8'))).not.toHaveProperty('realm');
    // The removal went through the sync path: its provenance and permissions check.
    const check = await runCli(['realm', 'check'], realm, { clock });
    expect(check.stdout).toBe('0 error(s), 0 warning(s)\n');
  });

  it('pushes the removal for review when the realm has a remote', async () => {
    const { realm, top, fungal } = await syncedRealm();
    const bare = path.join(top, 'realm.git');
    git(top, 'init', '-q', '--bare', '-b', 'main', bare);
    git(realm, 'remote', 'add', 'origin', bare);
    git(realm, 'push', '-q', 'origin', 'main');
    const r = await leave(fungal, tempDir());
    expect(r.code, r.stderr).toBe(0);
    const branch = /on (sync\/fungal\/\S+)/.exec(r.stdout)?.[1];
    expect(r.stdout).toContain(`Pushed ${branch} to origin; open a pull request to merge it`);
    expect(git(bare, 'ls-tree', '-r', '--name-only', branch!)).not.toContain('repos/fungal.yaml');
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).toContain('repos/fungal.yaml'); // main moves only by review
  });

  it('keeps the files of a repo owning an imported contract, and says what remains and why', async () => {
    const { realm, aperture } = await syncedRealm();
    const head = git(realm, 'rev-parse', 'HEAD');
    const branches = git(realm, 'branch', '--list', 'sync/aperture/*');
    const r = await leave(aperture, tempDir());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      'Left realm letemcook\nThe realm still lists aperture in repos/aperture.yaml, domains/s3-access/bindings/aperture.yaml: ' +
        'aperture owns contract s3-access/s3-permissions (imported by fungal): hand it over or retire it first; then git rm them in the realm repo and open a pull request\n' +
        "domains/s3-access/domain.yaml still lists aperture as a member: the domain's other members remove it there\n",
    );
    expect(fs.existsSync(path.join(realm, 'repos', 'aperture.yaml'))).toBe(true);
    expect(git(realm, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(realm, 'branch', '--list', 'sync/aperture/*')).toBe(branches); // no sync ran
  });

  it('planLeave: unsynced changes of the repo block the removal (sync would publish them too)', async () => {
    const { realm } = await readyRealm();
    const model = loadRealm(realm);
    expect(planLeave(model, 'fungal', [])).toEqual({ files: FUNGAL_FILES, blockers: [], memberOf: ['domains/s3-access/domain.yaml'] });
    expect(planLeave(model, 'fungal', ['domains/s3-access/domain.yaml', 'repos/aperture.yaml']).blockers).toEqual([
      'fungal has unsynced realm changes (domains/s3-access/domain.yaml): sync or discard them first',
    ]);
    expect(planLeave(model, 'nobody', [])).toEqual({ files: [], blockers: [], memberOf: [] });
  });
});
