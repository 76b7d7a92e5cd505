/**
 * Atomic replacement of files the user keeps (dialogue documents, RFCs, ADRs, realm YAML,
 * `.blue/config.yaml`): write a temp file beside the target, then rename over it, so a crash
 * or a full disk mid-write never leaves a truncated file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stripControls } from './text.ts';

/**
 * Replaces `file` with `text` atomically, creating its folder when missing. Terminal control
 * characters are dropped ({@link stripControls}): nothing Blue writes can drive a terminal.
 * @throws the filesystem error; the temp file is removed and `file` is left as it was.
 */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, stripControls(text));
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
