/**
 * The per-user directories blue keeps state in, from the environment only (so tests pass temp
 * dirs and never touch the real home): `home` is `$BLUE_HOME`, else `$HOME/.blue` (the realm
 * index); `runtime` is `$XDG_RUNTIME_DIR/blue`, else `home` (sessions.db). Undefined when the
 * environment names neither: features using them are then skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TrustSource } from '../realm/realm/index.ts';

/** Absolute per-user directories, when the environment gives them. */
export interface UserDirs {
  home?: string;
  runtime?: string;
}

/** Reads {@link UserDirs} from `env`. */
export function userDirs(env: Record<string, string | undefined>): UserDirs {
  const home = env.BLUE_HOME || (env.HOME ? path.join(env.HOME, '.blue') : undefined);
  const runtime = env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'blue') : home;
  return { home, runtime };
}

/**
 * The per-user trust file (`trust.yaml`) and how messages name it. `<home>/trust.yaml` ({@link userDirs}'
 * home: `$BLUE_HOME`, else `$HOME/.blue`) wins when it exists; else the file older versions read,
 * `<$HOME or osHome>/.blue/trust.yaml`, when that exists; else the new place (absent: every realm is
 * `full`). The user's home shows as `~` in `display`.
 * @param osHome the OS's idea of the home directory, used when `$HOME` is unset.
 * @param exists file test (injected by tests).
 */
export function trustSource(
  env: Record<string, string | undefined>,
  osHome: string,
  exists: (file: string) => boolean = fs.existsSync,
): TrustSource {
  const userHome = env.HOME || osHome;
  const legacy = path.join(userHome, '.blue', 'trust.yaml');
  const home = userDirs(env).home;
  const current = home ? path.join(home, 'trust.yaml') : legacy;
  const file = exists(current) || !exists(legacy) ? current : legacy;
  const display = file.startsWith(userHome + path.sep) ? `~${file.slice(userHome.length)}` : file;
  return { file, display };
}
