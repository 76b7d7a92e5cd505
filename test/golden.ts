/** Golden files: compared byte for byte; written only on an explicit `UPDATE_GOLDENS=1`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `test/golden`. */
export const GOLDEN_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), 'golden');

/**
 * The golden text of `rel` (under `test/golden`). With `UPDATE_GOLDENS=1` it is first rewritten
 * from `actual`; otherwise a missing golden throws, so a test never passes by creating its own.
 * @throws Error when the golden file does not exist and no update was asked for.
 */
export function readGolden(rel: string, actual: string): string {
  const file = path.join(GOLDEN_ROOT, rel);
  if (process.env.UPDATE_GOLDENS === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
  }
  if (!fs.existsSync(file)) throw new Error(`missing golden file test/golden/${rel}: run once with UPDATE_GOLDENS=1 and review it`);
  return fs.readFileSync(file, 'utf8');
}
