/**
 * What `sync` may publish for a repo, and what it announces: the files the repo owns (judged
 * from the committed state, never from a working-copy claim), the edits it refuses, and the
 * contract version changes it commits.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { UserError } from '../../core/index.ts';
import { contractEditProblems, overriddenBy } from './contracts.ts';
import { committedContract, type RealmModel } from './model.ts';
import { changeKind, type ContractChange } from './notify.ts';
import { BindingFileSchema, ContractFileSchema } from './schemas.ts';
import { parseYaml } from './yaml-io.ts';
import { realmFile } from './realm-file.ts';

/** The commit trailer naming the repo a sync commit comes from (checked by `check --mode contract`). */
export const TRAILER = 'Blue-Repo';

/** The commit trailer recording an `--allow-breaking` override: `<contract> <version> by <repo>: <reason>`. */
export const OVERRIDE_TRAILER = 'Blue-Override';

/**
 * True for realm files this repo may publish: its repo file, its bindings, domains it is in,
 * and contracts it owns as last committed (a working-copy `owner:` edit claims nothing).
 */
export function ownedBy(model: RealmModel, repo: string, rel: string): boolean {
  if (rel === `repos/${repo}.yaml`) return true;
  const file = realmFile(rel);
  if (!file) return false;
  const domain = model.domains.get(file.domain);
  if (file.kind === 'domain') return domain?.data.members.includes(repo) ?? false;
  if (file.kind === 'binding') return file.repo === repo;
  const committed = committedContract(model.root, rel);
  if (committed) return committed.owner === repo;
  const contract = domain?.contracts.get(file.contract);
  return contract ? contract.data.owner === repo : false;
}

/**
 * Refuses contract edits that must not be published: no bump, a bump level below the verdict,
 * a removed value entry an importer still uses ("breaking change detected").
 * @throws UserError E_REALM naming the file and the problem.
 */
export async function assertPublishable(model: RealmModel, repo: string, files: string[]): Promise<void> {
  for (const rel of files) {
    const problems = await fileProblems(model, repo, rel);
    if (problems.length > 0) {
      throw new UserError('E_REALM', `sync refused, nothing was committed: ${problems.join('; ')}`, {
        where: { file: rel },
        expected: '`blue realm contract bump` with the version the change needs',
      });
    }
  }
}

/** Why `rel` (a file this repo publishes) must not be committed as it stands. */
async function fileProblems(model: RealmModel, repo: string, rel: string): Promise<string[]> {
  const abs = path.join(model.root, rel);
  if (!fs.existsSync(abs)) return [];
  const file = realmFile(rel);
  if (file?.kind === 'binding') {
    const data = parseYaml(fs.readFileSync(abs, 'utf8'), BindingFileSchema, rel).data;
    return data.repo === repo ? [] : [`binding names repo "${data.repo}", not "${repo}"`];
  }
  if (file?.kind !== 'contract') return [];
  const after = parseYaml(fs.readFileSync(abs, 'utf8'), ContractFileSchema, rel).data;
  const before = committedContract(model.root, rel);
  if (before && before.owner !== after.owner) return [`owner changed from "${before.owner}" to "${after.owner}"; sync does not transfer ownership`];
  if (after.owner !== repo) return [`contract owner is "${after.owner}", not "${repo}"`];
  return contractEditProblems(model, file.domain, before, after, rel);
}

/** Contract files among `files`, compared with HEAD: new, breaking (major up) or changed. */
export function contractChanges(root: string, files: string[], repo: string, baseRef = 'HEAD'): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const rel of files) {
    const file = realmFile(rel);
    if (file?.kind !== 'contract') continue;
    const now = loadVersion(root, rel);
    if (!now) continue;
    const before = validVersion(committedContract(root, rel, baseRef)?.version);
    if (before === now) continue;
    changes.push({ domain: file.domain, contract: file.contract, kind: changeKind(before, now), from: before, to: now, fromRepo: repo });
  }
  return changes;
}

function loadVersion(root: string, rel: string): string | undefined {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return undefined;
  try {
    return validVersion(parseYaml(fs.readFileSync(abs, 'utf8'), ContractFileSchema, rel).data.version);
  } catch {
    return undefined;
  }
}

function validVersion(v: string | undefined): string | undefined {
  return (v !== undefined && semver.valid(v)) || undefined;
}


/**
 * One `Blue-Override:` trailer line per contract among `files` whose working copy records a
 * new override (compared with `baseRef`), so the commit itself says who overrode what and why.
 */
export function overrideTrailers(root: string, files: string[], baseRef: string): string[] {
  const lines: string[] = [];
  for (const rel of files) {
    if (realmFile(rel)?.kind !== 'contract') continue;
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) continue;
    const after = parseYaml(fs.readFileSync(abs, 'utf8'), ContractFileSchema, rel).data;
    const o = overriddenBy(committedContract(root, rel, baseRef), after);
    if (o) lines.push(`${OVERRIDE_TRAILER}: ${after.name} ${after.version} by ${o.by} (${o.verdict} change): ${o.reason.replace(/\s+/g, ' ')}`);
  }
  return lines;
}
