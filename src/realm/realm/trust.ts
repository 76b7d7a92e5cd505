/**
 * Per-user trust in realms (seed 004 Round 6): `trust.yaml` in the user's blue directory (the
 * CLI decides which file, {@link TrustSource}) maps realm names to
 * `full` (the default), `read-only` (checked and shown, but nothing blue does for that realm
 * changes this repo or the realm) or `blocked` (every realm command refuses).
 *
 * ```yaml
 * realms:
 *   letemcook: read-only
 * ```
 */
import fs from 'node:fs';
import { z } from 'zod';
import { UserError } from '../../core/index.ts';
import { parseYaml } from './yaml-io.ts';

/** Trust levels, most to least trusted. */
export const TRUST_LEVELS = ['full', 'read-only', 'blocked'] as const;
/** One realm's trust level. */
export type TrustLevel = (typeof TRUST_LEVELS)[number];

const TrustFileSchema = z.strictObject({ realms: z.record(z.string(), z.enum(TRUST_LEVELS)).default({}) });

/** The trust file read for a command: its absolute path and the name messages give it (`~/.blue/trust.yaml`). */
export interface TrustSource {
  file: string;
  display: string;
}

/**
 * The trust level of `realm` per the trust file `source` (`full` when it is absent or has no entry).
 * @throws UserError E_REALM when the file is malformed (file, line and field named).
 */
export function trustLevel(source: TrustSource, realm: string): TrustLevel {
  if (!fs.existsSync(source.file)) return 'full';
  const { data } = parseYaml(fs.readFileSync(source.file, 'utf8'), TrustFileSchema, source.display);
  return data.realms[realm] ?? 'full';
}

/**
 * Refuses a command under the realm's trust level: `blocked` refuses all, `read-only` those
 * that write. `display` names the trust file in the message.
 * @throws UserError E_REALM `realm "r" is read-only in ~/.blue/trust.yaml: \`sync\` would change …`.
 */
export function assertTrusted(level: TrustLevel, realm: string, command: string, writes: boolean, display = '~/.blue/trust.yaml'): void {
  if (level === 'blocked') {
    throw new UserError('E_REALM', `realm "${realm}" is blocked in ${display}; \`${command}\` refused`, { expected: `realms.${realm}: full or read-only` });
  }
  if (level === 'read-only' && writes) {
    throw new UserError('E_REALM', `realm "${realm}" is read-only in ${display}; \`${command}\` would change this repo or the realm`, {
      expected: `a read command (check, status, graph, pr status, worktree list), or realms.${realm}: full`,
    });
  }
}
