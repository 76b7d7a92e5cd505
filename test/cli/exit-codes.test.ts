/**
 * Exit codes of a dialogue run: 0 converged; 3 ended without converging (forced, recording or
 * budget exhausted); 4 provider unavailable; 130 cancelled. The CLI runs for 0/3/4 are in
 * progress.test.ts, config.test.ts, fixture-run.test.ts and cli-anthropic.test.ts; Ctrl-C is here.
 */
import { describe, expect, it } from 'vitest';
import { outcomeExitCode } from '../../src/cli/commands/dialogue.ts';
import { main } from '../../src/cli/main.ts';
import { BlueError, UserError } from '../../src/core/index.ts';
import type { DialogueResult } from '../../src/orchestrator/index.ts';
import { captureContext } from '../support.ts';
import { useServerWorkspace } from './server-workspace.ts';

const result = (outcome: DialogueResult['outcome'], error?: unknown): DialogueResult => ({ id: 'd', dir: 'dialogues/d', outcome, rounds: 1, ...(error ? { error } : {}) });

describe('outcomeExitCode', () => {
  it.each<[string, DialogueResult, number | undefined]>([
    ['converged', result('converged'), 0],
    ['forced', result('forced'), 3],
    ['recording exhausted', result('recording_exhausted'), 3],
    ['budget exhausted', result('budget_exhausted', new UserError('E_BUDGET', 'x')), 3],
    ['cancelled', result('cancelled', new BlueError('E_CANCELLED', 'x')), 130],
    ['provider unavailable (whatever its error)', result('provider_unavailable', new BlueError('E_LLM', 'x')), 4],
    ['provider unavailable without an error', result('provider_unavailable'), 4],
    ['failed: provider unreachable after retries', result('failed', new BlueError('E_LLM', 'x')), 4],
    ['failed: key rejected', result('failed', new UserError('E_LLM_AUTH', 'x')), 4],
    ['failed: a bug (thrown, exits 70 by the table)', result('failed', new BlueError('E_INTERNAL', 'x')), 70],
    ['failed without an error', result('failed'), undefined],
  ])('%s', (_name, r, code) => {
    expect(outcomeExitCode(r)).toBe(code);
  });
});

describe('Ctrl-C during a run', () => {
  const serverWorkspace = useServerWorkspace();

  it('exits 130, says how to resume, and reports the cancellation once', async () => {
    const { cwd, env } = await serverWorkspace({ delayMs: 2_000 });
    let interrupt: (() => void) | undefined;
    const base = captureContext(cwd, { env });
    const ctx = {
      ...base,
      onInterrupt: (h: () => void) => void (interrupt = h),
      // Press Ctrl-C as soon as the first round has started.
      stdout: (t: string) => {
        base.stdout(t);
        if (t.startsWith("round 0")) setImmediate(() => interrupt?.());
      },
    };
    const code = await main(['dialogue', 'start', 'How should we version our public API?', '--pool', 'api', '--panel-size', '4', '--no-judge'], ctx);
    expect(code, base.err()).toBe(130);
    const out = base.out();
    expect(out).toMatch(/CANCELLED: .* after 0 rounds/);
    expect(out).toMatch(/resume: +blue dialogue resume /);
    expect(out.match(/cancelled: in-flight calls stopped/g)).toHaveLength(1);
  }, 60_000);
});
