/**
 * `blue realm check` (seed 003 Round 8): modes `exporter` and `importer` check the current
 * repo's bindings, `contract` checks every contract file, `compatibility` diffs two versions
 * of one contract; no mode runs the realm-wide rules of blue's check_realm plus cycles and
 * ownership. A report fails with errors, or with warnings under `--strict` ({@link checkPassed}).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import { sourceDigest } from './bindings.ts';
import { bumpMatches, compareSchemas, formatDiff } from './compat.ts';
import { unbumpedEdits } from './contracts.ts';
import { tryGit } from './git.ts';
import { inGrace } from './governance.ts';
import { permissionProblems } from './permissions.ts';
import { TRAILER } from './sync.ts';
import { findCycle, formatCycle, realmEdges } from './graph.ts';
import { committedContract, findContract, type DomainModel, type RealmEntry, type RealmModel } from './model.ts';
import type { ContractFile, ImportEntry } from './schemas.ts';
import { bumpLevel, compareVersions, inRange, parseRange, parseVersion } from './semver-range.ts';
import { validateValue } from './validate.ts';
import { cacheKey, cached, fileHash, type RealmCache } from './cache.ts';
import { describeDrift, detectValues, driftOf } from './detect.ts';
import { locate, type CheckFinding, type CheckRule, type YamlPath } from './check-finding.ts';

/** Check modes; `all` is the default (no `--mode`). */
export type CheckMode = 'all' | 'exporter' | 'importer' | 'contract' | 'compatibility';

type Finding = CheckFinding;

/** Options of {@link checkRealm}. */
export interface CheckOptions {
  mode: CheckMode;
  /** The current repo's name and root (exporter/importer modes, hooks). */
  repo: string;
  repoRoot: string;
  /** compatibility mode: contract (optional when the realm has one), versions. */
  contract?: string;
  domain?: string;
  from?: string;
  to?: string;
  /** Run the contracts' validation hooks (`sh -c`, cwd = repo; exit 0 pass, 2 warning). */
  runHooks?: boolean;
  /** The current time, for grace periods. */
  now: Date;
  /** Results cache (`.blue/cache.db`, cache.ts); absent: everything is computed. */
  cache?: RealmCache;
}

/** The outcome: findings by severity, plus the compatibility report text when that mode ran. */
export interface CheckReport {
  mode: CheckMode;
  errors: Finding[];
  warnings: Finding[];
  notes: Finding[];
  report?: string;
}

/**
 * Runs the checks of `opts.mode` over `model`.
 * @throws UserError E_USAGE for compatibility mode without --from/--to, E_NOT_FOUND for an
 *   unknown contract or a version with no recorded schema.
 */
export async function checkRealm(model: RealmModel, opts: CheckOptions): Promise<CheckReport> {
  const findings: Finding[] = [];
  let report: string | undefined;
  if (opts.mode === 'compatibility') report = await compatibility(model, opts, findings);
  if (opts.mode === 'all' || opts.mode === 'contract') await checkContracts(model, opts, findings);
  if (opts.mode === 'all') checkAllBindings(model, opts, findings);
  if (opts.mode === 'exporter') await checkExports(model, opts, findings);
  if (opts.mode === 'importer') checkImports(model, opts, findings);
  return {
    mode: opts.mode,
    errors: findings.filter((f) => f.severity === 'error'),
    warnings: findings.filter((f) => f.severity === 'warning'),
    notes: findings.filter((f) => f.severity === 'note'),
    report,
  };
}

/** True when a report has no errors, and no warnings either under `strict`. */
export function checkPassed(r: CheckReport, strict: boolean): boolean {
  return r.errors.length === 0 && !(strict && r.warnings.length > 0);
}

async function checkContracts(model: RealmModel, opts: CheckOptions, out: Finding[]): Promise<void> {
  const commit = opts.cache ? realmState(model) : '';
  // The history walk reads one committed file per change: keyed by the commit, trust and domain members.
  const members = [...model.domains.values()].map((d) => [d.name, d.data.members]);
  // realm.yaml's text too: the map's findings carry its lines.
  const pkey = commit && cacheKey('permissions', commit, model.realm.doc.toString(), JSON.stringify(members));
  out.push(...(pkey ? await cached(opts.cache, 'validation', pkey, () => permissionProblems(model, TRAILER)) : permissionProblems(model, TRAILER)));
  for (const d of model.domains.values()) {
    for (const c of d.contracts.values()) {
      const key = opts.cache && contractKey(model, d, c, commit);
      if (!key) {
        await checkContract(model, d, c, out);
        continue;
      }
      out.push(...(await cached(opts.cache, 'contract', key, async () => {
        const found: Finding[] = [];
        await checkContract(model, d, c, found);
        return found;
      })));
    }
  }
}

/**
 * The realm history the checks read: the commit of the ref the model was read at (HEAD for
 * the working tree) and the sync branch tips provenance looks for; '' outside git (then
 * nothing realm-wide is cached and contracts are keyed by their contents only).
 */
function realmState(model: RealmModel): string {
  const head = tryGit(model.root, ['rev-parse', `${model.ref ?? 'HEAD'}^{commit}`]);
  if (!head.ok) return '';
  const refs = tryGit(model.root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/sync', 'refs/remotes']);
  return cacheKey('realm', head.stdout.trim(), refs.stdout);
}

/**
 * What one contract's findings depend on: its content (the parsed file; for the working tree
 * also the file's mtime and content hash), the realm state (history, committed version) and
 * the realm facts {@link checkContract} reads. Undefined when a working-tree file cannot be
 * hashed (then it is checked uncached).
 */
function contractKey(model: RealmModel, d: DomainModel, c: RealmEntry<ContractFile>, state: string): string | undefined {
  let stamp = `ref ${model.ref}`;
  if (model.ref === undefined) {
    const abs = path.join(model.root, c.rel);
    const hash = fileHash(abs);
    if (!hash) return undefined;
    stamp = `${fs.statSync(abs).mtimeMs} ${hash}`;
  }
  const exporters = [...d.bindings.values()].filter((b) => b.data.exports.some((e) => e.contract === c.data.name)).map((b) => b.data.repo);
  const facts = [String(model.repos.has(c.data.owner)), String(model.realm.data.trust?.require_signed_commits ?? false), exporters.sort().join(',')];
  return cacheKey('contract', c.rel, stamp, JSON.stringify(c.data), state, ...facts);
}

async function checkContract(model: RealmModel, d: DomainModel, entry: RealmEntry<ContractFile>, out: Finding[]): Promise<void> {
  const c = entry.data;
  const file = entry.rel;
  const err = (rule: CheckRule, message: string, field?: YamlPath) => out.push({ severity: 'error', rule, ...locate(entry, field), message });
  const versions = [{ v: c.version, field: ['version'] }, ...c.evolution.map((e, i) => ({ v: e.version, field: ['evolution', i, 'version'] }))];
  const bad = versions.filter(({ v }) => !safe(() => parseVersion(v)));
  for (const { v, field } of bad) err('invalid-version', `contract "${c.name}" has invalid version "${v}"`, field);
  if (!model.repos.has(c.owner)) err('owner-not-member', `contract "${c.name}" owner "${c.owner}" is not a realm member`, ['owner']);
  const problems = safe(() => validateValue(c.schema, c.value, file));
  if (problems === undefined) err('invalid-schema', `contract "${c.name}" schema is not a valid JSON Schema`, ['schema']);
  else for (const p of problems) err('value-schema', `contract "${c.name}" value fails its schema: ${p.path} ${p.message}`, ['value']);
  if (bad.length > 0) return;
  for (const m of unbumpedEdits(committedContract(model.root, file, model.ref), c)) err('unbumped-edit', `contract "${c.name}" ${m}`, ['version']);
  for (const p of provenance(model.root, file, model.realm.data.trust?.require_signed_commits ?? false, model.ref)) err(p.rule, `contract "${c.name}" ${p.message}`);
  if (c.evolution.length > 0 && !c.evolution.some((e) => e.version === c.version)) {
    err('evolution-missing-version', `contract "${c.name}" evolution has no entry for its version ${c.version}`, ['evolution']);
  }
  for (let i = 1; i < c.evolution.length; i++) {
    const prev = c.evolution[i - 1]!;
    const cur = c.evolution[i]!;
    const at = ['evolution', i, 'version'];
    if (compareVersions(cur.version, prev.version) <= 0) {
      err('evolution-order', `contract "${c.name}" evolution is not ascending at ${cur.version}`, at);
      continue;
    }
    if (!prev.schema || !cur.schema) continue;
    const diff = await safeAsync(() => compareSchemas(prev.schema!, cur.schema!, c.compatibility, file));
    if (!diff) {
      err('unresolvable-schema', `contract "${c.name}" ${prev.version} → ${cur.version}: schema $ref/allOf cannot be resolved`, at);
      continue;
    }
    const level = bumpLevel(prev.version, cur.version);
    const o = cur.override;
    if (!bumpMatches(diff.verdict, level) && o && diff.verdict === 'breaking') {
      const message = `contract "${c.name}" ${prev.version} → ${cur.version} is a ${diff.verdict} change published as ${level} under an override by "${o.by}" at ${o.at}: ${o.reason}`;
      out.push({ severity: 'note', rule: 'breaking-override', ...locate(entry, ['evolution', i, 'override']), message });
    } else if (!bumpMatches(diff.verdict, level)) {
      err('bump-mismatch', `contract "${c.name}" ${prev.version} → ${cur.version} is a ${diff.verdict} change with a ${level} bump`, at);
    }
  }
  for (const b of d.bindings.values()) {
    if (b.data.repo !== c.owner && b.data.exports.some((e) => e.contract === c.name)) {
      err('foreign-export', `repo "${b.data.repo}" exports contract "${c.name}" owned by "${c.owner}"`, ['owner']);
    }
  }
}

function checkAllBindings(model: RealmModel, opts: CheckOptions, out: Finding[]): void {
  for (const d of model.domains.values()) {
    for (const b of d.bindings.values()) {
      b.data.exports.forEach((e, k) => {
        if (d.contracts.has(e.contract)) return;
        const message = `binding "${b.data.repo}" exports contract "${e.contract}" which doesn't exist`;
        out.push({ severity: 'error', rule: 'missing-contract', ...locate(b, ['exports', k, 'contract']), message });
      });
      b.data.imports.forEach((i, k) => importFindings(d, b.data.repo, i, at(b, ['imports', k]), opts.now, out));
    }
  }
  const cycle = findCycle(realmEdges(model));
  if (cycle) out.push({ severity: 'error', rule: 'dependency-cycle', message: `dependency cycle: ${formatCycle(cycle)}` });
}

async function checkExports(model: RealmModel, opts: CheckOptions, out: Finding[]): Promise<void> {
  for (const d of model.domains.values()) {
    const b = d.bindings.get(opts.repo);
    if (!b) continue;
    for (const [k, e] of b.data.exports.entries()) {
      const place = at(b, ['exports', k]);
      const err = (rule: CheckRule, message: string, field?: YamlPath) => out.push({ severity: 'error', rule, ...place(field), message });
      const c = d.contracts.get(e.contract);
      if (!c) {
        err('missing-contract', `exports contract "${e.contract}" which doesn't exist`, ['contract']);
        continue;
      }
      if (c.data.owner !== opts.repo) err('foreign-export', `exports "${e.contract}" owned by "${c.data.owner}"`, ['contract']);
      e.source_files.forEach((f, j) => {
        if (!fs.existsSync(path.join(opts.repoRoot, f))) err('missing-source', `source file ${f} is missing`, ['source_files', j]);
      });
      if (e.source_digest && e.source_digest !== (await cachedDigest(opts, e.source_files))) {
        err('source-changed', `source of "${e.contract}" changed since export (${e.source_files.join(', ')}); bump the contract or re-export`, ['source_digest']);
      }
      const vkey = cacheKey('validation', JSON.stringify(c.data.schema), JSON.stringify(c.data.value));
      for (const p of await cached(opts.cache, 'validation', vkey, () => validateValue(c.data.schema, c.data.value, c.rel))) {
        out.push({ severity: 'error', rule: 'value-schema', ...locate(c, ['value']), message: `value fails its schema: ${p.path} ${p.message}` });
      }
      for (const [j, det] of (e.detect ?? []).entries()) {
        const drift = driftOf(det.field, c.data.value, await detectValues(opts.repoRoot, det, opts.cache));
        if (drift) err('value-drift', describeDrift(e.contract, drift), ['detect', j]);
      }
      if (opts.runHooks) hook(c.data.validation?.exporter, opts.repoRoot, `exporter hook of "${e.contract}"`, out);
    }
  }
}

/** {@link sourceDigest} through the `export` cache, keyed by each file's path, mtime and size. */
async function cachedDigest(opts: CheckOptions, files: string[]): Promise<string> {
  const stamps = files.map((f) => {
    const st = fs.statSync(path.join(opts.repoRoot, f), { throwIfNoEntry: false });
    return `${f}:${st?.mtimeMs ?? 'missing'}:${st?.size ?? ''}`;
  });
  return cached(opts.cache, 'export', cacheKey('digest', opts.repoRoot, ...stamps), () => sourceDigest(opts.repoRoot, files));
}

function checkImports(model: RealmModel, opts: CheckOptions, out: Finding[]): void {
  for (const d of model.domains.values()) {
    const b = d.bindings.get(opts.repo);
    if (!b) continue;
    for (const [k, i] of b.data.imports.entries()) {
      importFindings(d, opts.repo, i, at(b, ['imports', k]), opts.now, out);
      if (i.binding && !fs.existsSync(path.join(opts.repoRoot, i.binding))) {
        out.push({ severity: 'warning', rule: 'missing-binding-file', ...locate(b, ['imports', k, 'binding']), message: `binding file ${i.binding} of "${i.contract}" is missing` });
      }
      if (opts.runHooks) hook(d.contracts.get(i.contract)?.data.validation?.importer, opts.repoRoot, `importer hook of "${i.contract}"`, out);
    }
  }
}

/** Where the findings about one binding entry point: its file, and the line of a field under the entry. */
type Place = (field?: YamlPath) => { file: string; line?: number };

/** {@link Place} of the entry at `base` in `entry`. */
function at(entry: RealmEntry<unknown>, base: YamlPath): Place {
  return (field = []) => locate(entry, [...base, ...field]);
}

/** blue's import rules plus staleness: resolved below current but in range → warning. */
function importFindings(d: DomainModel, repo: string, i: ImportEntry, place: Place, now: Date, out: Finding[]): void {
  const c = d.contracts.get(i.contract)?.data;
  const push = (severity: Finding['severity'], rule: CheckRule, message: string, field: YamlPath = ['version']): void =>
    void out.push({ severity, rule, ...place(field), message });
  if (!c) return push('error', 'missing-contract', `binding "${repo}" imports contract "${i.contract}" which doesn't exist`, ['contract']);
  if (safe(() => parseRange(i.version)) === undefined) return push('error', 'invalid-range', `binding "${repo}" has invalid version range "${i.version}"`);
  if (i.status === 'broken') push('error', 'import-broken', `import of "${i.contract}" by "${repo}" is marked broken`, ['status']);
  if (safe(() => parseVersion(c.version)) === undefined) return;
  const p = c.pending;
  if (p && p.needs.includes(repo) && !i.approved?.includes(p.version)) {
    push('warning', 'approval-pending', `breaking version ${p.version} of "${c.name}" awaits approval by "${repo}": \`blue realm approve ${c.name} ${p.version}\``, ['contract']);
  }
  if (!inRange(c.version, i.version)) {
    if (c.grace && inGrace(c, now) && inRange(c.grace.previous, i.version)) {
      return push('warning', 'grace-period', `binding "${repo}" requires "${i.version}"; contract "${c.name}" is at ${c.version}, and ${c.grace.previous} stays usable until ${c.grace.until} (grace period)`);
    }
    return push('error', 'version-mismatch', `binding "${repo}" requires "${i.version}" but contract "${c.name}" is at ${c.version}`);
  }
  const resolved = i.resolved_version;
  if (!resolved || safe(() => parseVersion(resolved)) === undefined || compareVersions(resolved, c.version) < 0) {
    push('warning', 'stale-import', `import of "${c.name}" by "${repo}" is stale: resolved ${resolved ?? 'never'}, contract is at ${c.version}`, resolved ? ['resolved_version'] : []);
  }
}

async function compatibility(model: RealmModel, opts: CheckOptions, out: Finding[]): Promise<string> {
  if (!opts.from || !opts.to) throw new UserError('E_USAGE', 'compatibility mode needs --from and --to', { expected: '--from 1.2.0 --to 1.3.0' });
  const from = parseVersion(opts.from, { field: '--from' });
  const to = parseVersion(opts.to, { field: '--to' });
  const name = opts.contract ?? onlyContract(model);
  const { contract } = findContract(model, name, opts.domain);
  const before = schemaAt(contract.data, from);
  const after = schemaAt(contract.data, to);
  const diff = await compareSchemas(before, after, contract.data.compatibility, contract.rel);
  const level = bumpLevel(from, to);
  if (!bumpMatches(diff.verdict, level)) {
    out.push({ severity: 'error', rule: 'bump-mismatch', file: contract.rel, message: `${diff.verdict} change from ${from} to ${to} with a ${level} bump` });
  }
  return formatDiff(contract.data.name, from, to, diff, level);
}

function schemaAt(c: ContractFile, version: string): Record<string, unknown> {
  if (c.version === version) return c.schema;
  const e = c.evolution.find((x) => x.version === version);
  if (!e?.schema) throw new UserError('E_NOT_FOUND', `no schema recorded for ${c.name} ${version}`, { expected: `one of ${c.evolution.filter((x) => x.schema).map((x) => x.version).join(', ')}` });
  return e.schema;
}

function onlyContract(model: RealmModel): string {
  const names = [...model.domains.values()].flatMap((d) => [...d.contracts.keys()]);
  if (names.length !== 1) throw new UserError('E_USAGE', 'compatibility mode needs --contract NAME', { expected: names.join(', ') || 'a contract' });
  return names[0]!;
}

function hook(cmd: string | undefined, cwd: string, what: string, out: Finding[]): void {
  if (!cmd) return;
  try {
    execFileSync('sh', ['-c', cmd], { cwd, stdio: 'ignore' });
  } catch (err) {
    const status = (err as { status?: number }).status ?? 1;
    out.push({ severity: status === 2 ? 'warning' : 'error', rule: 'hook-failed', message: `${what} failed (exit ${status}): ${cmd}` });
  }
}

/**
 * Each commit that changed the contract at `rel` must carry a `Blue-Repo:` trailer naming the
 * contract's owner as of that commit (sync writes it); with `signed`, `git verify-commit`
 * must pass too, and the commit must come from the owner's sync branch ({@link onSyncBranch}).
 * @returns one rule and message per offending commit.
 */
function provenance(root: string, rel: string, signed: boolean, ref = 'HEAD'): { rule: 'provenance' | 'unsigned-commit'; message: string }[] {
  const log = tryGit(root, ['log', `--format=%H%x1f%(trailers:key=${TRAILER},valueonly,separator=%x2C)`, ref, '--', rel]);
  if (!log.ok) return [];
  const out: { rule: 'provenance' | 'unsigned-commit'; message: string }[] = [];
  const found = (rule: 'provenance' | 'unsigned-commit', message: string) => out.push({ rule, message });
  for (const row of log.stdout.split('\n').filter(Boolean)) {
    const [sha = '', by = ''] = row.split('\x1f');
    const owner = committedContract(root, rel, sha)?.owner;
    if (!owner) continue;
    const who = by.trim();
    if (who !== owner) found('provenance', `was changed in commit ${sha.slice(0, 7)} ${who ? `by "${who}"` : `without a ${TRAILER} trailer`}, not by its owner "${owner}"`);
    else if (!onSyncBranch(root, sha, owner, ref)) found('provenance', `was changed in commit ${sha.slice(0, 7)} by "${owner}", which is on no sync/${owner}/ branch (a trailer alone proves nothing)`);
    if (signed && !tryGit(root, ['verify-commit', sha]).ok) found('unsigned-commit', `was changed in commit ${sha.slice(0, 7)}, which is not signed (trust.require_signed_commits)`);
  }
  return out;
}

/**
 * True when `sha` is reachable from one of `owner`'s sync branches (`sync/<owner>/…`, local or
 * remote-tracking), or from the branch side of a merge into `ref` whose subject names such a
 * branch and that brought `sha` in (a reviewed pull request whose branch was deleted after merging).
 */
function onSyncBranch(root: string, sha: string, owner: string, ref: string): boolean {
  const branch = new RegExp(`^refs/(heads|remotes/[^/]+)/sync/${escapeRe(owner)}/`);
  const refs = tryGit(root, ['for-each-ref', '--contains', sha, '--format=%(refname)', 'refs/heads/sync', 'refs/remotes']);
  if (refs.ok && refs.stdout.split('\n').some((r) => branch.test(r))) return true;
  const merges = tryGit(root, ['log', '--merges', '--format=%P%x1f%s', ref]);
  if (!merges.ok) return false;
  return merges.stdout
    .split('\n')
    .map((row) => row.split('\x1f'))
    .filter(([, subject = '']) => subject.includes(`sync/${owner}/`))
    .some(([parents = '']) => {
      const [first = '', ...merged] = parents.split(' ');
      const on = (p: string): boolean => tryGit(root, ['merge-base', '--is-ancestor', sha, p]).ok;
      // Brought in by this merge: on a merged side, not already on the first parent.
      return !on(first) && merged.some(on);
    });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function safeAsync<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch {
    return undefined;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
