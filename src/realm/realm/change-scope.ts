/**
 * Which repos a coordinated change touches and in which order they merge: exporters before
 * importers (the realm graph is acyclic by construction, graph.ts), ties in name order.
 */
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { scanDocuments } from '../documents/scan.ts';
import { findField } from '../documents/header.ts';
import { realmEdges } from './graph.ts';
import type { RealmModel } from './model.ts';

/**
 * `repos` sorted so every exporter comes before its importers (Kahn's algorithm over the
 * realm's edges between these repos; ties by name).
 */
export function mergeOrder(model: RealmModel, repos: readonly string[]): string[] {
  const inSet = new Set(repos);
  const edges = realmEdges(model).filter((e) => inSet.has(e.from) && inSet.has(e.to) && e.from !== e.to);
  const indegree = new Map([...inSet].map((r) => [r, 0]));
  for (const e of edges) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const order: string[] = [];
  const ready = [...inSet].filter((r) => indegree.get(r) === 0).sort();
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    for (const e of edges.filter((x) => x.from === next)) {
      const left = (indegree.get(e.to) ?? 0) - 1;
      indegree.set(e.to, left);
      if (left === 0) ready.push(e.to), ready.sort();
    }
  }
  // A cycle cannot be recorded (createDomain refuses it); keep any leftover anyway, by name.
  return [...order, ...[...inSet].filter((r) => !order.includes(r)).sort()];
}

/**
 * The repos of a change: members of `domains`, or the owners and users of the contracts an
 * RFC's `Contracts` header row lists (`domain/contract, …`).
 * @throws UserError E_NOT_FOUND for an unknown domain or contract; E_USAGE when neither is given.
 */
export function changeRepos(model: RealmModel, scope: { domains?: string[]; contracts?: string[] }): string[] {
  const repos = new Set<string>();
  for (const name of scope.domains ?? []) {
    const d = model.domains.get(name);
    if (!d) throw new UserError('E_NOT_FOUND', `domain "${name}" not found`, { expected: `one of ${[...model.domains.keys()].join(', ') || '(none)'}` });
    d.data.members.forEach((m) => repos.add(m));
  }
  for (const ref of scope.contracts ?? []) {
    const [domainName, contract] = ref.includes('/') ? ref.split('/', 2) : [undefined, ref];
    const hits = [...model.domains.values()].filter((d) => (domainName === undefined || d.name === domainName) && d.contracts.has(contract!));
    if (hits.length === 0) throw new UserError('E_NOT_FOUND', `contract "${ref}" not found in the realm`);
    for (const d of hits) {
      repos.add(d.contracts.get(contract!)!.data.owner);
      for (const b of d.bindings.values()) {
        if (b.data.imports.some((i) => i.contract === contract) || b.data.exports.some((e) => e.contract === contract)) repos.add(b.data.repo);
      }
    }
  }
  if (repos.size === 0) throw new UserError('E_USAGE', 'the change touches no repo', { expected: '--domain NAME (repeatable) or --rfc N' });
  return [...repos];
}

/**
 * The contracts listed in the `Contracts` header row of RFC `number` under `workspaceRoot`.
 * @throws UserError E_NOT_FOUND when there is no such RFC; E_DOCUMENT when it has no Contracts row.
 */
export function rfcContracts(workspaceRoot: string, number: number): string[] {
  const doc = scanDocuments(workspaceRoot, ['rfc']).find((d) => d.number === number);
  if (!doc) throw new UserError('E_NOT_FOUND', `RFC ${number} not found`, { where: { file: path.basename(workspaceRoot) } });
  const row = findField(doc.header, 'Contracts');
  const list = (row?.value ?? '').split(',').map((s) => s.trim().split(/\s+/)[0] ?? '').filter(Boolean);
  if (list.length === 0) {
    throw new UserError('E_DOCUMENT', `RFC ${number} lists no contracts`, { where: { file: doc.file }, expected: 'a "Contracts" header row: domain/contract, …' });
  }
  return list;
}
