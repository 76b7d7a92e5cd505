/**
 * Per-user trust in realms (seed 004 Round 6): `~/.blue/trust.yaml` maps realm names to
 * `full` (the default), `read-only` (checked and shown, but nothing blue does for that realm
 * changes this repo or the realm) or `blocked` (every realm command refuses).
 *
 * ```yaml
 * realms:
 *   letemcook: read-only
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../../core/index.ts';
import { parseYaml } from './yaml-io.ts';

/** Trust levels, most to least trusted. */
export const TRUST_LEVELS = ['full', 'read-only', 'blocked'] as const;
/** One realm's trust level. */
export type TrustLevel = (typeof TRUST_LEVELS)[number];

const TrustFileSchema = z.strictObject({ realms: z.record(z.string(), z.enum(TRUST_LEVELS)).default({}) });

/** The trust file's path under the user's home directory. */
export function trustFile(home: string): string {
  return path.join(home, '.blue', 'trust.yaml');
}

/**
 * The trust level of `realm` per `<home>/.blue/trust.yaml` (`full` when the file or entry is absent).
 * @throws UserError E_REALM when the file is malformed (file, line and field named).
 */
export function trustLevel(home: string, realm: string): TrustLevel {
  const file = trustFile(home);
  if (!fs.existsSync(file)) return 'full';
  const { data } = parseYaml(fs.readFileSync(file, 'utf8'), TrustFileSchema, '~/.blue/trust.yaml');
  return data.realms[realm] ?? 'full';
}

/**
 * Refuses a command under the realm's trust level: `blocked` refuses all, `read-only` those
 * that write.
 * @throws UserError E_REALM `realm "r" is read-only in ~/.blue/trust.yaml: \`sync\` would change …`.
 */
export function assertTrusted(level: TrustLevel, realm: string, command: string, writes: boolean): void {
  if (level === 'blocked') {
    throw new UserError('E_REALM', `realm "${realm}" is blocked in ~/.blue/trust.yaml; \`${command}\` refused`, { expected: `realms.${realm}: full or read-only` });
  }
  if (level === 'read-only' && writes) {
    throw new UserError('E_REALM', `realm "${realm}" is read-only in ~/.blue/trust.yaml; \`${command}\` would change this repo or the realm`, {
      expected: `a read command (check, status, graph, pr status, worktree list), or realms.${realm}: full`,
    });
  }
}
