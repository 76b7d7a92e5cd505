/**
 * The progress view tells the truth: one final line agreeing with the stored rounds, money at
 * the budget's precision, one refusal line, Ctrl-C's line kept on screen, round n/max, elapsed
 * time and total cost vs --max-cost, plain lines for TERM=dumb or a non-TTY.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createProgressView, formatElapsed, progressMode } from '../../src/cli/progress.ts';
import { type Clock, type UserError, formatUsd, usdDigits } from '../../src/core/index.ts';
import { Budget } from '../../src/llm/index.ts';
import type { ProgressEvent } from '../../src/orchestrator/index.ts';
import { captureContext, tempDir } from '../support.ts';
import { useServerWorkspace } from './server-workspace.ts';

const EXAMPLE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/api-versioning');

/** A clock the test moves by hand. */
function manualClock(iso = '2026-11-21T10:00:00Z'): Clock & { advance: (ms: number) => void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

function plainView(opts: { maxRounds?: number; maxCostUsd?: number | null; clock?: Clock } = {}) {
  let out = '';
  const view = createProgressView('plain', {
    write: (t) => void (out += t),
    clock: opts.clock ?? manualClock(),
    maxRounds: opts.maxRounds ?? 10,
    maxCostUsd: opts.maxCostUsd ?? null,
  });
  return { view, out: () => out };
}

const expert = (state: Extract<ProgressEvent, { type: 'expert' }>['state'], name: string, extra: Partial<Extract<ProgressEvent, { type: 'expert' }>> = {}): ProgressEvent => ({ type: 'expert', round: 0, expert: name, state, ...extra });

describe('progress view (unit)', () => {
  it('shows round n/max, elapsed time and total cost against --max-cost at its precision', () => {
    const clock = manualClock();
    const { view, out } = plainView({ maxRounds: 4, maxCostUsd: 0.005, clock });
    view.onEvent({ type: 'round-start', round: 1, experts: ['Muffin', 'Scone'] });
    view.onEvent(expert('done', 'Muffin', { outputTokens: 40, costUsd: 0.0012 }));
    clock.advance(65_000);
    view.onEvent({ type: 'round-end', round: 1, velocity: 2, convergePercent: 50, openTensions: 1, newPerspectives: 1, costUsd: 0.0031 });
    expect(out()).toContain('round 1 (2/4): 2 experts (Muffin, Scone)');
    expect(out()).toMatch(/round 1 \(2\/4\) judged: .*; elapsed 1m05s, total \$0\.0031 \/ \$0\.005\n$/);
    expect(out()).not.toContain('$0.01');
  });

  it('prints one budget refusal once, not once per expert as "failed"', () => {
    const { view, out } = plainView({ maxCostUsd: 0.005 });
    view.onEvent({ type: 'round-start', round: 0, experts: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] });
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) view.onEvent(expert('refused', n, { detail: 'next call would exceed --max-cost $0.005 (spent $0.000, next ≤ $0.011)' }));
    const lines = out().trim().split('\n');
    expect(lines.filter((l) => l.includes('would exceed'))).toEqual(['  budget: next call would exceed --max-cost $0.005 (spent $0.000, next ≤ $0.011); no further calls']);
    expect(out()).not.toContain('failed');
  });

  it('prints no ending of its own (the command prints the one final line)', () => {
    const { view, out } = plainView();
    view.onEvent({ type: 'end', outcome: 'budget_exhausted', rounds: 0 });
    expect(out()).toBe('');
  });

  it('uses plain lines for TERM=dumb and for a non-TTY, live only on a real terminal', () => {
    expect(progressMode({}, true, { TERM: 'dumb' })).toBe('plain');
    expect(progressMode({}, false, { TERM: 'xterm-256color' })).toBe('plain');
    expect(progressMode({}, true, { TERM: 'xterm-256color' })).toBe('live');
    expect(progressMode({ json: true }, true, {})).toBe('json');
    expect(progressMode({ quiet: true }, true, {})).toBe('quiet');
  });

  it('formats elapsed time', () => {
    expect([formatElapsed(9_400), formatElapsed(65_000), formatElapsed(3_600_000)]).toEqual(['9s', '1m05s', '60m00s']);
  });

  it('the live area ticks elapsed time while a round runs, and leaves a finished round alone', () => {
    vi.useFakeTimers();
    try {
      let screen = '';
      const tty = { isTTY: true, columns: 100, rows: 40, write: (t: string) => ((screen += t), true), on: () => tty, once: () => tty, off: () => tty, removeListener: () => tty } as unknown as NodeJS.WriteStream;
      const clock = manualClock();
      const view = createProgressView('live', { write: (t) => void tty.write(t), stream: tty, clock, maxRounds: 3, maxCostUsd: null });
      view.onEvent({ type: 'round-start', round: 0, experts: ['Muffin'] });
      clock.advance(5_000);
      vi.advanceTimersByTime(1_000);
      expect(screen).toContain('round 0 (1/3) · elapsed 5s, total $0.0000 / no --max-cost');
      view.onEvent({ type: 'round-end', round: 0, velocity: 1, convergePercent: 0, openTensions: 1, newPerspectives: 0, costUsd: 0 });
      const settled = screen;
      clock.advance(5_000);
      vi.advanceTimersByTime(3_000);
      expect(screen).toBe(settled);
      view.done();
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps Ctrl-C's cancelling line on screen: nothing is erased after it", () => {
    let screen = '';
    const tty = { isTTY: true, columns: 100, rows: 40, write: (t: string) => ((screen += t), true), on: () => tty, once: () => tty, off: () => tty, removeListener: () => tty } as unknown as NodeJS.WriteStream;
    const view = createProgressView('live', { write: (t) => void tty.write(t), stream: tty, clock: manualClock(), maxRounds: 10, maxCostUsd: 1 });
    view.onEvent({ type: 'round-start', round: 0, experts: ['Muffin', 'Scone'] });
    view.onEvent(expert('streaming', 'Muffin', { outputTokens: 10 }));
    const erase = /\u001b\[(2K|1A|\d*A)/;
    expect(screen).toMatch(erase); // the live area does redraw itself before Ctrl-C
    tty.write('\ncancelling: in-flight calls are stopped; resume with `blue dialogue resume <id>`\n');
    view.interrupted();
    view.onEvent(expert('cancelled', 'Muffin', { detail: 'cancelled' }));
    view.onEvent(expert('cancelled', 'Scone', { detail: 'cancelled' }));
    view.done();
    const after = screen.slice(screen.indexOf('cancelling:'));
    expect(after).not.toMatch(erase);
    expect(after.match(/cancelled: in-flight calls stopped/g)).toHaveLength(1);
  });
});

describe('money at the precision of the budget', () => {
  it('usdDigits: cents at least, the budget\'s own decimals, at most 6', () => {
    expect([usdDigits(null), usdDigits(2), usdDigits(0.5), usdDigits(0.005), usdDigits(0.0125), usdDigits(0.12345678)]).toEqual([2, 2, 2, 3, 4, 6]);
    expect(formatUsd(0.005, usdDigits(0.005))).toBe('$0.005');
  });

  it('a budget refusal names --max-cost 0.005 as $0.005, not $0.01', () => {
    const budget = new Budget(0.005);
    let message = '';
    try {
      budget.reserve(0.0113);
    } catch (err) {
      message = (err as UserError).message;
    }
    expect(message).toBe('next call would exceed --max-cost $0.005 (spent $0.000, next ≤ $0.012)');
  });
});

describe('progress through the CLI', () => {
  const serverWorkspace = useServerWorkspace();

  it('a replay: one final line whose round count is the stored one, exit 0 for converged', async () => {
    const cwd = tempDir();
    const ctx = captureContext(cwd);
    expect(await main(['dialogue', 'start', 'How should we version our public HTTP API?', '--provider', 'replay', '--replay', EXAMPLE], ctx)).toBe(0);
    const endings = ctx.out().split('\n').filter((l) => /after \d+ rounds?/.test(l));
    expect(endings).toHaveLength(1);
    const list = captureContext(cwd);
    await main(['dialogue', 'list', '--json'], list);
    const [row] = JSON.parse(list.out()) as { status: string; rounds: number }[];
    expect(endings[0]).toBe(`CONVERGED: ${fs.readdirSync(path.join(cwd, 'dialogues'))[0]} after ${row!.rounds} rounds`);
    expect(ctx.out()).toContain('round 0 (1/10): 5 experts');
  }, 60_000);

  it('a budget refusal: printed once, one final line "after 0 rounds", exit 3, --max-cost shown as $0.005', async () => {
    const { server, cwd, env } = await serverWorkspace({ delayMs: 1 });
    const ctx = captureContext(cwd, { env });
    const code = await main(['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '6', '--no-judge', '--max-cost', '0.005'], ctx);
    expect(code, ctx.err()).toBe(3);
    const out = ctx.out();
    expect(out.match(/would exceed/g)).toHaveLength(1);
    expect(out).toContain('--max-cost $0.005');
    expect(out).not.toMatch(/failed/);
    expect(out.split('\n').filter((l) => /after \d+ rounds?/.test(l))).toEqual([expect.stringMatching(/^BUDGET_EXHAUSTED: .* after 0 rounds$/)]);
    expect(server.seen).toHaveLength(0);
  }, 60_000);
});
