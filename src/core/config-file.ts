/**
 * The owner of a workspace's `.blue/config.yaml`: every read and write of it goes through here.
 * Its keys belong to different folders (dialogue settings to orchestrator, `realm:` and `docs:` to
 * realm), so it lives in core, below both; each folder brings the schema of its own keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from './errors.ts';
import { writeFileAtomic } from './fs.ts';
import { type ParsedYaml, parseYamlText, readTextFile, yaml } from './parse.ts';
import { type LoadedYaml, type YamlSchemaOptions, validateYaml } from './yaml-load.ts';

/** The config file, relative to the workspace root (posix: it is also how messages name it). */
export const CONFIG_FILE = '.blue/config.yaml';

/** Absolute path of the config file of the workspace at `root`. */
export function configPath(root: string): string {
  return path.join(root, ...CONFIG_FILE.split('/'));
}

/** True when the workspace at `root` has a config file. */
export function hasConfigFile(root: string): boolean {
  return fs.existsSync(configPath(root));
}

/**
 * Reads and parses the config file; undefined when there is none.
 * @throws UserError E_CONFIG at `.blue/config.yaml:line:col` for invalid YAML, an alias bomb or binary content.
 */
export function readConfigFile(root: string): ParsedYaml | undefined {
  const file = configPath(root);
  if (!fs.existsSync(file)) return undefined;
  return parseYamlText(readTextFile(file, CONFIG_FILE, 'E_CONFIG'), CONFIG_FILE, 'E_CONFIG');
}

/**
 * Reads the config file and validates it (or its key at `opts.at`) against `schema`; undefined
 * when there is no file.
 * @throws UserError E_CONFIG located at the syntax error or the first rejected field.
 */
export function loadConfigSection<S extends z.ZodType>(
  root: string,
  schema: S,
  opts: Omit<YamlSchemaOptions, 'code' | 'display'> = {},
): LoadedYaml<z.infer<S>> | undefined {
  const parsed = readConfigFile(root);
  return parsed && validateYaml(parsed, schema, { ...opts, code: 'E_CONFIG', display: CONFIG_FILE });
}

/**
 * Sets one top-level key of the config file (atomically, creating it), keeping every other key
 * and the comments.
 * @throws UserError E_CONFIG when the file is invalid YAML or not a mapping (it is left untouched).
 */
export function writeConfigKey(root: string, key: string, value: unknown): void {
  editConfigFile(root, (doc) => doc.set(key, doc.createNode(value)));
}

/**
 * Edits the config file's Document with `edit` and writes it back (atomically, creating it),
 * keeping every key and comment `edit` does not touch. `edit` runs only once the file is known
 * to be a rewritable mapping; when it throws, nothing is written.
 * @throws UserError E_CONFIG when the file is invalid YAML or not a mapping (it is left untouched).
 */
export function editConfigFile(root: string, edit: (doc: Document) => void): void {
  const file = configPath(root);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const doc = yaml().parseDocument(text);
  if (doc.errors.length > 0) {
    throw new UserError('E_CONFIG', 'malformed YAML; refusing to rewrite it', { where: { file: CONFIG_FILE } });
  }
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (!yaml().isMap(doc.contents)) {
    throw new UserError('E_CONFIG', 'not a mapping of settings; refusing to rewrite it', { where: { file: CONFIG_FILE }, expected: 'key: value settings' });
  }
  edit(doc);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
}
