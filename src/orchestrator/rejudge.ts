/**
 * Re-judging a recorded folder (ours or blue's) without writing to it: the whole engine runs
 * on an in-memory database with the replay provider, so the counts come from the same code
 * as a live run.
 */
import { fixedClock, parseSeverity, seededRng } from '../core/index.ts';
import type { LintFinding, Pool } from '../experts/index.ts';
import { loadPool, parseTier } from '../experts/index.ts';
import { createReplayProvider } from '../llm/index.ts';
import { type Recording, loadRecording } from '../llm/index.ts';
import { DialogueStore, openDatabase } from '../store/index.ts';
import { startDialogue } from './facilitator.ts';
import { DEFAULT_SETTINGS, type DialogueSettings } from './settings.ts';

/** One round of the rejudge report (a contract other tools read; do not rename fields). */
export interface RejudgeRound extends RejudgeRoundLosses {
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
  /** Every finding of every round (parser findings and unresolved references), in round order. */
  findings: RejudgeFinding[];
}

/** One finding of a rejudge: a lint finding (1-based line and column in `round-N/<expert>.md`) with its round and expert. */
export type RejudgeFinding = LintFinding & { round: number; expert: string };

/**
 * A stored finding in the rejudge shape (`col` → `column`).
 * @throws BlueError E_INTERNAL for a stored severity that is none of core's.
 */
export function toRejudgeFinding(f: ReturnType<DialogueStore['findings']>[number]): RejudgeFinding {
  return { round: f.round, expert: f.expert, rule: f.rule, severity: parseSeverity(f.severity), message: f.message, line: f.line, column: f.col };
}

/** A reference that resolved to nothing, where it was written. */
export interface UnresolvedRef {
  expert: string;
  raw: string;
  line: number | null;
  column: number | null;
  reason: string;
}

/** A merge of a restatement into an earlier entity, with its rule (`P0305 → P0302, 0.81, lexical-v1`). */
export interface MergeRecord {
  id: string;
  into: string | null;
  similarity: number | null;
  threshold: number | null;
  rule: string;
}

/** The fields issue 8 added to each rejudge round (losses reported). */
export interface RejudgeRoundLosses {
  /** Finding counts by rule, e.g. `{ "unresolved-ref": 1 }`. */
  findings: Record<string, number>;
  unresolvedRefs: UnresolvedRef[];
  merges: MergeRecord[];
}

/**
 * Re-parses and re-judges the recording in `source`: a folder, or a recording already loaded
 * (a recorded inline dialogue read in memory).
 * @throws UserError E_REPLAY when the folder is missing or holds no expert response; E_POOL for a bad pool file.
 */
export async function rejudge(source: string | Recording, overrides: Partial<DialogueSettings> = {}): Promise<RejudgeReport> {
  const run = await rejudgeInMemory(source, overrides);
  try {
    return rejudgeReport(run.store, run.id, run.outcome);
  } finally {
    run.store.close();
  }
}

/** A recording re-judged on an in-memory database; the caller closes the store. */
export interface RejudgeRun {
  store: DialogueStore;
  id: string;
  outcome: string;
}

/**
 * Runs the whole engine over the recording in `source` (a folder, or a recording already loaded)
 * on an in-memory database (nothing is written).
 * @throws UserError E_REPLAY when the folder is missing or holds no expert response; E_POOL for a bad pool file.
 */
export async function rejudgeInMemory(source: string | Recording, overrides: Partial<DialogueSettings> = {}): Promise<RejudgeRun> {
  const recording = typeof source === 'string' ? loadRecording(source) : source;
  const pool = recordingPool(recording);
  const store = new DialogueStore(openDatabase(':memory:'));
  const settings: DialogueSettings = { ...DEFAULT_SETTINGS, provider: 'replay', replayDir: recording.dir, judge: false, seed: 1, ...overrides };
  const result = await startDialogue(
    { root: null, store, provider: createReplayProvider(recording), clock: fixedClock('2000-01-01T00:00:00Z'), rng: seededRng(1), recording },
    { question: recording.question ?? pool.question ?? 'recorded dialogue', pool, constraints: [], sources: [] },
    settings,
  );
  if (result.outcome === 'failed') {
    store.close();
    throw result.error;
  }
  return { store, id: result.id, outcome: result.outcome };
}

/** The rejudge report of a judged dialogue in `store`. */
export function rejudgeReport(store: DialogueStore, id: string, outcome: string): RejudgeReport {
  const rounds = store.rounds(id).filter((r) => r.status === 'judged');
  const perspectives = store.perspectives(id);
  const tensions = store.tensions(id);
  const findings = store.findings(id).map(toRejudgeFinding);
  return {
    status: outcome === 'converged' ? 'converged' : outcome === 'forced' ? 'forced' : 'open',
    rounds: rounds.map((r) => ({
      round: r.round,
      panel: store.panel(id, r.round).map((s) => s.expert),
      panelSize: r.panelSize,
      perspectives: perspectives.filter((p) => p.round === r.round).length,
      newPerspectives: r.newPerspectives,
      tensionsRaised: tensions.filter((t) => t.round === r.round).length,
      openTensions: r.openTensions,
      convergeSignals: r.convergeSignals,
      convergePercent: r.convergePercent,
      velocity: r.velocity,
      ...roundLosses(store, id, r.round, findings),
    })),
    findings,
  };
}

function roundLosses(store: DialogueStore, id: string, round: number, findings: readonly RejudgeFinding[]): RejudgeRoundLosses {
  const counts: Record<string, number> = {};
  for (const f of findings) if (f.round === round) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  const events = store.planEvents(id, round);
  const unresolvedFindings = findings.filter((f) => f.round === round && f.rule === 'unresolved-ref');
  return {
    findings: counts,
    unresolvedRefs: events
      .filter((e) => e.kind === 'link' && e.target === null && e.rule !== 'prompt-table-row')
      .map((e) => ({
        expert: e.expert,
        raw: e.subject ?? '',
        line: e.line,
        column: e.col,
        reason: unresolvedFindings.find((f) => f.expert === e.expert && f.line === e.line && f.column === e.col)?.message ?? e.detail,
      })),
    merges: events.filter((e) => e.kind === 'merge').map((e) => ({ id: e.subject ?? '', into: e.target, similarity: e.similarity, threshold: e.threshold, rule: e.rule })),
  };
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
