/**
 * Writing the dialogue folder. Every generated file is rendered from the store, so a file
 * can always be regenerated; writes are atomic (core `writeFileAtomic`) so a crash never leaves
 * a half-written document.
 */
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { BlueError, seatNameProblem, writeFileAtomic } from '../core/index.ts';
import { poolToYaml } from '../experts/index.ts';
import { renderRecordedDialogue, renderRoundSummary, renderScoreboard, renderTensions, renderVerdict } from '../markdown/index.ts';
import type { DialogueData } from './data.ts';
import { panelMembers, synthesisOf } from './data.ts';
import { seatModel } from './settings.ts';
import { recordedView, roundSummaryView, scoreboardView, tensionsView, verdictView } from './views.ts';
import { recordFileName } from './record-file.ts';

/** Absolute folder of a dialogue. */
export function dialogueDir(root: string, data: DialogueData): string {
  return path.join(root, data.dialogue.dir);
}

export { recordFileName };

/** `dialogue.yaml`: question, constraints, sources, settings, status. */
export function writeDialogueYaml(root: string, data: DialogueData): void {
  const d = data.dialogue;
  const doc = {
    id: d.id,
    title: d.title,
    question: d.question,
    status: d.status,
    created: d.createdAt,
    updated: d.updatedAt,
    constraints: data.constraints.map((c) => ({ round: c.round_added, text: c.text })),
    sources: d.sources.map((s) => s.path),
    settings: data.settings,
  };
  writeFileAtomic(path.join(dialogueDir(root, data), 'dialogue.yaml'), toYaml(doc));
}

/** `expert-pool.yaml`: the pool used, copied so the folder is self-contained. */
export function writePoolYaml(root: string, data: DialogueData): void {
  writeFileAtomic(path.join(dialogueDir(root, data), 'expert-pool.yaml'), poolToYaml(data.pool));
}

/** `round-N/panel.yaml`: who sat, with tier, relevance, source and the reason. */
export function writePanelYaml(root: string, data: DialogueData, round: number): void {
  const seats = data.panels.get(round) ?? [];
  const members = panelMembers(data, round);
  const doc = {
    round,
    experts: members.map((m, i) => ({
      name: m.name,
      role: m.role,
      tier: m.tier,
      relevance: m.relevance,
      source: m.source,
      // Which model answers this seat (mixed panels); a replay answers from the recording.
      ...(data.settings.provider !== 'replay' ? { model: seatModel(data.settings, m) } : {}),
      ...(m.focus ? { focus: m.focus } : {}),
      ...(seats[i]?.reason ? { reason: seats[i]!.reason } : {}),
    })),
  };
  writeFileAtomic(path.join(dialogueDir(root, data), `round-${round}`, 'panel.yaml'), toYaml(doc));
}

/** One expert's response and its prompt, written the moment they are stored. */
export function writeResponse(root: string, dir: string, round: number, expert: string, text: string, prompt: string): void {
  // Seat names are checked where they enter (recordings); this keeps any other source from
  // writing over summary.md or outside the round folder.
  const problem = seatNameProblem(expert);
  if (problem) throw new BlueError('E_INTERNAL', `expert name ${JSON.stringify(expert)} ${problem}`);
  const roundDir = path.join(root, dir, `round-${round}`);
  writeFileAtomic(path.join(roundDir, `${expert}.prompt.md`), prompt);
  writeFileAtomic(path.join(roundDir, `${expert}.md`), text);
}

/**
 * Round summary, scoreboard, tensions and the recorded dialogue (after each judged round). A
 * round whose decision ends the dialogue writes only its summary: the ending (finish) writes the
 * dialogue's documents next, with its outcome, and writing them twice made the last round cost double.
 */
export function writeRoundDocuments(root: string, data: DialogueData, round: number, promotedTo?: string): void {
  writeRoundSummary(root, data, round);
  const decision = synthesisOf(data.rounds.find((r) => r.round === round))?.decision;
  if (decision === undefined || decision === 'continue') writeDialogueDocuments(root, data, promotedTo);
}

/** `round-N/summary.md` of a judged round. */
export function writeRoundSummary(root: string, data: DialogueData, round: number): void {
  writeFileAtomic(path.join(dialogueDir(root, data), `round-${round}`, 'summary.md'), renderRoundSummary(roundSummaryView(data, round)));
}

/** Scoreboard, tensions, recorded dialogue, dialogue.yaml — and the verdict once the dialogue ended. */
export function writeDialogueDocuments(root: string, data: DialogueData, promotedTo?: string): void {
  const dir = dialogueDir(root, data);
  writeFileAtomic(path.join(dir, 'scoreboard.md'), renderScoreboard(scoreboardView(data)));
  writeFileAtomic(path.join(dir, 'tensions.md'), renderTensions(tensionsView(data)));
  writeFileAtomic(path.join(dir, recordFileName(data.dialogue.id)), renderRecordedDialogue(recordedView(data, promotedTo)));
  if (data.dialogue.status !== 'open') writeFileAtomic(path.join(dir, 'verdict.md'), renderVerdict(verdictView(data)));
  writeDialogueYaml(root, data);
}
