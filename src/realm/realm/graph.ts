/**
 * The realm's dependency graph (exporter repo → importer repo, labelled by domain), kept
 * acyclic (seed 003 Round 6 "Cycle Prevention"), plus its text tree and Mermaid renderings.
 */
import { UserError } from '../../core/index.ts';
import type { DomainModel, RealmModel } from './model.ts';
import { compareVersions, inRange } from './semver-range.ts';

/** A directed edge `from → (domain) → to`. */
export interface Edge {
  from: string;
  to: string;
  domain: string;
}

/** The three ways out of a cycle suggested in seed 003 (Round 6 / final proposal). */
export const CYCLE_SUGGESTIONS = [
  'merge the related domains into one coordination context',
  'reverse a dependency direction',
  'use a hub-and-spoke pattern',
] as const;

/**
 * Edges of one domain: from its bindings (contract owner → each importer) when any import
 * exists; else from its contracts' owners → every other member; else the declared direction
 * `members[0]` → every other member.
 */
export function domainEdges(domain: DomainModel): Edge[] {
  const edges: Edge[] = [];
  for (const b of domain.bindings.values()) {
    for (const imp of b.data.imports) {
      const owner = domain.contracts.get(imp.contract)?.data.owner;
      if (owner && owner !== b.data.repo) edges.push({ from: owner, to: b.data.repo, domain: domain.name });
    }
  }
  if (edges.length > 0) return dedupe(edges);
  const owners = [...new Set([...domain.contracts.values()].map((c) => c.data.owner))];
  if (owners.length > 0) {
    return dedupe(owners.flatMap((from) => domain.data.members.filter((m) => m !== from).map((to) => ({ from, to, domain: domain.name }))));
  }
  const [first, ...rest] = domain.data.members;
  return first ? rest.filter((m) => m !== first).map((to) => ({ from: first, to, domain: domain.name })) : [];
}

/** All edges of the realm, domains in name order. */
export function realmEdges(model: RealmModel, except?: string): Edge[] {
  return [...model.domains.values()].filter((d) => d.name !== except).flatMap(domainEdges);
}

/**
 * A cycle through the graph, as the edges walked, or undefined when acyclic. When
 * `preferLast` is given and on the cycle, the cycle is rotated so that edge comes last.
 */
export function findCycle(edges: Edge[], preferLast?: Edge): Edge[] | undefined {
  const out = new Map<string, Edge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: Edge[] = [];
  const visit = (node: string): Edge[] | undefined => {
    state.set(node, 'open');
    for (const e of out.get(node) ?? []) {
      if (state.get(e.to) === 'open') {
        const start = stack.findIndex((s) => s.from === e.to);
        return [...(start < 0 ? [] : stack.slice(start)), e];
      }
      if (state.has(e.to)) continue;
      stack.push(e);
      const found = visit(e.to);
      if (found) return found;
      stack.pop();
    }
    state.set(node, 'done');
    return undefined;
  };
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  if (preferLast) nodes.sort((a, b) => Number(b === preferLast.to) - Number(a === preferLast.to));
  for (const n of nodes) {
    if (state.has(n)) continue;
    const cycle = visit(n);
    if (cycle) return rotate(cycle, preferLast);
  }
  return undefined;
}

/** `a → (s3-access) → b → (feedback-loop) → a`. */
export function formatCycle(cycle: Edge[]): string {
  if (cycle.length === 0) return '';
  return [cycle[0]!.from, ...cycle.map((e) => `(${e.domain}) → ${e.to}`)].join(' → ');
}

/**
 * Refuses `added` edges that would close a cycle with `existing`.
 * @param what e.g. `adding domain "feedback-loop"`.
 * @throws UserError E_REALM `<what> creates a cycle: a → (d) → b → (e) → a`, with the seed's three suggestions.
 */
export function assertAcyclic(existing: Edge[], added: Edge[], what: string): void {
  const cycle = findCycle([...existing, ...added], added[added.length - 1]);
  if (!cycle) return;
  throw new UserError('E_REALM', `${what} creates a cycle: ${formatCycle(cycle)}`, {
    expected: `no cycle; consider: ${CYCLE_SUGGESTIONS.join('; ')}`,
  });
}

/** Text tree of repos, domains, contracts and their exporters/importers. */
export function graphTree(model: RealmModel): string {
  const lines = [`realm ${model.realm.data.name}`];
  const repos = [...model.repos.keys()];
  const domains = [...model.domains.values()];
  lines.push(`${domains.length ? '├──' : '└──'} repos`);
  const pad1 = domains.length ? '│   ' : '    ';
  repos.forEach((r, i) => lines.push(`${pad1}${i === repos.length - 1 ? '└──' : '├──'} ${r}`));
  if (domains.length) lines.push('└── domains');
  domains.forEach((d, i) => {
    const lastD = i === domains.length - 1;
    lines.push(`    ${lastD ? '└──' : '├──'} ${d.name} (${d.data.members.join(', ')})`);
    const pad2 = `    ${lastD ? '    ' : '│   '}`;
    const contracts = [...d.contracts.values()];
    contracts.forEach((c, j) => {
      const lastC = j === contracts.length - 1;
      lines.push(`${pad2}${lastC ? '└──' : '├──'} ${c.data.name} ${c.data.version} (owner ${c.data.owner})`);
      const pad3 = `${pad2}${lastC ? '    ' : '│   '}`;
      const uses = contractUses(d, c.data.name);
      uses.forEach((u, k) => lines.push(`${pad3}${k === uses.length - 1 ? '└──' : '├──'} ${u}`));
    });
  });
  return `${lines.join('\n')}\n`;
}

/** Mermaid `flowchart LR`: repos as boxes, domains as subgraphs holding contract hexagons. */
export function graphMermaid(model: RealmModel): string {
  const lines = ['flowchart LR'];
  for (const r of model.repos.keys()) lines.push(`  ${id('repo', r)}["${r}"]`);
  for (const d of model.domains.values()) {
    lines.push(`  subgraph ${id('domain', d.name)}["${d.name}"]`);
    for (const c of d.contracts.values()) lines.push(`    ${id('contract', d.name, c.data.name)}{{"${c.data.name} ${c.data.version}"}}`);
    lines.push('  end');
  }
  for (const d of model.domains.values()) {
    for (const b of d.bindings.values()) {
      for (const e of b.data.exports) lines.push(`  ${id('repo', b.data.repo)} -->|exports| ${id('contract', d.name, e.contract)}`);
      for (const i of b.data.imports) {
        lines.push(`  ${id('contract', d.name, i.contract)} -->|"imports ${i.version}"| ${id('repo', b.data.repo)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function contractUses(d: DomainModel, contract: string): string[] {
  const uses: string[] = [];
  for (const b of d.bindings.values()) {
    for (const e of b.data.exports.filter((x) => x.contract === contract)) {
      uses.push(`exported by ${b.data.repo}${e.source_files.length ? ` (${e.source_files.join(', ')})` : ''}`);
    }
    for (const i of b.data.imports.filter((x) => x.contract === contract)) {
      const resolved = i.resolved_version ? `, resolved ${i.resolved_version}` : '';
      uses.push(`imported by ${b.data.repo} (${i.version}${resolved}, ${importState(d, contract, i.version, i.resolved_version)})`);
    }
  }
  return uses;
}

/** Same rule as `realm check`: out of range is an error, behind the contract inside the range is stale. */
function importState(d: DomainModel, contract: string, range: string, resolved: string | undefined | null): string {
  const current = d.contracts.get(contract)?.data.version;
  if (!current) return 'contract missing';
  if (!inRange(current, range)) return `out of range: contract is at ${current}`;
  if (resolved && compareVersions(resolved, current) < 0) return `stale: contract is at ${current}`;
  return 'current';
}

/** A Mermaid id: each non-alphanumeric character escaped (`_2e` for `.`), so distinct names never share one; parts joined by `__`. */
function id(...parts: string[]): string {
  const escape = (c: string) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 256 ? `_${code.toString(16).padStart(2, '0')}` : `_u${code.toString(16).padStart(4, '0')}`;
  };
  return parts.map((p) => p.replace(/[^A-Za-z0-9]/gu, escape)).join('__');
}

function dedupe(edges: Edge[]): Edge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}\0${e.to}\0${e.domain}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function rotate(cycle: Edge[], last?: Edge): Edge[] {
  if (!last) return cycle;
  const i = cycle.findIndex((e) => e.from === last.from && e.to === last.to && e.domain === last.domain);
  return i < 0 ? cycle : [...cycle.slice(i + 1), ...cycle.slice(0, i + 1)];
}
