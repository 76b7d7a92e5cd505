/**
 * Dialogue settings: flags over `.blue/config.yaml` over defaults. Defaults live here and
 * nowhere else.
 */
import { z } from 'zod';
import { type Tier, loadConfigSection } from '../core/index.ts';
import type { BookkeepingSettings } from './plan/types.ts';
import { DEFAULT_ROLES, MAX_PANEL_SIZE } from './limits.ts';
import { ROTATION_MODES, type Rotation } from './rotation-modes.ts';
import { EFFORTS, THINKING_TYPES, type Effort, type ThinkingType } from '../llm/index.ts';

// Panel rotation between rounds (blue RFC 0050 modes), kept in a light module for the CLI.
export { ROTATION_MODES, type Rotation } from './rotation-modes.ts';

/** The providers a dialogue can run on. */
export const PROVIDERS = ['anthropic', 'openai', 'claude-code', 'replay'] as const;
/** A provider name. */
export type ProviderName = (typeof PROVIDERS)[number];

/** Prompt-cache lifetimes of the stable head: `5m` (default) or `1h` (written at 2× input). */
export const CACHE_TTLS = ['5m', '1h'] as const;

/** Default models (expert and judge). One place. */
export const DEFAULT_MODELS = { expert: 'claude-sonnet-5-5', judge: 'claude-haiku-5-5' } as const;

/** Everything that shapes a dialogue run; stored with the dialogue so `resume` runs the same way. */
export interface DialogueSettings {
  pool: string;
  panelSize: number;
  /** Hard stop: a dialogue that has not converged after this many rounds ends `forced`. Blue RFC 0057: 10. */
  maxRounds: number;
  /** No convergence before this many rounds (prevents a one-round rubber stamp). */
  minRounds: number;
  rotation: Rotation;
  provider: ProviderName;
  replayDir?: string;
  model: string;
  /** Per-tier expert model overrides. */
  tierModels?: Partial<Record<Tier, string>>;
  /** Per-expert model overrides, keyed by expert name (`Muffin`) or pool role; over the tier's. */
  expertModels?: Record<string, string>;
  judgeModel: string;
  judge: boolean;
  concurrency: number;
  /** USD, null = unlimited. */
  maxCostUsd: number | null;
  /** Upper bound of an expert call's output, tokens; the call asks for less when its answer limit allows. */
  maxTokens: number;
  /** Answer length and thinking per role; each field over {@link DEFAULT_ROLES}. */
  roles?: Partial<Record<CallRole, Partial<RoleSettings>>>;
  /** Prompt-cache lifetime of the stable head: `5m` (default) or `1h` (written at 2× input). */
  cacheTtl?: (typeof CACHE_TTLS)[number];
  record: boolean;
  seed: number;
  /** Thresholds of the bookkeeping rules (merges, supersession); defaults in `DEFAULT_BOOKKEEPING`. */
  bookkeeping?: Partial<BookkeepingSettings>;
  /** Failed calls in a row after which the provider counts as unavailable; default {@link DEFAULT_CONSECUTIVE_FAILURES}. */
  consecutiveFailures?: number;
}

/** K: after this many failed calls in a row the dialogue stops as `provider_unavailable`. */
export const DEFAULT_CONSECUTIVE_FAILURES = 3;

/**
 * The model a seat is asked with (maybe `provider:model`): the expert's own (by name or role,
 * case-insensitive), else its tier's, else the expert model.
 */
export function seatModel(settings: Pick<DialogueSettings, 'model' | 'tierModels' | 'expertModels'>, seat: { name: string; role: string; tier: Tier }): string {
  const own = Object.entries(settings.expertModels ?? {}).find(([key]) => [seat.name, seat.role].some((k) => k.toLowerCase() === key.toLowerCase()))?.[1];
  return own ?? settings.tierModels?.[seat.tier] ?? settings.model;
}

/** Who a call is for. */
export type CallRole = 'expert' | 'judge';

/** Answer length and thinking of one role's calls. */
export interface RoleSettings {
  /** Answer-length limit in words, written into the prompt; `max_tokens` is sized from it. */
  words: number;
  /** `thinking.type`; sent only to models that accept it (llm/models.json). */
  thinking?: ThinkingType;
  /** Thinking tokens added to `max_tokens` when the call thinks (and `budget_tokens` for `enabled`). */
  budgetTokens?: number;
  /** `output_config.effort`; sent only to models that accept it. */
  effort?: Effort;
}

export { DEFAULT_ROLES };

/** The role's settings: the dialogue's fields over {@link DEFAULT_ROLES}. */
export function roleSettings(settings: Pick<DialogueSettings, 'roles'>, role: CallRole): RoleSettings {
  return { ...DEFAULT_ROLES[role], ...settings.roles?.[role] };
}

/** Defaults for fields not given by flags or config. */
export const DEFAULT_SETTINGS: Omit<DialogueSettings, 'provider' | 'seed'> = {
  pool: 'general',
  panelSize: 8,
  maxRounds: 10,
  minRounds: 2,
  rotation: 'graduated',
  model: DEFAULT_MODELS.expert,
  judgeModel: DEFAULT_MODELS.judge,
  judge: true,
  concurrency: 6,
  maxCostUsd: null,
  // Room for adaptive thinking on 5.x models (it cannot be turned off) plus a short marker answer.
  maxTokens: 3000,
  record: false,
};

const roleSchema = z
  .strictObject({
    words: z.int().min(20).max(20000),
    thinking: z.enum(THINKING_TYPES),
    budgetTokens: z.int().min(1024).max(64000),
    effort: z.enum(EFFORTS),
  })
  .partial();

/** A model per tier (`{ Wildcard: 'openai:llama3.1:8b' }`): config `models.tiers`, the MCP start tool and stored settings. */
export const tierModelsSchema = z.strictObject({ Core: z.string(), Adjacent: z.string(), Wildcard: z.string() }).partial();

const rolesSchema = z.strictObject({ expert: roleSchema, judge: roleSchema }).partial();

// Bookkeeping rules (docs/scoring.md): similarity thresholds 0..1 and the two convergence rules.
const bookkeepingSchema = z
  .strictObject({
    mergeThreshold: z.number().min(0).max(1),
    supersedeThreshold: z.number().min(0).max(1),
    confirmOnConverge: z.boolean(),
    ownerConvergeAccepts: z.boolean(),
  })
  .partial();

/**
 * Settings as stored in `dialogues.settings_json` (written by prepare and resume), checked on read.
 * Keys this version does not know are dropped, so every key of {@link DialogueSettings} must be
 * here (test/orchestrator/dialogue-row.test.ts checks the key sets match); ranges are the config file's business.
 */
export const dialogueSettingsSchema = z.object({
  // Keys in the order `startSettings` (src/cli) builds them: zod returns this order, and dialogue.yaml lists them so.
  pool: z.string(),
  panelSize: z.int(),
  maxRounds: z.int(),
  minRounds: z.int(),
  rotation: z.enum(ROTATION_MODES),
  model: z.string(),
  judgeModel: z.string(),
  judge: z.boolean(),
  concurrency: z.int(),
  maxCostUsd: z.number().nullable(),
  maxTokens: z.int(),
  record: z.boolean(),
  tierModels: tierModelsSchema.optional(),
  expertModels: z.record(z.string(), z.string()).optional(),
  consecutiveFailures: z.int().optional(),
  roles: rolesSchema.optional(),
  cacheTtl: z.enum(CACHE_TTLS).optional(),
  bookkeeping: bookkeepingSchema.optional(),
  provider: z.enum(PROVIDERS),
  seed: z.number(),
  replayDir: z.string().optional(),
}) satisfies z.ZodType<DialogueSettings>;

export { MAX_PANEL_SIZE };

/** `.blue/config.yaml` schema. Unknown keys are errors; `realm` and `docs` belong to the realm engine. */
export const configSchema = z
  .strictObject({
    pool: z.string(),
    panelSize: z.int().min(1).max(MAX_PANEL_SIZE),
    maxRounds: z.int().min(1).max(99),
    minRounds: z.int().min(1).max(99),
    rotation: z.enum(ROTATION_MODES),
    provider: z.enum(PROVIDERS),
    models: z.strictObject({ expert: z.string(), judge: z.string(), tiers: tierModelsSchema, experts: z.record(z.string(), z.string()) }).partial(),
    judge: z.boolean(),
    concurrency: z.int().min(1).max(64),
    maxCost: z.number().positive(),
    maxTokens: z.int().min(64).max(64000),
    consecutiveFailures: z.int().min(1).max(99),
    // Answer length and thinking per role; the adapter sends only what each model accepts.
    roles: rolesSchema,
    cacheTtl: z.enum(CACHE_TTLS),
    bookkeeping: bookkeepingSchema,
    realm: z.unknown(),
    /** The docs root (realm/documents/layout.ts validates it). */
    docs: z.string(),
  })
  .partial();

/** Parsed config file. */
export type BlueConfig = z.infer<typeof configSchema>;

/**
 * Reads `<root>/.blue/config.yaml` (absent → `{}`).
 * @throws UserError E_CONFIG with file:line:col and field path on invalid YAML or values.
 */
export function loadConfig(root: string): BlueConfig {
  const loaded = loadConfigSection(root, configSchema, {
    describe: ({ issue, unknownKeys }) => ({
      message: issue.message,
      ...(unknownKeys.length > 0 ? { expected: `one of ${Object.keys(configSchema.shape).join(', ')}` } : {}),
    }),
  });
  return loaded?.data ?? {};
}
