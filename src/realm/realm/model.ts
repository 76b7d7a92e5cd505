/**
 * Loading a whole realm repository into memory: realm.yaml, repos/, domains/ with their
 * contracts and bindings. Files are the truth; this is a read-only snapshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { UserError } from '../../core/index.ts';
import {
  BindingFileSchema,
  ContractFileSchema,
  DomainFileSchema,
  DomainGovernanceSchema,
  RealmFileSchema,
  RepoFileSchema,
  type BindingFile,
  type ContractFile,
  type DomainFile,
  type DomainGovernance,
  type RealmFile,
  type RepoFile,
} from './schemas.ts';
import { tryGit } from './git.ts';
import { parseYaml, readYamlFile } from './yaml-io.ts';

/** A loaded file: data, its Document and its path relative to the realm root. */
export interface RealmEntry<T> {
  data: T;
  doc: Document;
  rel: string;
  /** Offsets to lines in `doc` (absent for entries built in memory). */
  lines?: LineCounter;
}

/** One domain with its contracts and bindings (keyed by name / repo). */
export interface DomainModel extends RealmEntry<DomainFile> {
  name: string;
  contracts: Map<string, RealmEntry<ContractFile>>;
  bindings: Map<string, RealmEntry<BindingFile>>;
  /** `governance.yaml`, when the domain has one. */
  governance?: RealmEntry<DomainGovernance>;
}

/** A realm repository loaded from disk. */
export interface RealmModel {
  /** Absolute path of the realm repository. */
  root: string;
  /**
   * The git ref the files were read from (e.g. `origin/main`: realm-view.ts); undefined when
   * they were read from the checkout's working tree.
   */
  ref?: string;
  realm: RealmEntry<RealmFile>;
  repos: Map<string, RealmEntry<RepoFile>>;
  domains: Map<string, DomainModel>;
}

/** Realm-relative paths of each file kind. */
export const realmPaths = {
  realm: 'realm.yaml',
  repo: (r: string) => `repos/${r}.yaml`,
  domain: (d: string) => `domains/${d}/domain.yaml`,
  governance: (d: string) => `domains/${d}/governance.yaml`,
  contract: (d: string, c: string) => `domains/${d}/contracts/${c}.yaml`,
  binding: (d: string, r: string) => `domains/${d}/bindings/${r}.yaml`,
} as const;

/**
 * Loads every file of the realm at `root`.
 * @throws UserError E_REALM when `root` has no realm.yaml or any file is malformed/unknown-field.
 */
export function loadRealm(root: string): RealmModel {
  if (!fs.existsSync(path.join(root, realmPaths.realm))) {
    throw new UserError('E_REALM', `no realm.yaml in ${path.basename(root)}`, { expected: 'a realm created with `blue realm init`' });
  }
  const read = <T>(rel: string, schema: Parameters<typeof readYamlFile>[1]): RealmEntry<T> => {
    const { data, doc, lines } = readYamlFile(path.join(root, rel), schema, rel);
    return { data: data as T, doc, rel, lines };
  };
  const repos = new Map<string, RealmEntry<RepoFile>>();
  for (const f of yamlNames(path.join(root, 'repos'))) repos.set(f, read<RepoFile>(realmPaths.repo(f), RepoFileSchema));
  const domains = new Map<string, DomainModel>();
  for (const d of dirNames(path.join(root, 'domains'))) {
    if (!fs.existsSync(path.join(root, realmPaths.domain(d)))) continue;
    const contracts = new Map<string, RealmEntry<ContractFile>>();
    for (const c of yamlNames(path.join(root, 'domains', d, 'contracts'))) {
      contracts.set(c, read<ContractFile>(realmPaths.contract(d, c), ContractFileSchema));
    }
    const bindings = new Map<string, RealmEntry<BindingFile>>();
    for (const r of yamlNames(path.join(root, 'domains', d, 'bindings'))) {
      bindings.set(r, read<BindingFile>(realmPaths.binding(d, r), BindingFileSchema));
    }
    const governance = fs.existsSync(path.join(root, realmPaths.governance(d)))
      ? read<DomainGovernance>(realmPaths.governance(d), DomainGovernanceSchema)
      : undefined;
    domains.set(d, { name: d, ...read<DomainFile>(realmPaths.domain(d), DomainFileSchema), contracts, bindings, governance });
  }
  return { root, realm: read<RealmFile>(realmPaths.realm, RealmFileSchema), repos, domains };
}

/** Finds a contract by name, optionally within one domain. */
/**
 * The contract file at `rel` as committed at `ref` (HEAD by default), when the realm is a git
 * repo, `ref` has the file and it parses; else undefined.
 */
export function committedContract(root: string, rel: string, ref = 'HEAD'): ContractFile | undefined {
  const shown = tryGit(root, ['show', `${ref}:${rel}`]);
  if (!shown.ok) return undefined;
  try {
    return parseYaml(shown.stdout, ContractFileSchema, rel).data;
  } catch {
    return undefined;
  }
}

export function findContract(
  model: RealmModel,
  name: string,
  domain?: string,
): { domain: DomainModel; contract: RealmEntry<ContractFile> } {
  const hits = [...model.domains.values()]
    .filter((d) => domain === undefined || d.name === domain)
    .flatMap((d) => {
      const c = d.contracts.get(name);
      return c ? [{ domain: d, contract: c }] : [];
    });
  if (hits.length === 0) {
    throw new UserError('E_NOT_FOUND', `contract "${name}" not found${domain ? ` in domain "${domain}"` : ''}`);
  }
  if (hits.length > 1) {
    throw new UserError('E_USAGE', `contract "${name}" exists in several domains`, { expected: '--domain NAME' });
  }
  return hits[0]!;
}

/**
 * The checkout of `repo` per `repos/<repo>.yaml` (`path` relative to the realm), when it exists.
 * Only read from: blue writes inside the current repo and the realm checkout, nowhere else.
 */
export function repoCheckout(model: RealmModel, repo: string): string | undefined {
  const rel = model.repos.get(repo)?.data.path;
  if (!rel) return undefined;
  const abs = path.resolve(model.root, rel);
  return fs.existsSync(abs) ? abs : undefined;
}

function yamlNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

function dirNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
