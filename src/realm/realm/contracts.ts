/**
 * Contract operations: create and bump. Only the owner repo may create or bump a contract
 * (RFC 0001 "only owner can modify", never enforced by blue). A bump computes the schema
 * verdict and refuses a semver level that does not match it.
 */
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { bumpLevel, nextVersion, parseVersion, type BumpLevel } from './semver-range.ts';
import { bumpMatches, compareSchemas, formatDiff, requiredLevel, sameJson, type FieldChange, type SchemaDiff, type Verdict } from './compat.ts';
import { findContract, realmPaths, type DomainModel, type RealmModel } from './model.ts';
import { assertName, assertRepo } from './realm.ts';
import { breakingPolicy, importersOf } from './governance.ts';
import type { ContractFile, Override, PendingVersion } from './schemas.ts';
import { assertValueValid, defaultsOf, validateValue } from './validate.ts';
import { describeBreak, removedEntries, valueBreaks, valueDigest, type ValueBreak } from './value-change.ts';
import { writeYamlFile } from './yaml-io.ts';

type Json = Record<string, unknown>;

/** Input of {@link createContract}. */
export interface CreateContractInput {
  domain: string;
  name: string;
  owner: string;
  /** The repo running the command; must equal `owner`. */
  actor: string;
  schema: Json;
  /** Defaults to the schema's property defaults. */
  value?: Json;
  version?: string;
  validation?: ContractFile['validation'];
}

/**
 * Writes `domains/<d>/contracts/<name>.yaml` at version 1.0.0 (or `version`), with an
 * evolution entry holding the schema snapshot.
 * @throws UserError E_REALM (non-owner, owner not a domain member, bad schema/value/version),
 *   E_NOT_FOUND (domain), E_EXISTS (contract).
 */
export function createContract(model: RealmModel, input: CreateContractInput): ContractFile {
  assertName('contract', input.name);
  const domain = model.domains.get(input.domain);
  if (!domain) throw new UserError('E_NOT_FOUND', `domain "${input.domain}" not found`);
  assertRepo(model, input.owner);
  assertOwner(input.owner, input.actor, input.name, 'create');
  if (!domain.data.members.includes(input.owner)) {
    throw new UserError('E_REALM', `owner "${input.owner}" is not a member of domain "${input.domain}"`);
  }
  if (domain.contracts.has(input.name)) throw new UserError('E_EXISTS', `contract "${input.name}" already exists in "${input.domain}"`);
  const version = parseVersion(input.version ?? '1.0.0');
  const rel = realmPaths.contract(input.domain, input.name);
  const value = input.value ?? defaultsOf(input.schema);
  assertValueValid(input.schema, value, rel);
  const contract: ContractFile = {
    name: input.name,
    version,
    owner: input.owner,
    compatibility: { backwards: true, forwards: false },
    schema: input.schema,
    value,
    validation: input.validation,
    evolution: [{ version, changes: ['Initial version'], compatible: true, schema: input.schema, value_digest: valueDigest(value) }],
  };
  writeYamlFile(path.join(model.root, rel), contract);
  return contract;
}

/** Input of {@link bumpContract}. */
export interface BumpInput {
  contract: string;
  domain?: string;
  actor: string;
  /** New value; defaults to the current one. */
  value?: Json;
  /** New schema; defaults to the current one. */
  schema?: Json;
  /** Target version; defaults to the level the verdict requires. */
  version?: string;
  changes?: string[];
  /**
   * Publish `version` although the verdict needs a bigger bump (`--allow-breaking`); the
   * reason is recorded in the evolution entry with the actor and the verdict.
   */
  allowBreaking?: { reason: string };
  /** The current time (pending requests, grace periods). */
  now: Date;
}

/** What a bump did. */
export interface BumpResult {
  domain: string;
  contract: string;
  from: string;
  to: string;
  level: BumpLevel;
  /** The schema diff plus a ✗ line per value-level break; `verdict` covers both. */
  diff: SchemaDiff;
  /** Removed value entries that importers still mention (seed 004 Round 4). */
  valueBreaks: ValueBreak[];
  /** The Round 8 style report (fields and verdict). */
  report: string;
  /** Repos importing the contract in its domain. */
  importers: string[];
  /** Set when governance held the breaking version back for approval (the contract stays at `from`). */
  pending?: PendingVersion;
  /** Set when the bump level was allowed over the verdict (`allowBreaking`). */
  override?: Override;
}

/**
 * Bumps a contract: compares the schemas under the contract's `compatibility` flags, finds
 * removed value entries that importers still mention, checks the version level against the
 * verdict, validates the value, appends to `evolution`, and rewrites the file (comments kept).
 * @throws UserError E_REALM for a non-owner actor, nothing changed, a mismatched or
 *   non-increasing version ("breaking change detected: …" names the importers), a value that
 *   fails the schema, an unresolvable `$ref`.
 */
export async function bumpContract(model: RealmModel, input: BumpInput): Promise<BumpResult> {
  const { domain, contract } = findContract(model, input.contract, input.domain);
  const current = contract.data;
  assertOwner(current.owner, input.actor, current.name, 'bump');
  const schema = input.schema ?? current.schema;
  const value = input.value ?? current.value;
  const schemaDiff = await compareSchemas(current.schema, schema, current.compatibility, contract.rel);
  if (schemaDiff.verdict === 'unchanged' && sameJson(value, current.value)) {
    throw new UserError('E_REALM', `nothing changed in contract "${current.name}"`, { expected: 'a new --value or --schema' });
  }
  const breaks = valueBreaks(model, domain, current.name, removedEntries(current.value, value));
  const diff = withValueBreaks(schemaDiff, breaks);
  const to = input.version ? parseVersion(input.version) : nextVersion(current.version, requiredLevel(diff.verdict));
  const level = bumpLevel(current.version, to);
  const report = formatDiff(current.name, current.version, to, diff, level);
  const override = overrideOf(input, diff.verdict, level, current.version, to);
  if (!override && !bumpMatches(diff.verdict, level)) throw mismatch(diff.verdict, level, current.version, to, contract.rel, breaks);
  assertValueValid(schema, value, contract.rel);
  const changes = input.changes ?? [describe(diff, current.value, value)];
  const policy = breakingPolicy(model, domain, current);
  const base = { domain: domain.name, contract: current.name, from: current.version, to, level, diff, valueBreaks: breaks, report, importers: importersOf(domain, current.name), override };
  if (diff.verdict === 'breaking' && policy.requireApproval) {
    if (current.pending) {
      throw new UserError('E_REALM', `contract "${current.name}" already has a pending version ${current.pending.version}`, { expected: 'its approval and `blue realm contract publish` first' });
    }
    const pending: PendingVersion = { version: to, schema, value, changes, requested_at: input.now.toISOString(), needs: policy.approvers, ...(override ? { override } : {}) };
    writeYamlFile(path.join(model.root, contract.rel), { ...current, pending }, contract.doc);
    return { ...base, pending };
  }
  const grace = diff.verdict === 'breaking' && policy.graceDays > 0 ? { previous: current.version, until: new Date(input.now.getTime() + policy.graceDays * 86_400_000).toISOString() } : current.grace;
  const next: ContractFile = {
    ...current,
    version: to,
    schema,
    value,
    grace,
    evolution: [...current.evolution, { version: to, changes, compatible: diff.verdict !== 'breaking', schema, value_digest: valueDigest(value), ...(override ? { override } : {}) }],
  };
  writeYamlFile(path.join(model.root, contract.rel), next, contract.doc);
  return base;
}

/**
 * The override a bump records, or undefined without `allowBreaking`.
 * @throws UserError E_USAGE when the bump level already matches the verdict (nothing to
 *   override) or the verdict is not breaking (an override never hides a wrong level otherwise).
 */
function overrideOf(input: BumpInput, verdict: Verdict, level: BumpLevel, from: string, to: string): Override | undefined {
  if (!input.allowBreaking) return undefined;
  if (bumpMatches(verdict, level)) {
    throw new UserError('E_USAGE', `--allow-breaking: the ${verdict} change already fits a ${level} bump (${from} → ${to}); nothing to override`, { expected: 'no --allow-breaking' });
  }
  if (verdict !== 'breaking') {
    throw new UserError('E_USAGE', `--allow-breaking overrides only a breaking change; this ${verdict} change needs a ${requiredLevel(verdict)} bump, not ${level}`, { expected: `--version ${nextVersion(from, requiredLevel(verdict))}` });
  }
  return { by: input.actor, reason: input.allowBreaking.reason, verdict, at: input.now.toISOString() };
}

/** The schema diff with one ✗ line per value-level break; any break makes it breaking. */
export function withValueBreaks(diff: SchemaDiff, breaks: ValueBreak[]): SchemaDiff {
  if (breaks.length === 0) return diff;
  const lines: FieldChange[] = breaks.map((b) => ({ field: b.path, mark: '✗', note: describeBreak(b).replace(` from ${b.path}`, ''), breaking: true }));
  return { ...diff, fields: [...diff.fields, ...lines], verdict: 'breaking' };
}

function mismatch(verdict: Verdict, level: BumpLevel, from: string, to: string, file: string, breaks: ValueBreak[]): UserError {
  const need = verdict === 'unchanged' ? 'patch or minor' : requiredLevel(verdict);
  const what = breaks.length > 0 ? `breaking change detected: ${breaks.map(describeBreak).join('; ')}; it` : `${verdict} change`;
  return new UserError('E_REALM', `${what} needs a ${need} bump, got ${level} (${from} → ${to})`, {
    where: { file },
    expected: `a ${need} version such as ${nextVersion(from, requiredLevel(verdict))}`,
  });
}

/**
 * Edits made without a version bump: against `before` (the same file as last committed, when
 * known) and against the contract's own evolution entry for its version (schema snapshot and
 * value digest). Pure.
 * @returns one message per edit, e.g. `schema edited without a version bump (still 1.0.0)`.
 */
export function unbumpedEdits(before: ContractFile | undefined, after: ContractFile): string[] {
  const still = `without a version bump (still ${after.version})`;
  const entry = after.evolution.find((e) => e.version === after.version);
  const schemaEdited =
    (before?.version === after.version && !sameJson(before.schema, after.schema)) || (entry?.schema !== undefined && !sameJson(entry.schema, after.schema));
  const valueEdited =
    (before?.version === after.version && !sameJson(before.value, after.value)) ||
    (entry?.value_digest !== undefined && entry.value_digest !== valueDigest(after.value));
  return [...(schemaEdited ? [`schema edited ${still}`] : []), ...(valueEdited ? [`value edited ${still}`] : [])];
}

/**
 * Problems of a contract file changed from `before` (as last committed; undefined when new) to
 * `after`: edits without a bump, a version level that does not match the verdict under the
 * flags of `before` (a minor bump cannot loosen them), a value-level break.
 * @returns one-line messages; empty when the change is publishable.
 */
export async function contractEditProblems(model: RealmModel, domain: string, before: ContractFile | undefined, after: ContractFile, file: string): Promise<string[]> {
  const edits = unbumpedEdits(before, after);
  if (!before || edits.length > 0 || before.version === after.version) return edits;
  let level: BumpLevel;
  try {
    level = bumpLevel(before.version, after.version);
  } catch (err) {
    return [(err as Error).message];
  }
  const d = model.domains.get(domain);
  const breaks = d ? valueBreaks(model, d, after.name, removedEntries(before.value, after.value)) : [];
  const diff = withValueBreaks(await compareSchemas(before.schema, after.schema, before.compatibility, file), breaks);
  const override = overriddenBy(before, after);
  const overridden = diff.verdict === 'breaking' && override?.by === after.owner;
  if (!bumpMatches(diff.verdict, level) && !overridden) return [mismatch(diff.verdict, level, before.version, after.version, file, breaks).message];
  const policy = d && diff.verdict === 'breaking' ? breakingPolicy(model, d, before) : undefined;
  const missing = policy?.requireApproval ? policy.approvers.filter((r) => !approvedIn(d!, r, after.name, after.version)) : [];
  if (missing.length > 0) return [`breaking version ${after.version} is not approved by ${missing.join(', ')} (governance requires it)`];
  return [];
}

/**
 * The override recorded for `after`'s version that `before` did not have yet (a new
 * `--allow-breaking` bump), or undefined.
 */
export function overriddenBy(before: ContractFile | undefined, after: ContractFile): Override | undefined {
  if (before?.version === after.version) return undefined;
  return after.evolution.find((e) => e.version === after.version)?.override;
}

/** Problems of a contract's value against its own schema (for `check`). */
export function contractValueProblems(contract: ContractFile, file: string): string[] {
  return validateValue(contract.schema, contract.value, file).map((p) => `${p.path} ${p.message}`);
}

/** True when `repo`'s binding in `d` approved `version` of `contract`. */
function approvedIn(d: DomainModel, repo: string, contract: string, version: string): boolean {
  return d.bindings.get(repo)?.data.imports.some((i) => i.contract === contract && i.approved?.includes(version)) ?? false;
}

function assertOwner(owner: string, actor: string, name: string, verb: string): void {
  if (owner !== actor) {
    throw new UserError('E_REALM', `only the owner repo "${owner}" may ${verb} contract "${name}" (this repo is "${actor}")`);
  }
}

function describe(diff: SchemaDiff, before: Json, after: Json): string {
  const fields = diff.fields.filter((f) => f.mark !== '✓').map((f) => `${f.field} ${f.note}`);
  if (fields.length > 0) return fields.join('; ');
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !sameJson(before[k], after[k]));
  return `value changed: ${keys.join(', ')}`;
}
