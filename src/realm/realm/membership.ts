/**
 * A repo's realm memberships: the `realm:` key of `<repo>/.blue/config.yaml`, either one
 * mapping `{ name, path, repo, ref? }` (the original form, still written while a repo belongs
 * to one realm) or a list of them (a repo in several realms). Merged with the yaml Document
 * API so the file's other settings and comments survive (blue overwrote the whole file: spec §8.2).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import { z } from 'zod';
import { UserError } from '../../core/index.ts';
import { CONFIG_FILE, configPath, editConfigFile, parseYamlText, readTextFile } from '../../core/index.ts';
import { MembershipSchema, type Membership } from './schemas.ts';

/**
 * Every realm the repo at `repoRoot` has joined, in file order ([] when none).
 * @throws UserError E_CONFIG when `.blue/config.yaml` is malformed or its `realm:` key is.
 */
export function readMemberships(repoRoot: string): Membership[] {
  const file = configPath(repoRoot);
  if (!fs.existsSync(file)) return [];
  const { data } = parseYamlText(readTextFile(file, CONFIG_FILE, 'E_CONFIG'), CONFIG_FILE, 'E_CONFIG', 'malformed YAML');
  const raw = (data as { realm?: unknown } | null)?.realm;
  if (raw === undefined) return [];
  // Validate against the form the file uses, so the field path is the one to fix.
  const parsed = (Array.isArray(raw) ? z.array(MembershipSchema) : MembershipSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('E_CONFIG', issue.message, { where: { file: CONFIG_FILE, field: ['realm', ...issue.path].join('.') } });
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
}

/**
 * Reads the membership of the repo at `repoRoot` in realm `realm`, or in its only realm.
 * @returns the membership and the realm's absolute root.
 * @throws UserError E_REALM when the repo has not joined a realm (or not `realm`); E_USAGE
 *   when it joined several and `realm` is not given; E_CONFIG when the key is malformed.
 */
export function readMembership(repoRoot: string, realm?: string): { membership: Membership; realmRoot: string } {
  const all = readMemberships(repoRoot);
  if (all.length === 0) {
    throw new UserError('E_REALM', 'this repo has not joined a realm', { expected: 'run `blue realm join <realm-path>` first' });
  }
  const names = all.map((m) => m.name).join(', ');
  let membership: Membership | undefined;
  if (realm !== undefined) {
    membership = all.find((m) => m.name === realm);
    if (!membership) throw new UserError('E_REALM', `this repo has not joined realm "${realm}"`, { expected: `one of ${names}` });
  } else if (all.length > 1) {
    throw new UserError('E_USAGE', `this repo belongs to several realms (${names})`, { expected: '--realm NAME' });
  } else {
    membership = all[0]!;
  }
  return { membership, realmRoot: path.resolve(repoRoot, membership.path) };
}

/**
 * Adds `membership` to `<repoRoot>/.blue/config.yaml` (atomically), replacing one of the same
 * realm name and keeping everything else.
 * @throws UserError E_CONFIG when the file is malformed YAML or not a mapping (it is left untouched).
 */
export function writeMembership(repoRoot: string, membership: Membership): void {
  editConfigFile(repoRoot, (doc) => {
    const existing = safeMemberships(repoRoot);
    const i = existing.findIndex((m) => m.name === membership.name);
    setRealmKey(doc, i < 0 ? [...existing, membership] : existing.map((m, j) => (j === i ? membership : m)));
  });
}

/**
 * Removes the membership of realm `name` from the repo's config.
 * @returns the removed membership.
 * @throws UserError E_REALM when the repo has not joined `name`; E_CONFIG as {@link writeMembership}.
 */
export function removeMembership(repoRoot: string, name: string): Membership {
  let gone: Membership | undefined;
  editConfigFile(repoRoot, (doc) => {
    const all = readMemberships(repoRoot);
    gone = all.find((m) => m.name === name);
    if (!gone) throw new UserError('E_REALM', `this repo has not joined realm "${name}"`, { expected: `one of ${all.map((m) => m.name).join(', ') || '(none)'}` });
    setRealmKey(doc, all.filter((m) => m !== gone));
  });
  return gone!;
}

/** The memberships, or none when the `realm:` key is malformed (a join rewrites it). */
function safeMemberships(repoRoot: string): Membership[] {
  try {
    return readMemberships(repoRoot);
  } catch {
    return [];
  }
}

/** Sets the `realm:` key: deleted for none, the single mapping for one, a list otherwise. */
function setRealmKey(doc: Document, list: Membership[]): void {
  const plain = list.map((m) => ({ name: m.name, path: m.path, repo: m.repo, ...(m.ref ? { ref: m.ref } : {}) }));
  if (plain.length === 0) doc.delete('realm');
  else doc.set('realm', doc.createNode(plain.length === 1 ? plain[0] : plain));
}
