/**
 * Dialogues this server process runs in the background. A tool call starts one and returns as
 * soon as the dialogue has an id; the run goes on in the process and later calls watch it.
 */
import { UserError } from '../core/index.ts';
import type { DialogueResult, ProgressEvent } from '../orchestrator/index.ts';

/** A dialogue run: `(onEvent, signal) → result`, built by the caller with its own store. */
export type RunFn = (onEvent: (e: ProgressEvent) => void, signal: AbortSignal) => Promise<DialogueResult>;

/** What the registry knows about one run. */
export interface RunInfo {
  id: string;
  /** The dialogue folder, relative to the root. */
  dir: string;
  running: boolean;
  /** The last progress event, for `dialogue_status`. */
  last: ProgressEvent | undefined;
  result: DialogueResult | undefined;
  /** Set when the run threw after the dialogue had an id. */
  error: unknown;
}

interface Run extends RunInfo {
  controller: AbortController;
  done: Promise<void>;
  listeners: Set<(e: ProgressEvent) => void>;
}

/** The background runs of one server, by dialogue id. */
export class RunRegistry {
  private readonly runs = new Map<string, Run>();

  /**
   * Starts `run` in the background and resolves with the dialogue id once the engine has
   * created (or reopened) the dialogue.
   * @throws what `run` throws before the dialogue exists (bad pool, empty question…).
   */
  launch(run: RunFn): Promise<string> {
    const controller = new AbortController();
    let settle: () => void = () => undefined;
    const done = new Promise<void>((r) => (settle = r));
    let entry: Run | undefined;
    return new Promise<string>((resolve, reject) => {
      const onEvent = (e: ProgressEvent): void => {
        if (!entry && e.type === 'dialogue') {
          entry = { id: e.id, dir: e.dir, running: true, last: e, result: undefined, error: undefined, controller, done, listeners: new Set() };
          this.runs.set(e.id, entry);
          resolve(e.id);
        }
        if (!entry) return;
        entry.last = e;
        for (const l of entry.listeners) l(e);
      };
      run(onEvent, controller.signal)
        .then(
          (result) => {
            if (entry) entry.result = result;
          },
          (err: unknown) => {
            if (entry) entry.error = err;
            else reject(err);
          },
        )
        .finally(() => {
          if (entry) entry.running = false;
          settle();
        });
    });
  }

  /**
   * Refuses a second run of a dialogue this server is running (the engine holds one run per dialogue).
   * @throws UserError E_STATE.
   */
  assertIdle(id: string): void {
    if (this.runs.get(id)?.running) throw new UserError('E_STATE', `dialogue ${id} is already running in this server`, { expected: 'dialogue_status to follow it' });
  }

  /** What is known about `id`, or undefined when this server never ran it. */
  get(id: string): RunInfo | undefined {
    return this.runs.get(id);
  }

  /**
   * Waits until the run ends or `timeoutMs` passes, calling `onEvent` for every event meanwhile.
   * The listener is removed before this resolves, so nothing is reported after it.
   */
  async watch(id: string, timeoutMs: number, onEvent: (e: ProgressEvent) => void): Promise<void> {
    const run = this.runs.get(id);
    if (!run?.running) return;
    run.listeners.add(onEvent);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([run.done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    } finally {
      clearTimeout(timer);
      run.listeners.delete(onEvent);
    }
  }

  /** Aborts every run (client gone): each stops its calls and stays resumable. Resolves when all ended. */
  async cancelAll(): Promise<void> {
    const running = [...this.runs.values()].filter((r) => r.running);
    for (const r of running) r.controller.abort();
    await Promise.all(running.map((r) => r.done));
  }
}
