/**
 * `trust.permissions` of realm.yaml, checked against history: each sync commit names its repo
 * (`Blue-Repo:` trailer); every file it changed must be one the map lets that repo write.
 * Patterns are realm paths with `{repo}`, `{domain}`, `{name}` and `*`; groups resolve per file:
 * `repo_maintainers`/`maintainers`/`binding_owner` → the `{repo}` (or file name) in the path,
 * `domain_owners` → the domain's members, `contract_owner`/`exporters` → the contract's owner.
 */
import { locate, type CheckFinding } from './check-finding.ts';
import { committedContract, type RealmModel } from './model.ts';
import { tryGit } from './git.ts';

/** The map that applies when realm.yaml has no `trust` block (spec §4.2). */
export const DEFAULT_PERMISSIONS: Record<string, string[]> = {
  'repos/{repo}.yaml': ['repo_maintainers'],
  'domains/{domain}/domain.yaml': ['domain_owners'],
  'domains/{domain}/contracts/{name}.yaml': ['contract_owner'],
  'domains/{domain}/bindings/{repo}.yaml': ['repo_maintainers'],
};

const GROUPS = new Set(['repo_maintainers', 'maintainers', 'binding_owner', 'domain_owners', 'contract_owner', 'exporters']);

/**
 * Problems with the map itself (`permission-map`, at its line in realm.yaml) and with commits
 * that broke it (`permission-denied`), as errors on realm.yaml.
 * @param trailer the trailer key naming a commit's repo.
 */
export function permissionProblems(model: RealmModel, trailer: string): CheckFinding[] {
  const trust = model.realm.data.trust;
  const map = trust ? (trust.permissions ?? {}) : DEFAULT_PERMISSIONS;
  const out: CheckFinding[] = [];
  const denied = (message: string) => out.push({ severity: 'error', rule: 'permission-denied', file: model.realm.rel, message });
  const rules = Object.entries(map).map(([pattern, groups]) => {
    for (const g of groups) {
      if (GROUPS.has(g)) continue;
      const message = `trust.permissions "${pattern}": unknown group "${g}" (expected one of ${[...GROUPS].join(', ')})`;
      out.push({ severity: 'error', rule: 'permission-map', ...locate(model.realm, ['trust', 'permissions', pattern]), message });
    }
    return { pattern, groups, re: toRegex(pattern) };
  });
  if (rules.length === 0) return out;
  const log = tryGit(model.root, ['log', '--name-only', `--format=%x1e%H%x1f%(trailers:key=${trailer},valueonly,separator=%x2C)`, model.ref ?? 'HEAD']);
  if (!log.ok) return out;
  for (const chunk of log.stdout.split('\x1e').filter((c) => c.trim())) {
    const [head = '', ...files] = chunk.split('\n');
    const [sha = '', by = ''] = head.split('\x1f');
    const who = by.trim();
    if (!who) continue;
    for (const file of files.map((f) => f.trim()).filter(Boolean)) {
      const matched = rules.map((r) => ({ r, m: r.re.exec(file) })).filter((x) => x.m);
      if (matched.length === 0) continue;
      const allowed = matched.some(({ r, m }) => r.groups.some((g) => allowedRepos(model, sha, file, g, m!.groups ?? {}).includes(who)));
      if (!allowed) {
        const groups = [...new Set(matched.flatMap(({ r }) => r.groups))].join(', ');
        denied(`commit ${sha.slice(0, 7)} by "${who}" changed ${file}, which trust.permissions reserves for ${groups}`);
      }
    }
  }
  return out;
}

function allowedRepos(model: RealmModel, sha: string, file: string, group: string, vars: Record<string, string>): string[] {
  const fileName = /([^/]+)\.yaml$/.exec(file)?.[1] ?? '';
  if (group === 'repo_maintainers' || group === 'maintainers' || group === 'binding_owner') return [vars.repo ?? fileName];
  if (group === 'domain_owners') return vars.domain ? (model.domains.get(vars.domain)?.data.members ?? []) : [];
  if (group === 'contract_owner' || group === 'exporters') {
    const owner = committedContract(model.root, file, sha)?.owner;
    return owner === undefined ? [] : [owner];
  }
  return [];
}

function toRegex(pattern: string): RegExp {
  const body = pattern
    .split(/(\{[a-z]+\}|\*)/)
    .map((part) => (part === '*' ? '[^/]+' : /^\{[a-z]+\}$/.test(part) ? `(?<${part.slice(1, -1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
