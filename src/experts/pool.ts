/**
 * Expert pools: schema, loading (YAML or blue's expert-pool.json), resolution by name,
 * listing, soft validation and serialisation. Rules from blue spec §1.2 and §6.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import { type LocatedIssue, type ParsedYaml, TIERS, UserError, parseYamlText, validateYaml } from '../core/index.ts';
import type { LintFinding, Pool, PoolExpert, Tier } from './types.ts';

/** Absolute path of the pools shipped with Blue (`<repo>/pools/`). */
export const BUILTIN_POOLS_DIR: string = fileURLToPath(new URL('../../pools/', import.meta.url));

/** Canonical tiers in display order (core's, shared with markdown and the orchestrator). */
export { TIERS } from '../core/index.ts';

const TIER_BY_LOWER: Record<string, Tier> = { core: 'Core', adjacent: 'Adjacent', wildcard: 'Wildcard' };

/** Minimum experts in a pool (RFC 0048 validation, blue spec §1.2). */
export const MIN_POOL_SIZE = 3;

/**
 * Relevance norms per tier observed in blue's real pools (spec §1.2: Core 0.88–0.95,
 * Adjacent 0.5–0.85, Wildcard 0.25–0.55), widened slightly so only clear outliers warn.
 */
export const RELEVANCE_NORMS: Readonly<Record<Tier, readonly [number, number]>> = Object.freeze({
  Core: [0.8, 1],
  Adjacent: [0.5, 0.85],
  Wildcard: [0.2, 0.6],
});

/** Roles that count as a contrarian voice (blue spec §6.2). */
export const CONTRARIAN_ROLE = /contrarian|skeptic|sceptic|devil/i;

/** `core`, ` Wildcard ` → the canonical tier; undefined for anything else. Blue's pools use both casings. */
export function parseTier(text: string | undefined): Tier | undefined {
  return text === undefined ? undefined : TIER_BY_LOWER[text.trim().toLowerCase()];
}

const tierSchema = z.string().transform((s, ctx) => {
  const tier = parseTier(s);
  if (!tier) ctx.addIssue({ code: 'custom', message: 'bad tier' });
  return tier ?? 'Core';
});

const expertSchema = z.object({
  role: z.string().trim().min(1),
  tier: tierSchema,
  relevance: z.number().min(0).max(1),
  focus: z.string().trim().min(1).optional(),
});

/** zod 4 schema of a pool file. Unknown keys (`panel_size`, `max_rounds`, …) are dropped. */
export const poolSchema = z.object({
  name: z.string().trim().min(1).optional(),
  domain: z.string().trim().min(1),
  question: z.string().trim().min(1).optional(),
  experts: z
    .array(expertSchema)
    .min(MIN_POOL_SIZE)
    .superRefine((experts, ctx) => {
      const seen = new Map<string, number>();
      experts.forEach((e, i) => {
        const key = e.role.toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else ctx.addIssue({ code: 'custom', path: [i, 'role'], message: `duplicate role "${e.role}" (also experts[${first}].role)`, params: { duplicate: true } });
      });
    }),
});

/**
 * A {@link Pool} as stored in `dialogues.pool_json` (the parsed pool, canonical tiers), checked
 * on read. Only the shape: the pool file's rules (size, duplicate roles) were applied when it was loaded.
 */
export const storedPoolSchema: z.ZodType<Pool> = z.object({
  name: z.string(),
  domain: z.string(),
  question: z.string().optional(),
  experts: z.array(z.object({ role: z.string(), tier: z.enum(TIERS), relevance: z.number(), focus: z.string().optional() })),
  file: z.string().optional(),
});

/** What each field should hold, phrased for the one-line error. */
const EXPECTED: Record<string, string> = {
  domain: 'a non-empty string',
  question: 'a non-empty string',
  name: 'a non-empty string',
  experts: `a list of at least ${MIN_POOL_SIZE} experts`,
  role: 'a non-empty string',
  tier: 'one of Core, Adjacent, Wildcard',
  relevance: 'a number from 0 to 1',
  focus: 'a non-empty string',
};

/**
 * Parses pool text (YAML, or JSON — a YAML subset) into a {@link Pool}. Pure.
 * @param text file contents
 * @param file path shown in errors
 * @param name pool name; defaults to a `name:` key in the file, then the file stem
 * @throws UserError `E_POOL` with `where.{file,line,column,field}` and `expected` on bad syntax or shape.
 */
export function parsePool(text: string, file: string, name?: string): Pool {
  const parsed = parsePoolText(text, file);
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('E_POOL', `got ${describe(data)} at the top level`, {
      where: { file, line: 1, column: 1 },
      expected: 'a mapping with domain and experts',
    });
  }
  const v = validateYaml(parsed, poolSchema, { code: 'E_POOL', display: file, describe: describeIssue }).data;
  const experts: PoolExpert[] = v.experts.map((e) => ({
    role: e.role,
    tier: e.tier,
    relevance: e.relevance,
    ...(e.focus !== undefined ? { focus: e.focus } : {}),
  }));
  return {
    name: name ?? v.name ?? poolStem(file),
    domain: v.domain,
    ...(v.question !== undefined ? { question: v.question } : {}),
    experts,
    file,
  };
}

/**
 * Reads and parses a pool file (`.yaml`, `.yml` or `.json`; blue's lowercase tiers load).
 * @throws UserError `E_POOL` "pool file not found" or any {@link parsePool} error.
 */
export function loadPool(file: string, name?: string): Pool {
  return readPool(file, file, name);
}

/** Reads `abs`, reporting errors against `shown` (a workspace-relative path when possible). */
function readPool(abs: string, shown: string, name?: string): Pool {
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'pool file not found' : `cannot read pool file (${code ?? 'read error'})`;
    throw new UserError('E_POOL', message, { where: { file: shown }, expected: 'a readable .yaml, .yml or .json pool file' });
  }
  return parsePool(text, shown, name);
}

/** Where pools are looked up: the workspace root and the shipped pools folder. */
export interface PoolLookup {
  /** Workspace root; its `pools/` folder shadows the shipped pools. */
  root: string;
  /** Folder of shipped pools, normally {@link BUILTIN_POOLS_DIR}. */
  builtinDir: string;
}

const POOL_FILE = /\.(ya?ml|json)$/i;
/** Extension preference when one folder holds several files of the same pool name. */
const EXT_RANK: Record<string, number> = { '.yaml': 0, '.yml': 1, '.json': 2 };

/**
 * Resolves a pool name or file. A value ending in `.yaml`/`.yml`/`.json` is a file
 * (relative to `root`); otherwise the pool of that name that {@link listPools} shows:
 * `<root>/pools/<name>.{yaml,yml,json}` first, then the same in `builtinDir`.
 * @throws UserError `E_POOL` when nothing matches (the message lists the known names).
 */
export function resolvePool(nameOrFile: string, opts: PoolLookup): Pool {
  if (POOL_FILE.test(nameOrFile)) {
    const abs = path.resolve(opts.root, nameOrFile);
    return readPool(abs, displayPath(abs, opts.root));
  }
  const files = listPoolFiles(opts);
  const hit = files.find((p) => p.name === nameOrFile);
  if (hit) return readPool(hit.abs, displayPath(hit.abs, opts.root), nameOrFile);
  throw new UserError('E_POOL', `pool "${nameOrFile}" not found`, {
    expected: `a pool name (${files.map((p) => p.name).join(', ') || 'none available'}) or a .yaml/.yml/.json file`,
  });
}

/** One row of {@link listPools}. */
export interface PoolListing {
  name: string;
  source: 'workspace' | 'builtin';
  domain: string;
  /** Number of experts in the pool. */
  experts: number;
}

/**
 * Lists workspace pools (`<root>/pools/*.yaml|yml|json`) and shipped pools, sorted by name;
 * a workspace pool hides a shipped one of the same name.
 * @throws UserError `E_POOL` when a listed pool file is invalid (never silently skipped).
 */
export function listPools(opts: PoolLookup): PoolListing[] {
  return listPoolFiles(opts).map(({ name, source, abs }) => {
    const pool = readPool(abs, displayPath(abs, opts.root), name);
    return { name, source, domain: pool.domain, experts: pool.experts.length };
  });
}

interface PoolFile {
  name: string;
  source: 'workspace' | 'builtin';
  abs: string;
}

/** Pool files by name; the one lookup behind both {@link listPools} and {@link resolvePool}. */
function listPoolFiles(opts: PoolLookup): PoolFile[] {
  const found = new Map<string, PoolFile>();
  const rank = (entry: string): number => EXT_RANK[path.extname(entry).toLowerCase()] ?? 3;
  const scan = (dir: string, source: PoolFile['source']): void => {
    if (!fs.existsSync(dir)) return;
    const entries = fs.readdirSync(dir).filter((e) => POOL_FILE.test(e));
    for (const entry of entries.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) {
      const name = poolStem(entry);
      if (!found.has(name)) found.set(name, { name, source, abs: path.join(dir, entry) });
    }
  };
  scan(path.join(opts.root, 'pools'), 'workspace');
  scan(opts.builtinDir, 'builtin');
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Soft checks (warnings only) from blue's pool guidance (spec §1.2, §6.2): `no-wildcard`,
 * `no-contrarian`, `few-core` (< 3 Core), `relevance-norm` (outside {@link RELEVANCE_NORMS}).
 * Findings carry line/column 0 (the pool as a whole) and `file` when known.
 */
export function validatePool(pool: Pool): LintFinding[] {
  const findings: LintFinding[] = [];
  const warn = (rule: string, message: string): void => {
    findings.push({ rule, severity: 'warning', message, line: 0, column: 0, ...(pool.file ? { file: pool.file } : {}) });
  };
  const count = (t: Tier): number => pool.experts.filter((e) => e.tier === t).length;
  if (count('Wildcard') === 0) warn('no-wildcard', 'no Wildcard experts: panels will lack fresh, cross-domain voices');
  if (!pool.experts.some((e) => CONTRARIAN_ROLE.test(e.role))) {
    warn('no-contrarian', 'no contrarian role (Contrarian, Skeptic or Devil\'s Advocate): nobody is asked to challenge assumptions');
  }
  const core = count('Core');
  if (core < 3) warn('few-core', `only ${core} Core expert${core === 1 ? '' : 's'}; blue pools have at least 3`);
  pool.experts.forEach((e, i) => {
    const [lo, hi] = RELEVANCE_NORMS[e.tier];
    if (e.relevance < lo || e.relevance > hi) {
      warn('relevance-norm', `experts[${i}] "${e.role}": ${e.tier} relevance ${e.relevance} is outside ${lo}–${hi}`);
    }
  });
  return findings;
}

/**
 * Serialises a pool as YAML (for `dialogues/<id>/expert-pool.yaml`), keeping the name so the
 * copy is self-contained. {@link parsePool} reads it back to an equal pool.
 */
export function poolToYaml(pool: Pool): string {
  const body = {
    name: pool.name,
    domain: pool.domain,
    ...(pool.question !== undefined ? { question: pool.question } : {}),
    experts: pool.experts.map((e) => ({
      role: e.role,
      tier: e.tier,
      relevance: e.relevance,
      ...(e.focus !== undefined ? { focus: e.focus } : {}),
    })),
  };
  return stringify(body, { lineWidth: 0 });
}

// --- helpers -------------------------------------------------------------------------------

/** Pool text parsed by core's YAML reader; a JSON pool's syntax error keeps JSON.parse's clearer wording. */
function parsePoolText(text: string, file: string): ParsedYaml {
  const isJson = file.toLowerCase().endsWith('.json');
  try {
    return parseYamlText(text, file, 'E_POOL', isJson ? 'invalid JSON' : 'invalid YAML');
  } catch (err) {
    const reason = isJson && err instanceof UserError ? jsonError(text) : undefined;
    if (reason && err instanceof UserError) throw new UserError('E_POOL', `invalid JSON: ${reason}`, { where: err.where ?? { file } });
    throw err;
  }
}

/** A pool's wording of the first schema issue: what was found there, and what belongs there. */
function describeIssue({ issue, issues, path: segs, value }: LocatedIssue): { message: string; expected?: string } {
  const isDuplicate = issue.code === 'custom' && (issue as { params?: { duplicate?: boolean } }).params?.duplicate === true;
  const last = [...segs].reverse().find((s): s is string => typeof s === 'string') ?? '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  let message: string;
  if (isDuplicate) message = issue.message;
  else if (value === undefined) message = 'missing';
  else if (last === 'experts' && Array.isArray(value)) message = `got ${value.length} expert${value.length === 1 ? '' : 's'}`;
  else message = `got ${describe(value)}`;
  const expected = isDuplicate ? 'unique roles' : EXPECTED[last];
  return { message: message + more, ...(expected ? { expected } : {}) };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

/** JSON.parse's own message for JSON files (clearer than the YAML parser's). */
function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return err instanceof Error ? (err.message.split('\n')[0] ?? '').trim() : undefined;
  }
}

function poolStem(file: string): string {
  return path.basename(file).replace(POOL_FILE, '');
}

function displayPath(abs: string, root: string): string {
  const rel = path.relative(root, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
