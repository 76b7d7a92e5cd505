/**
 * Binding operations: a repo exports a contract it owns, or imports one with a semver range.
 * Imports are refused when they would close a cycle in the exporter → importer graph.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError, type Clock } from '../../core/index.ts';
import { assertAcyclic, domainEdges, realmEdges } from './graph.ts';
import { findContract, realmPaths, type DomainModel, type RealmEntry, type RealmModel } from './model.ts';
import { compareVersions, inRange, parseRange } from './semver-range.ts';
import type { BindingFile, DetectEntry, ExportEntry, ImportEntry } from './schemas.ts';
import { detectRegex } from './detect.ts';
import { writeYamlFile } from './yaml-io.ts';

/**
 * sha256 (hex, first 16 chars) over the source files' paths and contents, relative to
 * `repoRoot`; a missing file hashes as missing.
 */
export function sourceDigest(repoRoot: string, files: string[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    const abs = path.join(repoRoot, f);
    h.update(`${f}\0`);
    h.update(fs.existsSync(abs) && fs.statSync(abs).isFile() ? fs.readFileSync(abs) : '\0missing');
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Declares that `repo` exports `contract` from `sourceFiles` (paths relative to the repo), with
 * `detect` patterns locating its value in code (kept from the previous export when not given).
 * @throws UserError E_REALM when `repo` is not the contract's owner (one exporter per
 *   contract) or a source file is missing; E_NOT_FOUND for an unknown contract.
 */
export function exportBinding(
  model: RealmModel,
  input: { contract: string; domain?: string; repo: string; repoRoot: string; sourceFiles: string[]; detect?: DetectEntry[] },
): BindingFile {
  const { domain, contract } = findContract(model, input.contract, input.domain);
  if (contract.data.owner !== input.repo) {
    throw new UserError('E_REALM', `only the owner repo "${contract.data.owner}" may export contract "${input.contract}"`);
  }
  for (const f of input.sourceFiles) {
    const abs = path.join(input.repoRoot, f);
    if (!fs.existsSync(abs)) throw new UserError('E_NOT_FOUND', `source file ${f} does not exist`, { where: { file: f } });
    if (!fs.statSync(abs).isFile()) throw new UserError('E_USAGE', 'is a directory, not a source file', { where: { file: f }, expected: 'a file (repeat --source for several)' });
  }
  for (const d of input.detect ?? []) detectRegex(d.pattern);
  const binding = bindingOf(domain, input.repo, 'provider');
  const detect = input.detect ?? binding.exports.find((e) => e.contract === input.contract)?.detect;
  const entry: ExportEntry = {
    contract: input.contract,
    source_files: input.sourceFiles,
    source_digest: sourceDigest(input.repoRoot, input.sourceFiles),
    ...(detect?.length ? { detect } : {}),
  };
  binding.exports = upsert(binding.exports, entry);
  write(model, domain, binding);
  return binding;
}

/**
 * Declares that `repo` imports `contract` with `range`, bound in `bindingFile`; resolves it
 * to the contract's current version (status `current`). Re-running updates the resolution.
 * @throws UserError E_REALM for an invalid range, a current version outside the range, the
 *   owner importing its own contract, or a cycle; E_NOT_FOUND for an unknown contract.
 */
export function importBinding(
  model: RealmModel,
  input: { contract: string; domain?: string; repo: string; range: string; bindingFile?: string },
  clock: Clock,
): BindingFile {
  const { domain, contract } = findContract(model, input.contract, input.domain);
  parseRange(input.range, { field: '--version' });
  if (contract.data.owner === input.repo) {
    throw new UserError('E_REALM', `repo "${input.repo}" owns contract "${input.contract}" and cannot import it`);
  }
  if (!domain.data.members.includes(input.repo)) {
    throw new UserError('E_REALM', `repo "${input.repo}" is not a member of domain "${domain.name}"`);
  }
  if (!inRange(contract.data.version, input.range)) {
    throw new UserError('E_REALM', `contract "${input.contract}" is at ${contract.data.version}, outside "${input.range}"`);
  }
  const binding = bindingOf(domain, input.repo, 'consumer');
  const entry: ImportEntry = {
    contract: input.contract,
    version: input.range,
    binding: input.bindingFile ?? '',
    status: 'current',
    resolved_version: contract.data.version,
    resolved_at: clock.now().toISOString(),
  };
  binding.imports = upsert(binding.imports, entry);
  const trial: DomainModel = { ...domain, bindings: new Map(domain.bindings).set(input.repo, unsaved(binding)) };
  assertAcyclic(realmEdges(model, domain.name), domainEdges(trial), `importing "${input.contract}" into "${input.repo}"`);
  write(model, domain, binding);
  return binding;
}

/** The repo's binding in `domain` (a copy), created with `role` when absent; role widens to `both`. */
function bindingOf(domain: DomainModel, repo: string, role: 'provider' | 'consumer'): BindingFile {
  const existing = domain.bindings.get(repo)?.data;
  if (!existing) return { repo, role, exports: [], imports: [] };
  const copy = structuredClone(existing);
  if (copy.role !== role) copy.role = 'both';
  return copy;
}

function write(model: RealmModel, domain: DomainModel, binding: BindingFile): void {
  const rel = realmPaths.binding(domain.name, binding.repo);
  writeYamlFile(path.join(model.root, rel), binding, domain.bindings.get(binding.repo)?.doc);
}

function upsert<T extends { contract: string }>(list: T[], entry: T): T[] {
  const i = list.findIndex((x) => x.contract === entry.contract);
  return i < 0 ? [...list, entry] : list.map((x, j) => (j === i ? entry : x));
}

/** A binding not yet on disk, for the cycle check (which reads only `data`). */
function unsaved(data: BindingFile): RealmEntry<BindingFile> {
  return { data, doc: undefined as never, rel: '' };
}

/**
 * After a bump by the owner: records the current source digest of the repo's existing
 * export of `contract` (the contract now matches the code). No-op without an export; a
 * missing source file is left for `check --mode exporter` to report, so a bump that has
 * already rewritten the contract never fails here.
 */
export function refreshExport(model: RealmModel, input: { contract: string; domain: string; repo: string; repoRoot: string }): void {
  const domain = model.domains.get(input.domain);
  const existing = domain?.bindings.get(input.repo)?.data;
  const entry = existing?.exports.find((e) => e.contract === input.contract);
  if (!domain || !existing || !entry) return;
  const binding = structuredClone(existing);
  binding.exports = upsert(binding.exports, { ...entry, source_digest: sourceDigest(input.repoRoot, entry.source_files) });
  write(model, domain, binding);
}

/**
 * Brings `repo`'s own import statuses in line with the realm: `outdated` when resolved below
 * the contract's current version (`versionOf` a contract file, e.g. as committed; defaults to
 * the loaded one), `current` again once resolved at it. Only this repo's bindings are written.
 * @returns the binding files rewritten (realm-relative).
 */
export function markImportStatuses(model: RealmModel, repo: string, versionOf: (contractRel: string) => string | undefined = () => undefined): string[] {
  const written: string[] = [];
  for (const domain of model.domains.values()) {
    const entry = domain.bindings.get(repo);
    if (!entry) continue;
    const binding = structuredClone(entry.data);
    let changed = false;
    binding.imports = binding.imports.map((i) => {
      const c = domain.contracts.get(i.contract);
      const current = c ? (versionOf(c.rel) ?? c.data.version) : undefined;
      if (!current || !i.resolved_version || i.status === 'broken' || i.status === 'pending') return i;
      const status = compareVersions(i.resolved_version, current) < 0 ? 'outdated' : 'current';
      if (status === i.status) return i;
      changed = true;
      return { ...i, status };
    });
    if (!changed) continue;
    write(model, domain, binding);
    written.push(entry.rel);
  }
  return written;
}
