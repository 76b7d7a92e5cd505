/**
 * Where the per-user trust.yaml is read: the user directory of the realm index and sessions
 * (`$BLUE_HOME`, else `$HOME/.blue`) wins; the older `$HOME/.blue/trust.yaml` is still read
 * when only it exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import { trustSource } from '../../src/cli/user-dirs.ts';
import { runCli } from '../support.ts';
import { tempDir, write } from './helpers.ts';
import { readyRealm } from './setup.ts';

describe('trustSource', () => {
  const has = (...files: string[]) => (f: string) => files.includes(f);

  it.each([
    ['BLUE_HOME wins when both exist', { BLUE_HOME: '/b', HOME: '/h' }, has('/b/trust.yaml', '/h/.blue/trust.yaml'), '/b/trust.yaml', '/b/trust.yaml'],
    ['the older file when only it exists', { BLUE_HOME: '/b', HOME: '/h' }, has('/h/.blue/trust.yaml'), '/h/.blue/trust.yaml', '~/.blue/trust.yaml'],
    ['the new place when neither exists', { BLUE_HOME: '/b', HOME: '/h' }, has(), '/b/trust.yaml', '/b/trust.yaml'],
    ['$HOME/.blue without BLUE_HOME', { HOME: '/h' }, has('/h/.blue/trust.yaml'), '/h/.blue/trust.yaml', '~/.blue/trust.yaml'],
    ["the OS's home without HOME", {}, has(), '/os/.blue/trust.yaml', '~/.blue/trust.yaml'],
    ['~ for a BLUE_HOME under HOME', { BLUE_HOME: '/h/state', HOME: '/h' }, has('/h/state/trust.yaml'), '/h/state/trust.yaml', '~/state/trust.yaml'],
  ] as const)('%s', (_what, env, exists, file, display) => {
    // POSIX paths: the table spells them with '/'.
    expect(trustSource(env, '/os', exists)).toEqual({ file, display });
  });
});

describe('realm commands read the trust file of BLUE_HOME', () => {
  it('refuses by the older file alone, and the BLUE_HOME file overrides it', async () => {
    const { realm, fungal } = await readyRealm();
    const home = tempDir();
    const blueHome = path.join(tempDir(), 'state');
    const check = async () => {
      const r = await runCli(['realm', 'check', '--mode', 'importer'], fungal, { clock: fixedClock('2026-01-25T00:00:00Z'), env: { HOME: home, BLUE_HOME: blueHome } });
      return { code: r.code, err: r.stderr };
    };
    expect(fs.existsSync(realm)).toBe(true);
    expect((await check()).code).toBe(0);
    write(home, '.blue/trust.yaml', 'realms:\n  letemcook: blocked\n');
    const old = await check();
    expect(old.code).toBe(2);
    expect(old.err).toContain('realm "letemcook" is blocked in ~/.blue/trust.yaml; `realm check` refused');
    write(blueHome, 'trust.yaml', 'realms:\n  letemcook: full\n');
    expect((await check()).code).toBe(0);
    write(blueHome, 'trust.yaml', 'realms:\n  letemcook: blocked\n');
    expect((await check()).err).toContain(`realm "letemcook" is blocked in ${path.join(blueHome, 'trust.yaml')}`);
  });
});
