/**
 * Zod schemas of the realm files (blue-realm-docs-spec §4.2), strict: an unknown key is an
 * error, so a typo never silently drops a setting. Key order of each schema is the order
 * in which fresh files are written.
 */
import { z } from 'zod';

/** A strict semver version string such as `1.3.0` (checked later by {@link ./semver-range.ts}). */
const versionString = z.string().min(1);

/**
 * `realm.yaml`: realm identity plus governance/trust. Enforced: `breaking_changes` (pending
 * approval, grace period: governance.ts), `require_signed_commits` and `permissions` (check.ts).
 */
export const RealmFileSchema = z.strictObject({
  name: z.string().min(1),
  version: versionString,
  created_at: z.string().optional(),
  governance: z
    .strictObject({
      admission: z.enum(['open', 'approval', 'invite-only']).default('approval'),
      approvers: z.array(z.string()).default([]),
      breaking_changes: z
        .strictObject({
          require_approval: z.boolean().default(true),
          grace_period_days: z.number().int().nonnegative().default(14),
        })
        .optional(),
    })
    .optional(),
  trust: z
    .strictObject({
      mode: z.enum(['collaborative', 'vendor-customer', 'federation']).default('collaborative'),
      require_signed_commits: z.boolean().default(false),
      permissions: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
});
/** Parsed `realm.yaml`. */
export type RealmFile = z.infer<typeof RealmFileSchema>;

/**
 * `repos/<repo>.yaml`: a member repository. `path` is relative to the realm root; `url` (the
 * `origin` remote) and `root_commit` are its verifiable identity (identity.ts).
 */
export const RepoFileSchema = z.strictObject({
  name: z.string().min(1),
  org: z.string().optional(),
  path: z.string().optional(),
  url: z.string().optional(),
  root_commit: z.string().regex(/^[0-9a-f]{40,64}$/, 'a full git commit hash').optional(),
  maintainers: z.array(z.string()).default([]),
  joined_at: z.string().optional(),
  /** Repos this repo admitted as an approver (`governance.admission: approval`; admission.ts). */
  admitted: z.array(z.string()).optional(),
});
/** Parsed `repos/<repo>.yaml`. */
export type RepoFile = z.infer<typeof RepoFileSchema>;

/**
 * `domains/<d>/domain.yaml`. `members[0]` is the declared provider until bindings say
 * otherwise (used by cycle detection at domain creation).
 */
export const DomainFileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  created_at: z.string().optional(),
  members: z.array(z.string()).default([]),
});
/** Parsed `domain.yaml`. */
export type DomainFile = z.infer<typeof DomainFileSchema>;

/**
 * `domains/<d>/governance.yaml` (seed 003 Round 3): who decides for one domain. Its
 * `breaking_changes` override the realm's: `require` says who approves a breaking bump
 * (`all_stakeholders`: the importers; `primary_only`: `ownership.primary`; `none`), and
 * `timeout_days` replaces `grace_period_days`.
 */
export const DomainGovernanceSchema = z.strictObject({
  ownership: z.strictObject({ primary: z.string().min(1), stakeholders: z.array(z.string()).default([]) }).optional(),
  decisions: z
    .strictObject({
      breaking_changes: z
        .strictObject({
          require: z.enum(['all_stakeholders', 'primary_only', 'none']).default('all_stakeholders'),
          timeout_days: z.number().int().nonnegative().optional(),
          escalation: z.enum(['primary_decides', 'block']).default('block'),
        })
        .optional(),
      new_versions: z
        .strictObject({ require: z.enum(['primary_only', 'none']).default('primary_only'), notify: z.enum(['all_stakeholders', 'none']).default('all_stakeholders') })
        .optional(),
    })
    .optional(),
  meetings: z.strictObject({ sync_cadence: z.string().optional(), channel: z.string().optional() }).optional(),
});
/** Parsed domain `governance.yaml`. */
export type DomainGovernance = z.infer<typeof DomainGovernanceSchema>;

/**
 * An explicit override of the semver rule (`--allow-breaking --reason`): the change has
 * `verdict` but was published with a smaller bump, because `by` (the owner repo) said `reason`.
 */
export const OverrideSchema = z.strictObject({
  by: z.string().min(1),
  reason: z.string().min(1),
  verdict: z.enum(['breaking', 'compatible', 'unchanged']),
  at: z.string(),
});
/** Parsed override. */
export type Override = z.infer<typeof OverrideSchema>;

/**
 * A breaking version waiting for approval: not published yet (the contract's `version`,
 * `schema` and `value` stay those of the previous one). `needs` are the repos whose approval
 * (recorded in their own bindings, `imports[].approved`) publishes it.
 */
export const PendingSchema = z.strictObject({
  version: versionString,
  schema: z.record(z.string(), z.unknown()),
  value: z.record(z.string(), z.unknown()).default({}),
  changes: z.array(z.string()).default([]),
  requested_at: z.string(),
  needs: z.array(z.string()).default([]),
  override: OverrideSchema.optional(),
});
/** Parsed pending version. */
export type PendingVersion = z.infer<typeof PendingSchema>;

/** After a breaking version is published: the previous one stays usable until `until` (ISO time). */
export const GraceSchema = z.strictObject({ previous: versionString, until: z.string() });

/** One entry of a contract's evolution history; `schema` snapshots the version's schema. */
export const EvolutionEntrySchema = z.strictObject({
  version: versionString,
  changes: z.array(z.string()).default([]),
  compatible: z.boolean().default(true),
  schema: z.record(z.string(), z.unknown()).optional(),
  /** Digest of the version's value (value-change.ts `valueDigest`): an edit without a bump shows. */
  value_digest: z.string().optional(),
  /** Set when the version was published over a detected break (`--allow-breaking`). */
  override: OverrideSchema.optional(),
});
/** Parsed evolution entry. */
export type EvolutionEntry = z.infer<typeof EvolutionEntrySchema>;

/** `domains/<d>/contracts/<c>.yaml`: the shared contract. `schema` is a JSON Schema object. */
export const ContractFileSchema = z.strictObject({
  name: z.string().min(1),
  version: versionString,
  owner: z.string().min(1),
  description: z.string().optional(),
  compatibility: z
    .strictObject({ backwards: z.boolean().default(true), forwards: z.boolean().default(false) })
    .default({ backwards: true, forwards: false }),
  schema: z.record(z.string(), z.unknown()),
  value: z.record(z.string(), z.unknown()).default({}),
  validation: z
    .strictObject({
      exporter: z.string().optional(),
      importer: z.string().optional(),
      ci_only: z.array(z.string()).default([]),
    })
    .optional(),
  evolution: z.array(EvolutionEntrySchema).default([]),
  pending: PendingSchema.optional(),
  grace: GraceSchema.optional(),
});
/** Parsed contract. */
export type ContractFile = z.infer<typeof ContractFileSchema>;

/**
 * Where an exported value lives in code: files matching the `files` globs (repo-relative),
 * `pattern` a regex whose first capture group is one value of the contract's `value` at the
 * dotted `field` (detect.ts).
 */
export const DetectSchema = z.strictObject({
  field: z.string().min(1),
  files: z.array(z.string().min(1)).min(1),
  pattern: z.string().min(1),
});
/** Parsed detect entry. */
export type DetectEntry = z.infer<typeof DetectSchema>;

/** An export declaration: the contract and the source files it is derived from. */
export const ExportSchema = z.strictObject({
  contract: z.string().min(1),
  source_files: z.array(z.string()).default([]),
  /** sha256 of the source files when last exported; a mismatch means code changed. */
  source_digest: z.string().optional(),
  /** Patterns that locate the exported value in code (`check --mode exporter`). */
  detect: z.array(DetectSchema).optional(),
});
/** Parsed export. */
export type ExportEntry = z.infer<typeof ExportSchema>;

/** Import status values (blue's `ImportStatus`). */
export const IMPORT_STATUSES = ['pending', 'current', 'outdated', 'broken'] as const;

/** An import declaration with its semver range and the version last resolved. */
export const ImportSchema = z.strictObject({
  contract: z.string().min(1),
  version: z.string().default('>=1.0.0'),
  binding: z.string().default(''),
  status: z.enum(IMPORT_STATUSES).default('pending'),
  resolved_version: z.string().optional(),
  resolved_at: z.string().optional(),
  /** Pending breaking versions this importer approved (`blue realm approve`). */
  approved: z.array(z.string()).optional(),
});
/** Parsed import. */
export type ImportEntry = z.infer<typeof ImportSchema>;

/** `domains/<d>/bindings/<repo>.yaml`. */
export const BindingFileSchema = z.strictObject({
  repo: z.string().min(1),
  role: z.enum(['provider', 'consumer', 'both']),
  exports: z.array(ExportSchema).default([]),
  imports: z.array(ImportSchema).default([]),
});
/** Parsed binding. */
export type BindingFile = z.infer<typeof BindingFileSchema>;

/**
 * One realm membership in a repo's `.blue/config.yaml`; `path` is relative to the repo; `ref`
 * (a tag or commit of the realm repo) pins what `check` reads.
 */
export const MembershipSchema = z.strictObject({
  name: z.string().min(1),
  path: z.string().min(1),
  repo: z.string().min(1),
  ref: z.string().min(1).optional(),
});
/** Parsed membership. */
export type Membership = z.infer<typeof MembershipSchema>;
