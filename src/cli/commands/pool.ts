/**
 * `blue pool list|show|validate|sample`: inspect the expert pools a dialogue can use.
 * The workspace root is found from `ctx.cwd` (see workspace.ts); `<root>/pools/` shadows the shipped pools.
 */
import type { Command } from 'commander';
import { CheckFailed, UserError, seededRng } from '../../core/index.ts';
import {
  BUILTIN_POOLS_DIR,
  TIERS,
  listPools,
  resolvePool,
  samplePanel,
  validatePool,
  type LintFinding,
  type Pool,
  type PoolLookup,
} from '../../experts/index.ts';
import { describeCommand } from '../command-table.ts';
import type { CliContext } from '../context.ts';
import { poolRef, workspaceRoot } from '../workspace.ts';

/** Panel size `blue pool sample` uses without `--size` (clamped to the pool). */
export const DEFAULT_SAMPLE_SIZE = 8;

/** Registers the pool commands on `program`. */
export function registerPoolCommands(program: Command, ctx: CliContext): void {
  // A getter: the workspace is found when a command runs, not when the program is built.
  const lookup = (): PoolLookup => ({ root: workspaceRoot(ctx), builtinDir: BUILTIN_POOLS_DIR });
  const out = (text: string): void => ctx.stdout(text.endsWith('\n') ? text : `${text}\n`);
  const json = (value: unknown): void => out(JSON.stringify(value, null, 2));
  const pool = program.command('pool').description(describeCommand('pool'));

  pool
    .command('list')
    .description('List workspace and shipped pools')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const rows = listPools(lookup());
      if (opts.json) return json(rows);
      out(table(['Name', 'Source', 'Experts', 'Domain'], rows.map((r) => [r.name, r.source, String(r.experts), r.domain])));
    });

  pool
    .command('show <pool>')
    .description('Show a pool (a name or a .yaml/.yml/.json file)')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) => {
      const p = resolvePool(poolRef(ctx, ref), lookup());
      if (opts.json) return json(p);
      out(`${header(p)}\n${table(['Role', 'Tier', 'Relevance', 'Focus'], p.experts.map((e) => [e.role, e.tier, e.relevance.toFixed(2), e.focus ?? '']))}`);
    });

  pool
    .command('validate <pool>')
    .description('Check a pool: errors exit 1, warnings are printed')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) => {
      const p = validatedPool(poolRef(ctx, ref), lookup());
      const findings = validatePool(p);
      if (opts.json) return json({ pool: p.name, file: p.file ?? null, valid: true, experts: p.experts.length, findings });
      for (const f of findings) out(formatFinding(f));
      const warnings = findings.length === 0 ? 'no warnings' : `${findings.length} warning${findings.length === 1 ? '' : 's'}`;
      out(`ok: pool ${p.name} is valid (${p.experts.length} experts, ${warnings})`);
    });

  pool
    .command('sample <pool>')
    .description('Sample a panel the way a dialogue would')
    .option('--size <n>', `panel size (default ${DEFAULT_SAMPLE_SIZE}, clamped to the pool)`)
    .option('--seed <n>', 'seed for a reproducible sample')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { size?: string; seed?: string; json?: boolean }) => {
      const size = opts.size === undefined ? DEFAULT_SAMPLE_SIZE : parseInteger(opts.size, '--size');
      const rng = opts.seed === undefined ? ctx.rng : seededRng(parseInteger(opts.seed, '--seed'));
      const p = resolvePool(poolRef(ctx, ref), lookup());
      const panel = samplePanel(p, size, rng);
      if (opts.json) return json(panel);
      out(table(['Name', 'Role', 'Tier', 'Relevance'], panel.map((m) => [m.name, m.role, m.tier, m.relevance.toFixed(2)])));
    });
}

/**
 * The pool `validate` checks. Its problems are the check's result, not a usage error.
 * @throws CheckFailed `E_POOL` for any pool error (exit 1), keeping its message and location.
 */
function validatedPool(ref: string, lookup: PoolLookup): Pool {
  try {
    return resolvePool(ref, lookup);
  } catch (err) {
    if (!(err instanceof UserError) || err.code !== 'E_POOL') throw err;
    throw new CheckFailed(err.message, { ...(err.where ? { where: err.where } : {}), ...(err.expected ? { expected: err.expected } : {}), cause: err }, 'E_POOL');
  }
}

/** Parses a whole number flag. @throws UserError `E_USAGE` otherwise (too large included). */
function parseInteger(value: string, flag: string): number {
  const trimmed = value.trim();
  const n = Number(trimmed);
  if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(n)) {
    throw new UserError('E_USAGE', `${flag} must be a whole number, got "${value}"`, { where: { field: flag }, expected: 'an integer' });
  }
  return n;
}

function header(p: Pool): string {
  const lines = [`${p.name}: ${p.domain}`];
  if (p.question) lines.push(`Question: ${p.question}`);
  if (p.file) lines.push(`File: ${p.file}`);
  const counts = TIERS.map((t) => `${p.experts.filter((e) => e.tier === t).length} ${t}`);
  lines.push(`Experts: ${p.experts.length} (${counts.join(', ')})`, '');
  return lines.join('\n');
}

function formatFinding(f: LintFinding): string {
  const where = f.file ? `${f.file}: ` : '';
  return `${where}${f.severity}[${f.rule}] ${f.message}`;
}

/** Plain text table: columns padded to their widest cell, two spaces apart. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
