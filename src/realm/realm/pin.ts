/**
 * A realm pinned to a tag or commit (`ref:` of a membership): `check` reads the realm as
 * committed there (realm-view.ts `modelAt`), so a repo can stay on a released realm state.
 */
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { tryGit } from './git.ts';

/**
 * The full commit hash `ref` names in the realm repo at `realmRoot`.
 * @throws UserError E_REALM when `ref` names no commit there.
 */
export function resolveRef(realmRoot: string, ref: string): string {
  const sha = commitOf(realmRoot, ref);
  if (sha === undefined) throw new UserError('E_REALM', `realm ref "${ref}" names no commit in ${path.basename(realmRoot)}`, { expected: 'a tag, branch or commit of the realm repo' });
  return sha;
}

/** The full commit hash `ref` names in the git repo at `root`, or undefined when it names none. */
export function commitOf(root: string, ref: string): string | undefined {
  const r = tryGit(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.ok ? r.stdout.trim() : undefined;
}
