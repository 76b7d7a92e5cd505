/**
 * Rewriting a dialogue's missing files from the store on resume. A write that failed (disk
 * full, I/O error) or a process killed between storing and writing leaves the database ahead of
 * the folder; everything in the folder is rendered from the database, so nothing is lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeDialogueYaml, writePanelYaml, writePoolYaml, writeResponse, writeRoundSummary } from './artifacts.ts';
import type { DialogueData } from './data.ts';

/**
 * Writes every file of `data`'s folder under `root` that is missing: dialogue.yaml,
 * expert-pool.yaml, and per round panel.yaml, the answers and prompts, and a judged round's
 * summary. Existing files are left as they are (the ones a run rewrites anyway are rewritten then).
 * @returns the paths written, relative to the dialogue folder.
 * @throws IoError E_IO when a file still cannot be written.
 */
export function restoreMissingFiles(root: string, data: DialogueData): string[] {
  const dir = path.join(root, data.dialogue.dir);
  const written: string[] = [];
  const ensure = (rel: string, write: () => void) => {
    if (fs.existsSync(path.join(dir, rel))) return;
    write();
    written.push(rel);
  };
  ensure('dialogue.yaml', () => writeDialogueYaml(root, data));
  ensure('expert-pool.yaml', () => writePoolYaml(root, data));
  for (const r of data.rounds) {
    const rd = `round-${r.round}`;
    ensure(`${rd}/panel.yaml`, () => writePanelYaml(root, data, r.round));
    for (const a of data.responses.get(r.round) ?? []) {
      if (a.status !== 'ok') continue;
      const write = () => writeResponse(root, data.dialogue.dir, r.round, a.expert, a.text, a.prompt);
      ensure(`${rd}/${a.expert}.md`, write);
      ensure(`${rd}/${a.expert}.prompt.md`, write);
    }
    if (r.status === 'judged') ensure(`${rd}/summary.md`, () => writeRoundSummary(root, data, r.round));
  }
  return written;
}
