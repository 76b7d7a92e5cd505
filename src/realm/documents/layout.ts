/**
 * Where the documents of a workspace live. Blue kept them under `.blue/docs/{rfcs,adrs,dialogues}`
 * (reference §0.1); a fresh Blue workspace keeps `rfcs/`, `adrs/` and `dialogues/` at its root.
 * The `docs:` key of `.blue/config.yaml` says which; without it `.blue/docs` is used when that
 * folder exists. Every document path Blue reports stays relative to the workspace root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, type ParsedYaml, UserError, readConfigFile } from '../../core/index.ts';
import { type DocType, FOLDERS } from './model.ts';

/** Blue's own docs root, detected when present. */
export const BLUE_DOCS_DIR = '.blue/docs';

/** The `docs:` value of `.blue/config.yaml`, or undefined when the file or key is absent. */
function configuredDocsDir(root: string): string | undefined {
  let parsed: ParsedYaml | undefined;
  try {
    parsed = readConfigFile(root);
  } catch {
    return undefined; // the settings loader reports malformed YAML with file:line
  }
  if (!parsed) return undefined;
  const { doc, lines } = parsed;
  const node = doc.get('docs', true) as { value?: unknown; range?: [number] } | undefined;
  if (node === undefined) return undefined;
  const line = node.range ? lines.linePos(node.range[0]).line : undefined;
  const value = node.value;
  const where = { file: CONFIG_FILE, ...(line ? { line } : {}), field: 'docs' };
  const expected = 'a folder inside the workspace, e.g. docs: .blue/docs';
  if (typeof value !== 'string') throw new UserError('E_CONFIG', 'not a folder path', { where, expected });
  const dir = path.posix.normalize(value.trim().replaceAll('\\', '/')).replace(/\/+$/, '');
  if (path.posix.isAbsolute(dir) || dir === '..' || dir.startsWith('../')) throw new UserError('E_CONFIG', `"${value}" is outside the workspace`, { where, expected });
  return dir === '.' ? '' : dir;
}

/**
 * The docs root of the workspace at `root`, as a posix path relative to it (`''` = the root itself):
 * the configured `docs:` folder, else `.blue/docs` when it is a folder, else `''`.
 * @throws UserError E_CONFIG when `docs:` is not a relative folder inside the workspace.
 */
export function docsDir(root: string): string {
  const configured = configuredDocsDir(root);
  if (configured !== undefined) return configured;
  return isDir(path.join(root, BLUE_DOCS_DIR)) ? BLUE_DOCS_DIR : '';
}

/** Folder of `type`, relative to the workspace root, under the docs root `dir`. */
export function typeFolder(dir: string, type: DocType): string {
  return path.posix.join(dir || '.', FOLDERS[type]);
}

/**
 * Folders that may hold dialogue records: the docs root's `dialogues/` (blue's flat records and
 * Blue's `<id>/` folders) and, when the docs root is elsewhere, the workspace's own `dialogues/`
 * where Blue's engine writes its dialogue folders.
 */
export function dialogueFolders(dir: string): string[] {
  const own = FOLDERS.dialogue;
  const docs = typeFolder(dir, 'dialogue');
  return docs === own ? [own] : [docs, own];
}

function isDir(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
