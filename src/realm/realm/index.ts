/** Realm engine, part 2: cross-repo contracts and bindings. Public API. */
export * from './schemas.ts';
export { parseYaml, readYamlFile, writeYamlFile, toYamlText, type Loaded } from './yaml-io.ts';
export { parseVersion, parseRange, inRange, bumpLevel, nextVersion, compareVersions, type BumpLevel } from './semver-range.ts';
export {
  compareSchemas,
  diffNormalized,
  formatDiff,
  bumpMatches,
  requiredLevel,
  counterexampleText,
  DEFAULT_FLAGS,
  type CompatFlags,
  type Counterexample,
  type SchemaDiff,
  type FieldChange,
  type Verdict,
} from './compat.ts';
export { gaps, type Gap } from './compat-subset.ts';
export { loadRealm, findContract, repoCheckout, realmPaths, type RealmModel, type DomainModel, type RealmEntry } from './model.ts';
export {
  domainEdges,
  realmEdges,
  findCycle,
  formatCycle,
  assertAcyclic,
  graphTree,
  graphMermaid,
  CYCLE_SUGGESTIONS,
  type Edge,
} from './graph.ts';
export { readMembership, readMemberships, writeMembership, removeMembership } from './membership.ts';
export { readIndex, indexJoin, indexLeave, INDEX_FILE, type RealmIndex } from './index-file.ts';
export { resolveRef } from './pin.ts';
export { initRealm, joinRealm, openRealm, createDomain, assertName } from './realm.ts';
export {
  createContract,
  bumpContract,
  contractEditProblems,
  unbumpedEdits,
  overriddenBy,
  withValueBreaks,
  type CreateContractInput,
  type BumpInput,
  type BumpResult,
} from './contracts.ts';
export { removedEntries, valueBreaks, describeBreak, valueDigest, type RemovedEntry, type ValueBreak } from './value-change.ts';
export { exportBinding, importBinding, refreshExport, sourceDigest, markImportStatuses } from './bindings.ts';
export { checkRealm, checkPassed, type CheckMode, type CheckOptions, type CheckReport } from './check.ts';
export { CHECK_RULES, formatCheckFinding, type CheckFinding, type CheckRule } from './check-finding.ts';
export { syncRealm, TRAILER, type SyncResult, type SyncOptions } from './sync.ts';
export { leaveRealm, planLeave, type LeavePlan, type LeaveResult } from './leave.ts';
export { OVERRIDE_TRAILER } from './sync-rules.ts';
export { repoIdentity, identityMismatch, assertIdentity, type RepoIdentity } from './identity.ts';
export {
  changeKind,
  recordNotification,
  takeUnseen,
  peekUnseen,
  isRecorded,
  staleImportChanges,
  recordStaleImports,
  formatNotification,
  type RealmNotification,
  type ContractChange,
  type NotificationKind,
} from './notify.ts';
export { validateValue, assertValueValid, compileSchema, draftOf, type Draft } from './validate.ts';
export { realmContextSources } from './context-sources.ts';
export { breakingPolicy, importersOf, approvalsOf, inGrace, approveContract, publishContract, type BreakingPolicy } from './governance.ts';
export { realmStatus, statusOf, type RealmStatus, type ContractStatus } from './status.ts';
export { realmView, modelAt, openSyncBranch, type RealmView, type PendingSync } from './realm-view.ts';
export { mainChanges, recordMainChanges, seenRef, unrecorded, type MainChanges } from './main-changes.ts';
export { pendingAdmission, pendingError, assertAdmitted, admitRepo } from './admission.ts';
export { openCache, cacheKey, cached, fileHash, CACHE_KINDS, CACHE_RELATIVE_PATH, type RealmCache, type CacheKind, type CacheStats } from './cache.ts';
export { detectValues, driftOf, describeDrift, detectRegex, type Detected, type Drift } from './detect.ts';
export { openSessions, formatSession, SESSIONS_FILE, STALE_AFTER_MS, type Session, type SessionEvent, type SessionKind, type SessionStore, type SessionDeps } from './sessions.ts';
export { mergeOrder, changeRepos, rfcContracts } from './change-scope.ts';
export { createWorktrees, listWorktrees, removeWorktrees, worktreePath, WORKTREES_DIR, type RealmWorktree } from './worktree.ts';
export { planPullRequests, createPullRequests, pullRequestStatus, type ChangePlan, type PullRequestPlan, type PrOutcome } from './pr.ts';
export { ciWorkflow, writeCiWorkflow, fetchRealm, CI_WORKFLOW, type CiKind } from './ci.ts';
export { repoStatus, formatRepoStatus, consumersOf, type RepoStatus, type Consumer } from './repo-status.ts';
export { planImportIssues, openIssues, type IssuePlan } from './issues.ts';
export { processRunner, shellLine, type ProcessRunner, type ProcessResult } from './proc.ts';
export { trustLevel, assertTrusted, TRUST_LEVELS, type TrustLevel, type TrustSource } from './trust.ts';
export { currentBranch, tryGit } from './git.ts';
