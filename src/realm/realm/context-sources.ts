/**
 * Dialogue ↔ realm: the contracts that involve the current repo (owned, exported or
 * imported), as YAML text, to add to a dialogue's sources (`--realm-context`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readMemberships } from './membership.ts';
import { loadRealm, type RealmModel } from './model.ts';

/**
 * Contracts involving the repo at `root`, each as `{ path, content }`: `path` is the contract
 * file relative to `root` (e.g. `../realm-x/domains/d/contracts/c.yaml`), `content` its YAML.
 * Returns [] when the repo has not joined a realm; covers every realm it joined.
 * @throws UserError E_REALM / E_CONFIG when the membership or realm files are malformed.
 */
export function realmContextSources(root: string): { path: string; content: string }[] {
  if (!fs.existsSync(path.join(root, '.blue', 'config.yaml'))) return [];
  return readMemberships(root).flatMap((m) => sourcesOf(root, loadRealm(path.resolve(root, m.path)), m.repo));
}

function sourcesOf(root: string, model: RealmModel, repo: string): { path: string; content: string }[] {
  const sources: { path: string; content: string }[] = [];
  for (const d of model.domains.values()) {
    const binding = d.bindings.get(repo)?.data;
    for (const c of d.contracts.values()) {
      const involved =
        c.data.owner === repo ||
        binding?.exports.some((e) => e.contract === c.data.name) ||
        binding?.imports.some((i) => i.contract === c.data.name);
      if (!involved) continue;
      const abs = path.join(model.root, c.rel);
      sources.push({ path: path.relative(root, abs), content: fs.readFileSync(abs, 'utf8') });
    }
  }
  return sources;
}
