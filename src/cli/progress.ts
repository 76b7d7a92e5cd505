/**
 * The progress view: live per-expert lines on a TTY (log-update), plain append-only lines
 * otherwise (or with TERM=dumb), one JSON object per line with `--json`, nothing with `--quiet`.
 * It never prints the ending: the command's final line, built from the store, is the only one.
 */
import { createLogUpdate } from 'log-update';
import { type Clock, formatUsd, usdDigits } from '../core/index.ts';
import type { ProgressEvent } from '../orchestrator/index.ts';

/** Output mode of the view. */
export type ProgressMode = 'live' | 'plain' | 'json' | 'quiet';

/** The mode for a run: `--json`, `--quiet`, live only on a TTY whose TERM is not `dumb`. */
export function progressMode(flags: { json?: boolean; quiet?: boolean }, isTTY: boolean, env: Record<string, string | undefined>): ProgressMode {
  if (flags.json) return 'json';
  if (flags.quiet) return 'quiet';
  return isTTY && env.TERM !== 'dumb' ? 'live' : 'plain';
}

/** What the view needs besides events. */
export interface ProgressOptions {
  /** Appends text to stdout (plain lines, and lines that outlive the live area). */
  write: (text: string) => void;
  /** Terminal stream for the live area (live mode only; plain lines without it). */
  stream?: NodeJS.WriteStream;
  /** For elapsed time. */
  clock: Clock;
  maxRounds: number;
  /** `--max-cost` in USD, or null. Totals are shown at its precision. */
  maxCostUsd: number | null;
  /** USD already spent (a resumed dialogue). */
  spentUsd?: number;
}

/** A progress sink. */
export interface ProgressView {
  onEvent: (e: ProgressEvent) => void;
  /** Ctrl-C: freeze the live area so the "cancelling…" line stays visible; plain lines from now on. */
  interrupted: () => void;
  /** Flushes the live area. */
  done: () => void;
}

/** Running totals shared by the plain and live renderings. */
class Tally {
  #committed: number;
  #inRound = 0;
  #refusals = new Set<string>();
  readonly #t0: number;
  readonly opts: ProgressOptions;
  constructor(opts: ProgressOptions) {
    this.opts = opts;
    this.#committed = opts.spentUsd ?? 0;
    this.#t0 = opts.clock.now().getTime();
  }
  /** Updates the totals; false when the event repeats a refusal already shown. */
  take(e: ProgressEvent): boolean {
    if (e.type === 'round-start') this.#inRound = 0;
    if (e.type === 'expert' && e.costUsd) this.#inRound += e.costUsd;
    if (e.type === 'round-end') {
      this.#committed += e.costUsd;
      this.#inRound = 0;
    }
    if (e.type === 'expert' && (e.state === 'refused' || e.state === 'cancelled')) {
      // One budget refusal (or cancellation) stops every queued call: say it once.
      if (this.#refusals.has(e.state)) return false;
      this.#refusals.add(e.state);
    }
    return true;
  }
  /** `round 2 (3/10)`: folders count from round-0, the budget of rounds from 1. */
  roundLabel(round: number): string {
    return `round ${round} (${round + 1}/${this.opts.maxRounds})`;
  }
  /** `elapsed 1m05s, total $0.012 / $0.050`. */
  status(): string {
    const digits = Math.max(usdDigits(this.opts.maxCostUsd), 4);
    const total = formatUsd(this.#committed + this.#inRound, digits);
    const max = this.opts.maxCostUsd === null ? 'no --max-cost' : formatUsd(this.opts.maxCostUsd, usdDigits(this.opts.maxCostUsd));
    return `elapsed ${formatElapsed(this.opts.clock.now().getTime() - this.#t0)}, total ${total} / ${max}`;
  }
}

/** `65_000` → `1m05s`; `9_400` → `9s`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Builds a view for `mode`. */
export function createProgressView(mode: ProgressMode, opts: ProgressOptions): ProgressView {
  const none = { interrupted: () => undefined, done: () => undefined };
  if (mode === 'quiet') return { onEvent: () => undefined, ...none };
  if (mode === 'json') return { onEvent: (e) => opts.write(`${JSON.stringify(e)}\n`), ...none };
  const tally = new Tally(opts);
  if (mode === 'live' && opts.stream) return liveView(opts, opts.stream, tally);
  return { onEvent: (e) => plainEvent(e, tally, opts.write), ...none };
}

function plainEvent(e: ProgressEvent, tally: Tally, write: (text: string) => void): void {
  if (!tally.take(e)) return;
  const line = plainLine(e, tally);
  if (line) write(`${line}\n`);
}

/** One plain line per event, or null for events the plain view skips. */
function plainLine(e: ProgressEvent, tally: Tally): string | null {
  switch (e.type) {
    case 'dialogue':
      return `dialogue ${e.status}: ${e.id} (${e.dir})`;
    case 'round-start':
      return `${tally.roundLabel(e.round)}: ${e.experts.length} experts (${e.experts.join(', ')})`;
    case 'expert':
      if (e.state === 'streaming' || e.state === 'queued') return null;
      if (e.state === 'refused') return `  budget: ${e.detail ?? 'refused'}; no further calls`;
      if (e.state === 'cancelled') return `  cancelled: in-flight calls stopped`;
      return `  ${e.expert}: ${e.state}${e.outputTokens !== undefined ? ` ${e.outputTokens} tok` : ''}${e.costUsd ? ` $${e.costUsd.toFixed(4)}` : ''}${e.detail ? ` — ${e.detail}` : ''}`;
    case 'round-end':
      return `${tally.roundLabel(e.round)} judged: velocity ${e.velocity} (${e.openTensions} open T + ${e.newPerspectives} new P), converge ${e.convergePercent}%, cost $${e.costUsd.toFixed(4)}; ${tally.status()}`;
    case 'end':
      return null; // the command prints the one final line, from the stored rounds
  }
}

function liveView(opts: ProgressOptions, stream: NodeJS.WriteStream, tally: Tally): ProgressView {
  const log = createLogUpdate(stream);
  const experts = new Map<string, string>();
  let header = '';
  /** True while a round's live area is on screen (between round-start and round-end). */
  let active = false;
  let frozen = false;
  const render = (): void => {
    if (frozen || !active) return;
    const rows = [...experts.entries()].map(([name, state]) => `  ${name.padEnd(12)} ${state}`);
    log([`${header} · ${tally.status()}`, ...rows].join('\n'));
  };
  // Elapsed time moves while every expert is still thinking; unref'd so it never holds the process.
  const ticker = setInterval(render, 1000);
  ticker.unref();
  return {
    onEvent: (e) => {
      if (frozen) return plainEvent(e, tally, opts.write);
      if (!tally.take(e)) return;
      if (e.type === 'round-start') {
        log.done();
        experts.clear();
        header = tally.roundLabel(e.round);
        active = true;
        for (const n of e.experts) experts.set(n, 'queued');
        render();
      } else if (e.type === 'expert') {
        const tokens = e.outputTokens !== undefined ? ` (${e.outputTokens} tok)` : '';
        experts.set(e.expert, `${e.state}${tokens}${e.detail ? ` ${e.detail}` : ''}`);
        render();
      } else {
        if (e.type === 'round-end') {
          render();
          log.done();
          active = false; // the finished round's area stays as it is; the ticker must not redraw it
        }
        const line = plainLine(e, tally);
        if (line) opts.write(`${line}\n`);
      }
    },
    interrupted: () => {
      // log-update erases its previous frame on every render; freezing it keeps the line
      // printed below it ("cancelling…") on screen until the process exits.
      clearInterval(ticker);
      if (!frozen) log.done();
      frozen = true;
    },
    done: () => {
      clearInterval(ticker);
      if (!frozen) log.done();
    },
  };
}
