/**
 * Re-judging a recorded folder (ours or blue's) without writing to it: the whole engine runs
 * on an in-memory database with the replay provider, so the counts come from the same code
 * as a live run.
 */
import { fixedClock, seededRng } from '../core/index.ts';
import type { Pool } from '../experts/types.ts';
import { loadPool, parseTier } from '../experts/pool.ts';
import { createReplayProvider } from '../llm/replay.ts';
import { type Recording, loadRecording } from '../llm/recording.ts';
import { DialogueStore, openDatabase } from '../store/index.ts';
import { startDialogue } from './facilitator.ts';
import { DEFAULT_SETTINGS, type DialogueSettings } from './settings.ts';

/** One round of the rejudge report (a contract other tools read; do not rename fields). */
export interface RejudgeRound {
  round: number;
  panel: string[];
  panelSize: number;
  /** PERSPECTIVE markers registered. */
  perspectives: number;
  /** Perspectives whose normalised label is new to the dialogue. */
  newPerspectives: number;
  /** TENSION markers registered. */
  tensionsRaised: number;
  /** Tensions open after the round (dialogue-wide). */
  openTensions: number;
  /** Experts (not occurrences) who signalled [MOVE:CONVERGE]. */
  convergeSignals: number;
  convergePercent: number;
  velocity: number;
}

/** The rejudge report. `open` = the recording ended before the gate passed or max rounds. */
export interface RejudgeReport {
  status: 'converged' | 'forced' | 'open';
  rounds: RejudgeRound[];
}

/**
 * Re-parses and re-judges the recording in `source`: a folder, or a recording already loaded
 * (a recorded inline dialogue read in memory).
 * @throws UserError E_REPLAY when the folder is missing or holds no expert response; E_POOL for a bad pool file.
 */
export async function rejudge(source: string | Recording, overrides: Partial<DialogueSettings> = {}): Promise<RejudgeReport> {
  const recording = typeof source === 'string' ? loadRecording(source) : source;
  const pool = recordingPool(recording);
  const store = new DialogueStore(openDatabase(':memory:'));
  const settings: DialogueSettings = { ...DEFAULT_SETTINGS, provider: 'replay', replayDir: recording.dir, judge: false, seed: 1, ...overrides };
  const result = await startDialogue(
    { root: null, store, provider: createReplayProvider(recording), clock: fixedClock('2000-01-01T00:00:00Z'), rng: seededRng(1), recording },
    { question: recording.question ?? pool.question ?? 'recorded dialogue', pool, constraints: [], sources: [] },
    settings,
  );
  if (result.outcome === 'failed') throw result.error;
  const rounds = store.rounds(result.id).filter((r) => r.status === 'judged');
  const perspectives = store.perspectives(result.id);
  const tensions = store.tensions(result.id);
  const report: RejudgeReport = {
    status: result.outcome === 'converged' ? 'converged' : result.outcome === 'forced' ? 'forced' : 'open',
    rounds: rounds.map((r) => ({
      round: r.round,
      panel: store.panel(result.id, r.round).map((s) => s.expert),
      panelSize: r.panel_size,
      perspectives: perspectives.filter((p) => p.round === r.round).length,
      newPerspectives: r.new_perspectives,
      tensionsRaised: tensions.filter((t) => t.round === r.round).length,
      openTensions: r.open_tensions,
      convergeSignals: r.converge_signals,
      convergePercent: r.converge_percent,
      velocity: r.velocity,
    })),
  };
  store.db.close();
  return report;
}

/** The recording's pool, or one made from its panels when it has none. */
export function recordingPool(recording: Recording): Pool {
  if (recording.poolFile) return loadPool(recording.poolFile, 'recorded');
  const seats = new Map(recording.rounds.flatMap((r) => r.panel).map((s) => [s.role, s]));
  return {
    name: 'recorded',
    domain: 'Recorded dialogue',
    experts: [...seats.values()].map((s) => ({ role: s.role, tier: parseTier(s.tier) ?? 'Adjacent', relevance: s.relevance ?? 0.5 })),
  };
}
