/**
 * The user's realm index, `<blue home>/index.yaml` (`~/.blue/index.yaml`): the realms this
 * user takes part in, with the realm checkout and the member repos joined from this machine
 * (absolute paths: the file is per user and never committed). Join adds, leave removes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/index.ts';
import { parseYaml, toYamlText } from './yaml-io.ts';

const IndexSchema = z.strictObject({
  realms: z
    .array(z.strictObject({ name: z.string().min(1), path: z.string().min(1), repos: z.array(z.string()).default([]) }))
    .default([]),
});
/** Parsed index: `realms[]` with `name`, absolute realm `path` and absolute member `repos`. */
export type RealmIndex = z.infer<typeof IndexSchema>;

/** File name of the index inside the blue home directory. */
export const INDEX_FILE = 'index.yaml';

/**
 * Reads `<home>/index.yaml` (empty when missing).
 * @throws UserError E_REALM when the file is malformed (located, one line).
 */
export function readIndex(home: string): RealmIndex {
  const file = path.join(home, INDEX_FILE);
  if (!fs.existsSync(file)) return { realms: [] };
  return parseYaml(fs.readFileSync(file, 'utf8'), IndexSchema, file).data;
}

/** Records that `repoRoot` joined realm `name` checked out at `realmRoot` (both absolute). */
export function indexJoin(home: string, name: string, realmRoot: string, repoRoot: string): RealmIndex {
  const index = readIndex(home);
  const entry = index.realms.find((r) => r.name === name && r.path === realmRoot);
  if (entry) entry.repos = [...new Set([...entry.repos, repoRoot])].sort();
  else index.realms.push({ name, path: realmRoot, repos: [repoRoot] });
  write(home, index);
  return index;
}

/** Removes `repoRoot` from realm `name`; a realm left with no repo is dropped. */
export function indexLeave(home: string, name: string, repoRoot: string): RealmIndex {
  const index = readIndex(home);
  for (const r of index.realms) if (r.name === name) r.repos = r.repos.filter((p) => p !== repoRoot);
  index.realms = index.realms.filter((r) => r.name !== name || r.repos.length > 0);
  write(home, index);
  return index;
}

function write(home: string, index: RealmIndex): void {
  fs.mkdirSync(home, { recursive: true });
  writeFileAtomic(path.join(home, INDEX_FILE), toYamlText(index));
}
