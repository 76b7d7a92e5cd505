/**
 * Recorded inline dialogues (`*.dialogue.recorded.md`) as replayable recordings: in memory
 * for `rejudge FILE` and `lint FILE`, or written as our folder layout by `dialogue import`
 * (dialogue.yaml, expert-pool.yaml, round-N/panel.yaml, round-N/<expert>.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { UserError, capitalise, writeFileAtomic } from '../core/index.ts';
import { MIN_POOL_SIZE, poolToYaml } from '../experts/index.ts';
import { parseResponse } from '../experts/index.ts';
import type { LintFinding } from '../experts/index.ts';
import type { RecordedRound, RecordedSeat, Recording } from '../llm/index.ts';
import { type DialogueRecord, type RecordSeat, parseDialogueRecord, recordLocation } from '../markdown/index.ts';
import { recordingPool } from './rejudge.ts';

/** A record read from a file, with its replayable recording. */
export interface LoadedRecord {
  file: string;
  record: DialogueRecord;
  /** Rounds with at least one expert response, renumbered from 0 (`round-N`). */
  recording: Recording;
  /** `recording.rounds[i]` came from `record.rounds[sourceRounds[i]]`. */
  sourceRounds: number[];
}

/**
 * Reads and parses a record file.
 * @throws UserError E_NOT_FOUND when the file cannot be read; E_REPLAY when it holds no expert response.
 */
export function loadRecord(file: string): LoadedRecord {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new UserError('E_USAGE', `${file} is a folder, not a recorded dialogue file`, { expected: 'a *.dialogue.recorded.md file (a dialogue folder is replayed, rejudged and linted as it is)' });
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError('E_NOT_FOUND', `cannot read ${file}`, { expected: 'a *.dialogue.recorded.md file' });
  }
  return recordFromText(text, file);
}

/**
 * Parses record text. `file` names it in errors and becomes `recording.dir`.
 * @throws UserError E_REPLAY when no round holds an expert response (judge sections never count).
 */
export function recordFromText(text: string, file: string): LoadedRecord {
  const record = parseDialogueRecord(text);
  const kept = record.rounds.filter((r) => r.responses.length > 0);
  if (kept.length === 0) {
    const found = `${record.rounds.length} round heading${record.rounds.length === 1 ? '' : 's'}, ${record.judgeSections.length} judge section${record.judgeSections.length === 1 ? '' : 's'}`;
    throw new UserError('E_REPLAY', `no expert response in ${file} (${found})`, {
      expected: '"## Round N" sections with "### 🧁 Name" or "**Name (Role):**" speakers',
    });
  }
  const seats = new Map(record.panel.map((s) => [s.name, s]));
  const rounds: RecordedRound[] = [];
  kept.forEach((r, i) => {
    const before = new Set(rounds[i - 1]?.panel.map((s) => s.name) ?? []);
    const panel = r.responses.map((resp) => toSeat(seats.get(resp.expert), resp.expert, before.has(resp.expert)));
    rounds.push({ round: i, panel, responses: new Map(r.responses.map((resp) => [resp.expert, resp.text])), exact: new Map() });
  });
  const locate = (round: number, expert: string, line: number, column: number) => {
    const resp = kept[round]?.responses.find((x) => x.expert === expert);
    return resp ? { file, ...recordLocation(resp, line, column) } : undefined;
  };
  const recording: Recording = { dir: file, layout: 'ours', ...(record.question ? { question: record.question } : {}), rounds, locate };
  return { file, record, recording, sourceRounds: kept.map((r) => r.index) };
}

function toSeat(seat: RecordSeat | undefined, name: string, retained: boolean): RecordedSeat {
  return {
    name,
    role: seat?.role ?? 'Expert',
    ...(seat?.tier ? { tier: seat.tier } : {}),
    ...(seat?.relevance !== undefined ? { relevance: seat.relevance } : {}),
    source: retained ? 'retained' : 'pool',
    ...(seat?.focus ? { focus: seat.focus } : {}),
  };
}

/** One round of the import report. */
export interface ImportRound {
  /** Our round number (`round-N`). */
  round: number;
  /** The heading it came from, and its line in the record. */
  heading: string;
  line: number;
  panel: string[];
  panelSize: number;
  responses: number;
  markers: number;
}

/** What `blue dialogue import` read and wrote. */
export interface ImportReport {
  file: string;
  out: string;
  title: string;
  question: string;
  rounds: number;
  /** Panel size of each imported round. */
  panelSize: number[];
  responses: number;
  /** Markers the parser reads in the expert responses (0 for a transcript without markers). */
  markers: number;
  /** Record round headings with no expert response (not replayable, so not imported). */
  skippedRounds: string[];
  judgeSections: number;
  perRound: ImportRound[];
}

/** The import report of a loaded record written to `out`. Pure. */
export function importReport(loaded: LoadedRecord, out: string): ImportReport {
  const perRound = loaded.recording.rounds.map((r, i): ImportRound => {
    const src = loaded.record.rounds[loaded.sourceRounds[i]!]!;
    const texts = [...r.responses.values()];
    return {
      round: r.round,
      heading: src.title,
      line: src.line,
      panel: r.panel.map((s) => s.name),
      panelSize: r.panel.length,
      responses: texts.length,
      markers: texts.reduce((n, t) => n + parseResponse(t).markers.length, 0),
    };
  });
  return {
    file: loaded.file,
    out,
    title: loaded.record.title,
    question: questionOf(loaded),
    rounds: perRound.length,
    panelSize: perRound.map((r) => r.panelSize),
    responses: perRound.reduce((n, r) => n + r.responses, 0),
    markers: perRound.reduce((n, r) => n + r.markers, 0),
    skippedRounds: loaded.record.rounds.filter((r) => r.responses.length === 0).map((r) => r.title),
    judgeSections: loaded.record.judgeSections.length,
    perRound,
  };
}

/**
 * The files of our folder layout for a loaded record, as relative path → text. Pure.
 * `expert-pool.yaml` is written only when the panel has enough distinct roles for a valid pool;
 * without it, replay builds the pool from the panels.
 */
export function importFiles(loaded: LoadedRecord): Map<string, string> {
  const files = new Map<string, string>();
  const source = path.basename(loaded.file);
  files.set('dialogue.yaml', toYaml({ question: questionOf(loaded), title: loaded.record.title || questionOf(loaded), note: `Imported by \`blue dialogue import\` from ${source}.` }));
  const pool = { ...recordingPool(loaded.recording), name: 'imported', domain: loaded.record.title || 'Imported dialogue', question: questionOf(loaded) };
  if (pool.experts.length >= MIN_POOL_SIZE) files.set('expert-pool.yaml', poolToYaml(pool));
  loaded.recording.rounds.forEach((r, i) => {
    const heading = loaded.record.rounds[loaded.sourceRounds[i]!]!.title;
    const panel = { round: r.round, heading, experts: r.panel.map((s) => ({ ...s, name: capitalise(s.name) })) };
    files.set(`round-${r.round}/panel.yaml`, toYaml(panel));
    for (const [name, text] of r.responses) files.set(`round-${r.round}/${name}.md`, `${text}\n`);
  });
  return files;
}

/**
 * Writes `files` under `out`.
 * @throws UserError E_EXISTS when `out` exists and is not an empty folder.
 */
export function writeImport(out: string, files: Map<string, string>): void {
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new UserError('E_EXISTS', `${out} already exists and is not empty`, { expected: 'a new folder (choose one with --out)' });
  }
  for (const [rel, text] of files) writeFileAtomic(path.join(out, rel), text);
}

/**
 * Lint findings of every expert response of a record, at lines of the record file, plus a
 * `round-without-responses` warning for each round heading no expert answered under (those
 * rounds are not replayed or imported, so the loss is reported rather than silent).
 */
export function lintRecord(loaded: LoadedRecord): (LintFinding & { file: string; expert?: string; round?: number })[] {
  const { recording } = loaded;
  const responses = recording.rounds.flatMap((r) =>
    [...r.responses].flatMap(([expert, text]) =>
      parseResponse(text).findings.map((f) => ({ ...f, ...(recording.locate?.(r.round, expert, f.line, f.column) ?? { file: loaded.file }), expert, round: r.round })),
    ),
  );
  const empty = loaded.record.rounds
    .filter((r) => r.responses.length === 0)
    .map((r) => ({ rule: 'round-without-responses', severity: 'warning' as const, message: `"${r.title}" has no expert response (judge or facilitator text only); it is not replayed`, line: r.line, column: 1, file: loaded.file }));
  return [...responses, ...empty].sort((a, b) => a.line - b.line || a.column - b.column);
}

function questionOf(loaded: LoadedRecord): string {
  return loaded.record.question ?? (loaded.record.title || 'recorded dialogue');
}
