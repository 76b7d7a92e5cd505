/** What the MCP server is given by `blue mcp` (src/cli): the server itself reads no env or argv. */
import type { Clock } from '../core/index.ts';
import type { LlmProvider, Recording } from '../llm/index.ts';
import type { DialogueSettings, LeaseOptions, Rotation } from '../orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../store/index.ts';

/** The arguments of `dialogue_start` that shape settings (the CLI's `dialogue start` flags). */
export interface StartArgs {
  question: string;
  pool?: string | undefined;
  panelSize?: number | undefined;
  maxRounds?: number | undefined;
  minRounds?: number | undefined;
  provider?: string | undefined;
  replayDir?: string | undefined;
  model?: string | undefined;
  tierModels?: DialogueSettings['tierModels'] | undefined;
  judgeModel?: string | undefined;
  judge?: boolean | undefined;
  concurrency?: number | undefined;
  maxCost?: number | undefined;
  rotation?: Rotation | undefined;
  record?: boolean | undefined;
  seed?: number | undefined;
}

/** The LLM side of one run. */
export interface RunProviders {
  provider: LlmProvider;
  /** The LLM judge; absent = deterministic synthesis only. */
  judge?: LlmProvider | undefined;
  /** The recording, when replaying. */
  recording?: Recording | undefined;
}

/** Injected surroundings of the server. */
export interface McpDeps {
  /** Workspace root: dialogues/, rfcs/, .blue/ live here. */
  root: string;
  clock: Clock;
  /** Package version, reported in the server info. */
  version: string;
  /**
   * Settings of a new dialogue: the arguments over `.blue/config.yaml` over the defaults.
   * @throws UserError for bad values or when no provider can be chosen.
   */
  startSettings: (args: StartArgs) => DialogueSettings;
  /**
   * Providers for a dialogue with `settings` that has spent `spentUsd` so far.
   * @throws UserError E_LLM_AUTH, E_USAGE, E_CONFIG as the CLI's provider building does.
   */
  providers: (settings: DialogueSettings, spentUsd: number) => Promise<RunProviders>;
  /** Reads grounding files named relative to the root. @throws UserError E_NOT_FOUND. */
  readSources: (files: string[]) => { path: string; content: string }[];
  /** Diagnostics (stderr); stdout carries the protocol. */
  log: (line: string) => void;
  /** A fresh lease for each start, resume or steer (one process per dialogue); none when absent. */
  lease?: () => LeaseOptions;
}

/** Runs `fn` with the workspace's dialogue store, closing it afterwards (sync or async). */
export async function withStore<T>(root: string, fn: (store: DialogueStore) => T | Promise<T>): Promise<T> {
  const store = new DialogueStore(openDatabase(root));
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
