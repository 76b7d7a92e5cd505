/** Injected dependencies of the facilitator and its phases. */
import type { Clock, Rng } from '../core/index.ts';
import type { Pool } from '../experts/index.ts';
import type { LlmProvider } from '../llm/index.ts';
import type { Recording } from '../llm/index.ts';
import type { DialogueStore } from '../store/index.ts';
import type { DialogueSource } from './dialogue.ts';
import type { LeaseOptions } from './lease.ts';

/** A progress event for the live view (`--json` prints one per line). */
export type ProgressEvent =
  | { type: 'dialogue'; id: string; dir: string; status: 'started' | 'resumed' }
  | { type: 'round-start'; round: number; experts: string[] }
  | {
      type: 'expert';
      round: number;
      expert: string;
      /** `refused`: the budget stopped the call before it was sent; `cancelled`: Ctrl-C stopped it. */
      state: 'queued' | 'streaming' | 'done' | 'stored' | 'retrying' | 'failed' | 'refused' | 'cancelled';
      outputTokens?: number;
      costUsd?: number;
      detail?: string;
    }
  | { type: 'round-end'; round: number; velocity: number; convergePercent: number; openTensions: number; newPerspectives: number; costUsd: number }
  /** `rounds`: judged rounds in the store, the same count the command's final line shows. */
  | { type: 'end'; outcome: string; rounds: number };

/** Where files go. `null` root = write nothing (rejudge). */
export interface EngineDeps {
  /** Workspace root, or null to write no files. */
  root: string | null;
  store: DialogueStore;
  provider: LlmProvider;
  clock: Clock;
  rng: Rng;
  /** Replay source: when set, each round's panel is the recorded panel. */
  recording?: Recording;
  /** LLM judge (structured); undefined = deterministic synthesis only. */
  judge?: LlmProvider;
  onEvent?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Record every request/response pair into `<dialogue>/recording/`. */
  record?: boolean;
  /** Hold a lease on the dialogue while running it (one process per dialogue); none when absent. */
  lease?: LeaseOptions;
}

/** What `blue dialogue start` asks for. */
export interface StartInput {
  question: string;
  title?: string;
  pool: Pool;
  constraints: string[];
  sources: DialogueSource[];
}
