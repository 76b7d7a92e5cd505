/**
 * `blue status` in a member repo (seed 004 Rounds 2 and 6: status where developers look): the
 * RFCs in progress, this repo's exports and imports, local changes that affect an export with
 * the consumers they affect, and realm changes not yet synced. Read-only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scanDocuments } from '../documents/scan.ts';
import { sourceDigest } from './bindings.ts';
import { dirtyPaths, tryGit } from './git.ts';
import type { RealmModel } from './model.ts';
import { unmergedSyncBranches } from './realm-view.ts';
import { ownedBy } from './sync-rules.ts';

/** A consumer of an export: the importing repo and the file that implements its import. */
export interface Consumer {
  repo: string;
  /** The binding file in the consumer's repo ('' when its import names none). */
  binding: string;
}

/** What `blue status` shows. */
export interface RepoStatus {
  realm: string;
  repo: string;
  rfcs: { number: number | null; title: string; status: string; file: string }[];
  exports: { domain: string; contract: string; version: string; sources: string[]; consumers: Consumer[] }[];
  imports: { domain: string; contract: string; range: string; resolved: string | null; current: string | null; binding: string }[];
  /** Exports whose source files changed: uncommitted, or committed since the export was recorded. */
  affected: { domain: string; contract: string; files: string[]; why: 'uncommitted' | 'changed since export'; consumers: Consumer[] }[];
  /** Realm files of this repo changed in the realm checkout and on no sync branch, and its sync branches not merged yet. */
  unsynced: { files: string[]; branches: string[] };
}

const IN_PROGRESS = new Set(['accepted', 'in-progress']);

/** Builds the status of `repo` (checkout `repoRoot`, also the documents' workspace root). */
export function repoStatus(model: RealmModel, repo: string, repoRoot: string): RepoStatus {
  const rfcs = scanDocuments(repoRoot, ['rfc'])
    .filter((d) => d.status !== null && IN_PROGRESS.has(d.status))
    .map((d) => ({ number: d.number, title: d.title, status: d.status!, file: d.file }));
  const dirty = new Set(safeDirty(repoRoot));
  const out: RepoStatus = { realm: model.realm.data.name, repo, rfcs, exports: [], imports: [], affected: [], unsynced: unsynced(model, repo) };
  for (const d of model.domains.values()) {
    const b = d.bindings.get(repo)?.data;
    if (!b) continue;
    for (const e of b.exports) {
      const consumers = consumersOf(model, d.name, e.contract);
      out.exports.push({ domain: d.name, contract: e.contract, version: d.contracts.get(e.contract)?.data.version ?? '?', sources: e.source_files, consumers });
      const touched = e.source_files.filter((f) => dirty.has(f));
      if (touched.length > 0) out.affected.push({ domain: d.name, contract: e.contract, files: touched, why: 'uncommitted', consumers });
      else if (e.source_digest && e.source_digest !== sourceDigest(repoRoot, e.source_files)) {
        out.affected.push({ domain: d.name, contract: e.contract, files: e.source_files, why: 'changed since export', consumers });
      }
    }
    for (const i of b.imports) {
      out.imports.push({ domain: d.name, contract: i.contract, range: i.version, resolved: i.resolved_version ?? null, current: d.contracts.get(i.contract)?.data.version ?? null, binding: i.binding });
    }
  }
  return out;
}

/** The repos importing `contract` of `domain`, with their binding files. */
export function consumersOf(model: RealmModel, domain: string, contract: string): Consumer[] {
  const d = model.domains.get(domain);
  if (!d) return [];
  return [...d.bindings.values()].flatMap((b) => {
    const i = b.data.imports.find((x) => x.contract === contract);
    return i ? [{ repo: b.data.repo, binding: i.binding }] : [];
  });
}

/** Text of {@link RepoStatus}, one section per heading. */
export function formatRepoStatus(s: RepoStatus): string {
  const who = (cs: Consumer[]) => (cs.length ? cs.map((c) => `${c.repo}${c.binding ? ` (${c.binding})` : ''}`).join(', ') : 'no consumers');
  const lines = [`${s.repo} in realm ${s.realm}`, 'RFCs in progress:'];
  lines.push(...(s.rfcs.length ? s.rfcs.map((r) => `  RFC ${r.number ?? '?'}: ${r.title} (${r.status}, ${r.file})`) : ['  (none)']));
  lines.push('exports:', ...(s.exports.length ? s.exports.map((e) => `  ${e.domain}/${e.contract} ${e.version} from ${e.sources.join(', ') || '(no source files)'}; consumed by ${who(e.consumers)}`) : ['  (none)']));
  lines.push('imports:', ...(s.imports.length ? s.imports.map((i) => `  ${i.domain}/${i.contract} ${i.range} (resolved ${i.resolved ?? 'never'}, contract at ${i.current ?? 'missing'})${i.binding ? ` in ${i.binding}` : ''}`) : ['  (none)']));
  lines.push('local changes affecting exports:');
  lines.push(...(s.affected.length ? s.affected.map((a) => `  ${a.domain}/${a.contract}: ${a.files.join(', ')} ${a.why}; affects ${who(a.consumers)}`) : ['  (none)']));
  const { files, branches } = s.unsynced;
  lines.push('not synced yet:');
  if (files.length + branches.length === 0) lines.push('  (none)');
  lines.push(...files.map((f) => `  ${f} (uncommitted in the realm; run \`blue realm sync\`)`), ...branches.map((b) => `  ${b} (not merged into the realm's main)`));
  return `${lines.join('\n')}\n`;
}

function unsynced(model: RealmModel, repo: string): RepoStatus['unsynced'] {
  const branches = unmergedSyncBranches(model.root, repo, 'main');
  // A file already committed as it is on an unmerged sync branch is reported through that branch.
  const onBranch = (rel: string) => branches.some((b) => sameAs(model.root, b, rel));
  const files = safeDirty(model.root).filter((rel) => ownedBy(model, repo, rel) && !onBranch(rel));
  return { files, branches };
}

function sameAs(root: string, branch: string, rel: string): boolean {
  const shown = tryGit(root, ['show', `${branch}:${rel}`]);
  const file = path.join(root, rel);
  return shown.ok && fs.existsSync(file) && fs.readFileSync(file, 'utf8') === shown.stdout;
}

function safeDirty(root: string): string[] {
  try {
    return dirtyPaths(root);
  } catch {
    return [];
  }
}
