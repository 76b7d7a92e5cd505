/**
 * Atomic replacement of files the user keeps (dialogue documents, RFCs, ADRs, realm YAML,
 * `.blue/config.yaml`): write a temp file beside the target, then rename over it, so a crash
 * or a full disk mid-write never leaves a truncated file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IoError } from './errors.ts';
import { stripControls } from './text.ts';

/**
 * Replaces `file` with `text` atomically, creating its folder when missing. Terminal control
 * characters are dropped ({@link stripControls}): nothing Blue writes can drive a terminal.
 * @throws IoError E_IO (disk full, I/O error, permission…) naming the file; the temp file is
 * removed and `file` is left as it was.
 */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, stripControls(text));
    fs.renameSync(tmp, file);
  } catch (err) {
    removeQuietly(tmp);
    throw new IoError(file, err);
  }
}


/** Removes a temp file; a second failure must not hide the first. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // a leftover temp file is only clutter: resume sweeps a round folder's
  }
}
