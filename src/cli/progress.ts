/**
 * The progress view: live per-expert lines on a TTY (log-update), plain append-only lines
 * otherwise, one JSON object per line with `--json`, nothing with `--quiet`.
 */
import { createLogUpdate } from 'log-update';
import type { ProgressEvent } from '../orchestrator/index.ts';

/** Output mode of the view. */
export type ProgressMode = 'live' | 'plain' | 'json' | 'quiet';

/** A progress sink; call `done()` to flush the live area. */
export interface ProgressView {
  onEvent: (e: ProgressEvent) => void;
  done: () => void;
}

/** Builds a view writing through `write`. `stream` is only needed for the live mode. */
export function createProgressView(mode: ProgressMode, write: (text: string) => void, stream?: NodeJS.WriteStream): ProgressView {
  if (mode === 'quiet') return { onEvent: () => undefined, done: () => undefined };
  if (mode === 'json') return { onEvent: (e) => write(`${JSON.stringify(e)}\n`), done: () => undefined };
  if (mode === 'live' && stream) return liveView(write, stream);
  const onEvent = (e: ProgressEvent): void => {
    const line = plainLine(e);
    if (line) write(`${line}\n`);
  };
  return { onEvent, done: () => undefined };
}

/** One plain line per event (non-TTY). */
export function plainLine(e: ProgressEvent): string | null {
  switch (e.type) {
    case 'dialogue':
      return `dialogue ${e.status}: ${e.id} (${e.dir})`;
    case 'round-start':
      return `round ${e.round}: ${e.experts.length} experts (${e.experts.join(', ')})`;
    case 'expert':
      if (e.state === 'streaming' || e.state === 'queued') return null;
      return `  ${e.expert}: ${e.state}${e.outputTokens !== undefined ? ` ${e.outputTokens} tok` : ''}${e.costUsd ? ` $${e.costUsd.toFixed(4)}` : ''}${e.detail ? ` — ${e.detail}` : ''}`;
    case 'round-end':
      return `round ${e.round} judged: velocity ${e.velocity} (${e.openTensions} open T + ${e.newPerspectives} new P), converge ${e.convergePercent}%, cost $${e.costUsd.toFixed(4)}`;
    case 'end':
      return `ended: ${e.outcome} after ${e.rounds} round${e.rounds === 1 ? '' : 's'}`;
  }
}

function liveView(write: (text: string) => void, stream: NodeJS.WriteStream): ProgressView {
  const log = createLogUpdate(stream);
  const experts = new Map<string, string>();
  let header = '';
  let roundCost = 0;
  const render = (): void => {
    const rows = [...experts.entries()].map(([name, state]) => `  ${name.padEnd(12)} ${state}`);
    log([header, ...rows, `  round cost $${roundCost.toFixed(4)}`].join('\n'));
  };
  return {
    onEvent: (e) => {
      if (e.type === 'round-start') {
        log.done();
        experts.clear();
        roundCost = 0;
        header = `round ${e.round}`;
        for (const n of e.experts) experts.set(n, 'queued');
        render();
      } else if (e.type === 'expert') {
        if (e.costUsd) roundCost += e.costUsd;
        const tokens = e.outputTokens !== undefined ? ` (${e.outputTokens} tok)` : '';
        experts.set(e.expert, `${e.state}${tokens}${e.detail ? ` ${e.detail}` : ''}`);
        render();
      } else {
        const line = plainLine(e);
        if (e.type === 'round-end') {
          render();
          log.done();
        }
        if (line) write(`${line}\n`);
      }
    },
    done: () => log.done(),
  };
}
