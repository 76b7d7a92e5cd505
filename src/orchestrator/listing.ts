/**
 * What the dialogue read commands and the MCP tools show about dialogues: the list rows, the last
 * judged round and where each document lives. Light on purpose (type imports and one small
 * module): `blue dialogue list` imports it directly, without the engine.
 */
import path from 'node:path';
import type { DialogueStatus, DialogueStore } from '../store/index.ts';
import { recordFileName } from './record-file.ts';

/** One row of `blue dialogue list` / MCP `dialogue_list`. */
export interface DialogueListRow {
  id: string;
  status: DialogueStatus;
  /** Judged rounds. */
  rounds: number;
  question: string;
}

/** Every dialogue of the store, newest first, with its judged-round count. */
export function dialogueRows(store: DialogueStore): DialogueListRow[] {
  return store.listDialogues().map((d) => ({ id: d.id, status: d.status, rounds: lastJudged(store.rounds(d.id)).count, question: d.question }));
}

/** The last judged round of a dialogue's rounds (0 before any is judged). */
export function lastJudgedRound(rounds: readonly { round: number; status: string }[]): number {
  return lastJudged(rounds).last;
}

function lastJudged(rounds: readonly { round: number; status: string }[]): { count: number; last: number } {
  const judged = rounds.filter((r) => r.status === 'judged');
  return { count: judged.length, last: judged.at(-1)?.round ?? 0 };
}

/**
 * File of a dialogue document, relative to the workspace root (posix): a whole-dialogue document
 * (`verdict`, `scoreboard`, `tensions`, `record`, `dialogue`) or, with `round`, a round document
 * (`summary`, `panel` or an expert's response by lowercase name). Callers check `doc` first.
 */
export function dialogueDocFile(dialogue: { id: string; dir: string }, doc: string, round?: number): string {
  if (round === undefined) {
    const name = doc === 'record' ? recordFileName(dialogue.id) : doc === 'dialogue' ? 'dialogue.yaml' : `${doc}.md`;
    return path.posix.join(dialogue.dir, name);
  }
  return path.posix.join(dialogue.dir, `round-${round}`, doc === 'panel' ? 'panel.yaml' : `${doc}.md`);
}
