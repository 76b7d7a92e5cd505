/**
 * `blue realm sync --allow-breaking --reason`: a contract edited by hand to a version whose bump
 * is smaller than its detected breaking change gets the same recorded override as
 * `contract bump --allow-breaking` (who, why, verdict, when in its evolution entry), so the
 * commit's `Blue-Override:` trailer and `check --mode contract` report it. Governance still
 * applies: an override never stands in for required approvals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compareSchemas } from './compat.ts';
import { withValueBreaks } from './contracts.ts';
import { committedContract, type RealmModel } from './model.ts';
import { ContractFileSchema, type EvolutionEntry, type Override } from './schemas.ts';
import { bumpLevel } from './semver-range.ts';
import { removedEntries, valueBreaks, valueDigest } from './value-change.ts';
import { readYamlFile, writeYamlFile } from './yaml-io.ts';
import { realmFile } from './realm-file.ts';

/**
 * Writes an override into each contract among `files` (owned by `repo`, version changed since
 * `baseRef` by a non-major bump, verdict breaking, no override yet).
 * @returns the realm-relative files given an override.
 */
export async function recordSyncOverrides(model: RealmModel, repo: string, files: string[], baseRef: string, reason: string, now: Date): Promise<string[]> {
  const done: string[] = [];
  for (const rel of files) {
    const file = realmFile(rel);
    const abs = path.join(model.root, rel);
    if (file?.kind !== 'contract' || !fs.existsSync(abs)) continue;
    const { data: after, doc } = readYamlFile(abs, ContractFileSchema, rel);
    const before = committedContract(model.root, rel, baseRef);
    if (!before || after.owner !== repo || !(await breakingMinor(model, file.domain, before, after, rel))) continue;
    const entry = after.evolution.find((e) => e.version === after.version);
    if (entry?.override) continue;
    const override: Override = { by: repo, reason, verdict: 'breaking', at: now.toISOString() };
    const fresh: EvolutionEntry = { version: after.version, changes: ['edited in the realm checkout'], compatible: false, schema: after.schema, value_digest: valueDigest(after.value) };
    const evolution = entry ? after.evolution.map((e) => (e === entry ? { ...e, compatible: false, override } : e)) : [...after.evolution, { ...fresh, override }];
    writeYamlFile(abs, { ...after, evolution }, doc);
    done.push(rel);
  }
  return done;
}

/** True when `before` → `after` is a breaking change published with a bump below major. */
async function breakingMinor(model: RealmModel, domain: string, before: ContractFileOf, after: ContractFileOf, rel: string): Promise<boolean> {
  if (before.version === after.version) return false;
  try {
    if (bumpLevel(before.version, after.version) === 'major') return false;
  } catch {
    return false;
  }
  const d = model.domains.get(domain);
  const breaks = d ? valueBreaks(model, d, after.name, removedEntries(before.value, after.value)) : [];
  const diff = withValueBreaks(await compareSchemas(before.schema, after.schema, before.compatibility, rel), breaks);
  return diff.verdict === 'breaking';
}

type ContractFileOf = NonNullable<ReturnType<typeof committedContract>>;
