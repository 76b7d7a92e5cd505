/**
 * Governance of breaking changes, enforced (seed 003 Rounds 3 and 12): under
 * `breaking_changes.require_approval` (or a domain `governance.yaml` that requires it) a
 * breaking bump is recorded as pending with the approvals it needs; each approver approves in
 * its own binding (`blue realm approve`), then the owner publishes (`blue realm contract
 * publish`). The previous version stays published through the grace period, during which
 * importers still on it get warnings, not errors.
 */
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { findContract, realmPaths, type DomainModel, type RealmModel } from './model.ts';
import type { BindingFile, ContractFile, PendingVersion } from './schemas.ts';
import { valueDigest } from './value-change.ts';
import { writeYamlFile } from './yaml-io.ts';

const DAY_MS = 86_400_000;

/** How breaking bumps of one contract are governed. */
export interface BreakingPolicy {
  /** True when a breaking bump must wait for `approvers`. */
  requireApproval: boolean;
  /** Repos whose approval publishes a pending breaking version. */
  approvers: string[];
  /** Days the previous version stays usable after a breaking one is published. */
  graceDays: number;
}

/**
 * The policy for `contract` in `domain`: the domain's `governance.yaml` wins over
 * `realm.yaml` (spec defaults: approval required, 14 days). Nobody to ask → no approval. Pure.
 */
export function breakingPolicy(model: RealmModel, domain: DomainModel, contract: ContractFile): BreakingPolicy {
  const realm = model.realm.data.governance?.breaking_changes ?? { require_approval: true, grace_period_days: 14 };
  const local = domain.governance?.data;
  const rule = local?.decisions?.breaking_changes;
  const importers = importersOf(domain, contract.name);
  const stakeholders = [...new Set([...importers, ...(local?.ownership?.stakeholders ?? [])])].filter((r) => r !== contract.owner);
  const approvers = rule?.require === 'primary_only' ? [local?.ownership?.primary ?? contract.owner] : rule?.require === 'none' ? [] : stakeholders;
  const requireApproval = (rule ? rule.require !== 'none' : realm.require_approval) && approvers.length > 0;
  return { requireApproval, approvers, graceDays: rule?.timeout_days ?? realm.grace_period_days };
}

/** Repos importing `contract` in `domain`. */
export function importersOf(domain: DomainModel, contract: string): string[] {
  return [...domain.bindings.values()].filter((b) => b.data.imports.some((i) => i.contract === contract)).map((b) => b.data.repo);
}

/** The approvers of `pending` that have approved it in their bindings. */
export function approvalsOf(domain: DomainModel, contract: string, pending: PendingVersion): string[] {
  return pending.needs.filter((r) => domain.bindings.get(r)?.data.imports.some((i) => i.contract === contract && i.approved?.includes(pending.version)));
}

/** True while `c`'s previous version is still usable at `now`. */
export function inGrace(c: ContractFile, now: Date): boolean {
  return c.grace !== undefined && now.getTime() < Date.parse(c.grace.until);
}

/**
 * `actor` approves the pending `version` of a contract: recorded in the actor's own binding.
 * @returns the approvals still missing.
 * @throws UserError E_REALM when nothing is pending at `version` or `actor` is not asked.
 */
export function approveContract(model: RealmModel, input: { contract: string; domain?: string; version: string; actor: string }): string[] {
  const { domain, contract } = findContract(model, input.contract, input.domain);
  const pending = contract.data.pending;
  if (!pending || pending.version !== input.version) {
    throw new UserError('E_REALM', `contract "${input.contract}" has no pending version ${input.version}`, { expected: pending ? pending.version : 'a pending breaking version' });
  }
  if (!pending.needs.includes(input.actor)) {
    throw new UserError('E_REALM', `repo "${input.actor}" is not asked to approve ${input.contract} ${input.version}`, { expected: `one of ${pending.needs.join(', ')}` });
  }
  const entry = domain.bindings.get(input.actor);
  if (!entry) throw new UserError('E_REALM', `repo "${input.actor}" has no binding in domain "${domain.name}"`);
  const binding: BindingFile = structuredClone(entry.data);
  binding.imports = binding.imports.map((i) => (i.contract === input.contract ? { ...i, approved: [...new Set([...(i.approved ?? []), input.version])] } : i));
  writeYamlFile(path.join(model.root, realmPaths.binding(domain.name, input.actor)), binding, entry.doc);
  const done = new Set([...approvalsOf(domain, input.contract, pending), input.actor]);
  return pending.needs.filter((r) => !done.has(r));
}

/**
 * The owner publishes the pending version once every approval is in: it becomes the
 * contract's version, and the previous one stays usable for the grace period from `now`.
 * @throws UserError E_REALM for a non-owner, nothing pending, or missing approvals (named).
 */
export function publishContract(model: RealmModel, input: { contract: string; domain?: string; actor: string; now: Date }): { from: string; to: string; until: string } {
  const { domain, contract } = findContract(model, input.contract, input.domain);
  const c = contract.data;
  if (c.owner !== input.actor) throw new UserError('E_REALM', `only the owner repo "${c.owner}" may publish contract "${c.name}" (this repo is "${input.actor}")`);
  const pending = c.pending;
  if (!pending) throw new UserError('E_REALM', `contract "${c.name}" has no pending version`);
  const approved = approvalsOf(domain, c.name, pending);
  const missing = pending.needs.filter((r) => !approved.includes(r));
  if (missing.length > 0) {
    throw new UserError('E_REALM', `${c.name} ${pending.version} still needs approval from ${missing.join(', ')}`, {
      expected: `\`blue realm approve ${c.name} ${pending.version}\` run in ${missing.join(', ')}`,
    });
  }
  const until = new Date(input.now.getTime() + breakingPolicy(model, domain, c).graceDays * DAY_MS).toISOString();
  const { pending: _done, ...rest } = c;
  const next: ContractFile = {
    ...rest,
    version: pending.version,
    schema: pending.schema,
    value: pending.value,
    grace: { previous: c.version, until },
    evolution: [
      ...c.evolution,
      { version: pending.version, changes: pending.changes, compatible: false, schema: pending.schema, value_digest: valueDigest(pending.value), ...(pending.override ? { override: pending.override } : {}) },
    ],
  };
  writeYamlFile(path.join(model.root, contract.rel), next, contract.doc);
  return { from: c.version, to: pending.version, until };
}
