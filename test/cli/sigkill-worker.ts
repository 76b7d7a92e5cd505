/**
 * Child process of resume-sigkill.test.ts (run with `node --import tsx`): replays a recorded
 * dialogue with a slow provider so the parent can SIGKILL it mid-round, then resumes it.
 *
 * argv: <start|resume> <workspace> <replayDir> <callLog>
 * Every completed expert call appends `<mode> <round> <expert>` to callLog; the result is printed as JSON.
 */
import fs from 'node:fs';
import { fixedClock, seededRng } from '../../src/core/index.ts';
import { createReplayProvider } from '../../src/llm/replay.ts';
import { loadRecording } from '../../src/llm/recording.ts';
import type { LlmProvider } from '../../src/llm/port.ts';
import { DEFAULT_SETTINGS, type EngineDeps, recordingPool, resumeDialogue, startDialogue } from '../../src/orchestrator/index.ts';
import { DialogueStore, openDatabase } from '../../src/store/index.ts';

const [mode, root, replayDir, callLog] = process.argv.slice(2);
if (!mode || !root || !replayDir || !callLog) throw new Error('usage: sigkill-worker <start|resume> <workspace> <replayDir> <callLog>');

const DELAY_MS = 150;
const QUESTION = 'Should RFC 0058 be superseded by a hybrid relational + DynamoDB architecture?';

const recording = loadRecording(replayDir);
const replay = createReplayProvider(recording);
const slow: LlmProvider = {
  name: 'replay',
  complete: async (req) => {
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
    const result = await replay.complete(req);
    // logged on completion: a call killed in flight was never answered, so asking again is correct
    fs.appendFileSync(callLog, `${mode} ${req.meta.round} ${req.meta.expert}\n`);
    return result;
  },
};

const store = new DialogueStore(openDatabase(root));
const deps: EngineDeps = { root, store, provider: slow, clock: fixedClock('2026-11-21T10:00:00Z'), rng: seededRng(1), recording };

const result =
  mode === 'start'
    ? await startDialogue(
        deps,
        { question: QUESTION, pool: recordingPool(recording), constraints: [], sources: [] },
        { ...DEFAULT_SETTINGS, provider: 'replay', replayDir, judge: false, seed: 1, concurrency: 2 },
      )
    : await resumeDialogue(deps, store.listDialogues()[0]!.id);
store.close();
if (result.error) process.stderr.write(`${result.error instanceof Error ? (result.error.stack ?? result.error.message) : String(result.error)}\n`);
process.stdout.write(`${JSON.stringify({ id: result.id, dir: result.dir, outcome: result.outcome, rounds: result.rounds })}\n`);
