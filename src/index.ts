/**
 * The library API of `blue-dialogue` (package entry, `import … from 'blue-dialogue'`): the use
 * cases the CLI runs, each taking its side effects (store, LLM provider, clock, rng, root dir)
 * as arguments, and the types they speak. Everything here is re-exported from a folder's
 * index.ts; what is not listed is internal and may change.
 *
 * A dialogue in memory with a scripted provider:
 * ```ts
 * const store = new DialogueStore(openDatabase(':memory:'));
 * const provider = createFakeProvider({ respond: () => '[MOVE:CONVERGE]' });
 * const deps = { root: null, store, provider, clock: systemClock, rng: seededRng(1) };
 * const pool = resolvePool('general', { root: process.cwd(), builtinDir: BUILTIN_POOLS_DIR });
 * const result = await startDialogue(deps, { question: 'Why?', pool, constraints: [], sources: [] }, { ...DEFAULT_SETTINGS, provider: 'replay', seed: 1 });
 * ```
 * Errors are {@link BlueError}s with a stable `code`; {@link exitCodeOf} maps them as `blue` does.
 */

// Dialogues: start, resume and steer one; read what it produced.
export {
  startDialogue,
  resumeDialogue,
  steerDialogue,
  loadDialogue,
  dialogueStatus,
  formatStatus,
  verdictView,
  scoreboardView,
  tensionsView,
  roundSummaryView,
  recordedView,
  writeDialogueDocuments,
  loadConfig,
  DEFAULT_SETTINGS,
  PROVIDERS,
  ROTATION_MODES,
  type Dialogue,
  type DialogueSource,
  type DialogueResult,
  type DialogueData,
  type DialogueSettings,
  type DialogueStatusReport,
  type EngineDeps,
  type StartInput,
  type ProgressEvent,
  type ProviderName,
  type Rotation,
} from './orchestrator/index.ts';

// The store a dialogue lives in (SQLite via better-sqlite3).
export { DialogueStore, openDatabase, DB_RELATIVE_PATH, type Db } from './store/index.ts';

// Expert pools and the marker grammar.
export { BUILTIN_POOLS_DIR, loadPool, parsePool, resolvePool, listPools, parseResponse, type Pool, type PoolExpert, type PoolLookup } from './experts/index.ts';

// LLM providers (the port, the offline ones, the live adapters that load their SDK on first call).
export {
  createFakeProvider,
  createReplayProvider,
  createOpenAiProvider,
  createClaudeCodeProvider,
  createRoutingProvider,
  loadAnthropicAdapter,
  loadRecording,
  Budget,
  DEFAULT_PRICES,
  type LlmProvider,
  type CompletionRequest,
  type CompletionResult,
  type FakeProviderOptions,
  type Recording,
} from './llm/index.ts';

// Generated Markdown of a dialogue's views.
export { renderVerdict, renderScoreboard, renderTensions, renderRoundSummary } from './markdown/index.ts';

// Documents (RFC/ADR) and the realm (cross-repo contracts).
export {
  scanDocuments,
  lintDocuments,
  loadRealm,
  checkRealm,
  checkPassed,
  readMembership,
  type DocumentInfo,
  type LintFinding,
  type RealmModel,
  type CheckOptions,
  type CheckReport,
  type CheckFinding as RealmFinding,
  type CheckRule as RealmCheckRule,
} from './realm/index.ts';

// Injected ports and the error hierarchy.
export {
  systemClock,
  fixedClock,
  seededRng,
  BlueError,
  CheckFailed,
  IoError,
  StoredDataError,
  UserError,
  type Clock,
  type Rng,
  type IdSource,
  type ErrorCode,
  type ErrorLocation,
  type Finding,
} from './core/index.ts';

// The dialogue domain: what the store returns and the engine reads (rows stay inside src/store).
export type {
  Round,
  RoundCounts,
  JudgedRound,
  Expert,
  Perspective,
  Tension,
  TensionRecord,
  TensionState,
  TensionEvent,
  TensionEventKind,
  TensionStatus,
  Score,
} from './core/index.ts';

// The CLI in-process, and its exit codes.
export { buildProgram, main, processContext, type CliContext, EXIT, EXIT_CODE_TABLE, exitCodeOf } from './cli/index.ts';
