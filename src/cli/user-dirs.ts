/**
 * The per-user directories blue keeps state in, from the environment only (so tests pass temp
 * dirs and never touch the real home): `home` is `$BLUE_HOME`, else `$HOME/.blue` (the realm
 * index); `runtime` is `$XDG_RUNTIME_DIR/blue`, else `home` (sessions.db). Undefined when the
 * environment names neither: features using them are then skipped.
 */
import path from 'node:path';

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
