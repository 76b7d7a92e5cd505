/**
 * The replay provider: answers expert X in round r from a recorded dialogue folder, so the
 * whole engine runs offline (demo, tests, re-judging old dialogues). Exact `--record` pairs
 * are replayed byte-for-byte, usage included; plain response files cost nothing.
 */
import { BlueError } from '../core/index.ts';
import type { CompletionRequest, CompletionResult, LlmProvider } from './port.ts';
import { ZERO_USAGE } from './port.ts';
import type { Recording } from './recording.ts';
import { estimateTokens } from './tokens.ts';

/** The recorded response part of a `--record` pair. */
interface ExactPair {
  response?: { text?: string; usage?: CompletionResult['usage']; stopReason?: string; requestId?: string; model?: string };
}

/**
 * Creates a replay provider over a loaded recording.
 * @throws (from `complete`) BlueError E_REPLAY when the recording has no response for the expert and round.
 */
export function createReplayProvider(recording: Recording): LlmProvider {
  return {
    name: 'replay',
    complete: async (req: CompletionRequest): Promise<CompletionResult> => {
      if (req.signal?.aborted) throw new BlueError('E_CANCELLED', 'cancelled');
      const { round, expert } = req.meta;
      const rec = round === undefined ? undefined : recording.rounds[round];
      const name = expert?.toLowerCase() ?? '';
      const exact = rec?.exact.get(name) as ExactPair | undefined;
      const text = exact?.response?.text ?? rec?.responses.get(name);
      if (text === undefined) {
        throw new BlueError('E_REPLAY', `no recorded response for ${name || '?'} in round ${round ?? '?'} of ${recording.dir}`);
      }
      req.onProgress?.(estimateTokens(text.length));
      return {
        text,
        usage: exact?.response?.usage ?? ZERO_USAGE,
        stopReason: exact?.response?.stopReason ?? 'replay',
        requestId: exact?.response?.requestId ?? `replay-${round}-${name}`,
        model: exact?.response?.model ?? 'replay',
        latencyMs: 0,
        costUsd: 0,
        retries: 0,
      };
    },
  };
}
