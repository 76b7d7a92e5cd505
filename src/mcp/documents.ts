/**
 * A dialogue's documents by name, for `dialogue_show` and the `blue://dialogues/{id}/…` resources.
 * Names come from a fixed list or a checked expert name, so a URI can never leave the dialogue folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/index.ts';
import { dialogueDocFile, findDialogue } from '../orchestrator/index.ts';
import type { DialogueStore } from '../store/index.ts';

/** Whole-dialogue documents. */
export const DIALOGUE_DOCS = ['verdict', 'scoreboard', 'tensions', 'record', 'dialogue'] as const;
/** A whole-dialogue document name. */
export type DialogueDoc = (typeof DIALOGUE_DOCS)[number];

const EXPERT = /^[a-z][a-z0-9-]*$/;

/** A document located in the workspace. `file` is relative to the root. */
export interface LocatedDoc {
  uri: string;
  file: string;
  mimeType: 'text/markdown' | 'application/yaml';
}

/** URI of a whole-dialogue document. */
export function dialogueDocUri(id: string, doc: DialogueDoc): string {
  return `blue://dialogues/${id}/${doc}`;
}

/** URI of a round document: `summary`, `panel`, or an expert's response (`muffin`). */
export function roundDocUri(id: string, round: number, name: string): string {
  return `blue://dialogues/${id}/rounds/${round}/${name}`;
}

/**
 * Locates a whole-dialogue document (`doc`) or a round document (`round` + `name`).
 * @throws UserError E_NOT_FOUND for an unknown dialogue or name; E_USAGE for a bad round.
 */
export function locateDoc(store: DialogueStore, idOrPrefix: string, doc: string, round?: number): LocatedDoc {
  const row = findDialogue(store, idOrPrefix);
  if (round === undefined) {
    if (!(DIALOGUE_DOCS as readonly string[]).includes(doc)) throw new UserError('E_NOT_FOUND', `no dialogue document "${doc}"`, { expected: `one of ${DIALOGUE_DOCS.join(', ')}` });
    return { uri: dialogueDocUri(row.id, doc as DialogueDoc), file: dialogueDocFile(row, doc), mimeType: doc === 'dialogue' ? 'application/yaml' : 'text/markdown' };
  }
  if (!Number.isInteger(round) || round < 0) throw new UserError('E_USAGE', `round "${round}" is not a round number`, { expected: 'an integer ≥ 0' });
  if (doc !== 'panel' && !EXPERT.test(doc)) throw new UserError('E_NOT_FOUND', `no round document "${doc}"`, { expected: 'summary, panel, or an expert name' });
  return { uri: roundDocUri(row.id, round, doc), file: dialogueDocFile(row, doc, round), mimeType: doc === 'panel' ? 'application/yaml' : 'text/markdown' };
}

/**
 * Reads a located document.
 * @throws UserError E_NOT_FOUND when the dialogue has not written it (yet).
 */
export function readDoc(root: string, doc: LocatedDoc): string {
  const full = path.join(root, doc.file);
  if (!fs.existsSync(full)) throw new UserError('E_NOT_FOUND', `${doc.file} does not exist yet`, { expected: 'a document the dialogue has written' });
  return fs.readFileSync(full, 'utf8');
}
