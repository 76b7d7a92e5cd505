/**
 * Flags of `blue dialogue start` turned into settings: flags over `.blue/config.yaml` over the
 * defaults, with one-line usage errors for bad numbers and missing source files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/index.ts';
import { DEFAULT_SETTINGS, type DialogueSettings, type Rotation, loadConfig } from '../orchestrator/index.ts';
import type { CliContext } from './context.ts';
import { chooseProviderName } from './providers.ts';
import { workspaceRoot } from './workspace.ts';

/** Options of `dialogue start` as commander parses them. */
export interface StartFlags {
  pool?: string;
  panelSize?: string;
  maxRounds?: string;
  minRounds?: string;
  constraint: string[];
  source: string[];
  provider?: string;
  replay?: string;
  model?: string;
  judgeModel?: string;
  judge: boolean;
  concurrency?: string;
  maxCost?: string;
  /** One of ROTATION_MODES (commander's choices and the MCP schema check it). */
  rotation?: Rotation;
  record?: boolean;
  seed?: string;
  title?: string;
  realmContext?: boolean;
  quiet?: boolean;
  json?: boolean;
}


/** Collects a repeatable option into a list. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/**
 * The settings of a new dialogue.
 * @throws UserError E_USAGE for bad numbers, E_CONFIG for a bad config file, E_LLM_AUTH when no provider can be chosen.
 */
export function startSettings(ctx: CliContext, flags: StartFlags): DialogueSettings {
  const config = loadConfig(workspaceRoot(ctx));
  const provider = chooseProviderName(flags.provider ?? config.provider, flags.replay, ctx.env);
  const settings: DialogueSettings = {
    ...DEFAULT_SETTINGS,
    ...(config.pool ? { pool: config.pool } : {}),
    ...(config.panelSize ? { panelSize: config.panelSize } : {}),
    ...(config.maxRounds ? { maxRounds: config.maxRounds } : {}),
    ...(config.minRounds ? { minRounds: config.minRounds } : {}),
    ...(config.rotation ? { rotation: config.rotation } : {}),
    ...(config.models?.expert ? { model: config.models.expert } : {}),
    ...(config.models?.judge ? { judgeModel: config.models.judge } : {}),
    ...(config.models?.tiers ? { tierModels: config.models.tiers } : {}),
    ...(config.models?.experts ? { expertModels: config.models.experts } : {}),
    ...(config.judge !== undefined ? { judge: config.judge } : {}),
    ...(config.concurrency ? { concurrency: config.concurrency } : {}),
    ...(config.maxCost ? { maxCostUsd: config.maxCost } : {}),
    ...(config.maxTokens ? { maxTokens: config.maxTokens } : {}),
    ...(config.consecutiveFailures ? { consecutiveFailures: config.consecutiveFailures } : {}),
    ...(config.roles ? { roles: config.roles } : {}),
    ...(config.cacheTtl ? { cacheTtl: config.cacheTtl } : {}),
    ...(config.bookkeeping ? { bookkeeping: config.bookkeeping } : {}),
    ...(ctx.env.BLUE_MODEL ? { model: ctx.env.BLUE_MODEL } : {}),
    ...(ctx.env.BLUE_JUDGE_MODEL ? { judgeModel: ctx.env.BLUE_JUDGE_MODEL } : {}),
    provider,
    seed: flags.seed ? positiveInt(flags.seed, '--seed') : Math.floor(ctx.rng.next() * 2 ** 31),
  };
  if (flags.pool) settings.pool = flags.pool;
  if (flags.panelSize) settings.panelSize = positiveInt(flags.panelSize, '--panel-size');
  if (flags.maxRounds) settings.maxRounds = positiveInt(flags.maxRounds, '--max-rounds');
  if (flags.minRounds) settings.minRounds = positiveInt(flags.minRounds, '--min-rounds');
  if (flags.rotation) settings.rotation = flags.rotation;
  if (flags.model) settings.model = flags.model;
  if (flags.judgeModel) settings.judgeModel = flags.judgeModel;
  if (flags.judge === false || provider === 'replay') settings.judge = false;
  if (flags.concurrency) settings.concurrency = positiveInt(flags.concurrency, '--concurrency');
  if (flags.maxCost) settings.maxCostUsd = positiveNumber(flags.maxCost, '--max-cost');
  if (flags.record) settings.record = true;
  if (flags.replay) settings.replayDir = path.resolve(ctx.cwd, flags.replay);
  if (settings.minRounds > settings.maxRounds) settings.minRounds = settings.maxRounds;
  return settings;
}

/** A whole number ≥ 1. @throws UserError E_USAGE naming the flag. */
export function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError('E_USAGE', `${flag} "${text}" is not a whole number ≥ 1`, { where: { field: flag }, expected: 'an integer ≥ 1' });
  return n;
}

/** A number > 0 (USD). @throws UserError E_USAGE naming the flag. */
export function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UserError('E_USAGE', `${flag} "${text}" is not a positive number`, { where: { field: flag }, expected: 'a number > 0 (USD)' });
  return n;
}

/**
 * Reads `--source` files, named relative to the current directory and shown relative to `root`.
 * @throws UserError E_NOT_FOUND for a missing file, E_USAGE for a directory.
 */
export function readSources(ctx: CliContext, files: string[], root = ctx.cwd): { path: string; content: string }[] {
  return files.map((f) => {
    const full = path.resolve(ctx.cwd, f);
    if (!fs.existsSync(full)) throw new UserError('E_NOT_FOUND', `source file not found: ${f}`, { where: { field: '--source' }, expected: 'a readable file' });
    if (!fs.statSync(full).isFile()) throw new UserError('E_USAGE', `${f} is a directory, not a file`, { where: { field: '--source' }, expected: 'a readable file (repeat --source for several)' });
    return { path: path.relative(root, full).split(path.sep).join('/'), content: fs.readFileSync(full, 'utf8') };
  });
}
