/**
 * A repo's realm membership: the `realm:` key of `<repo>/.blue/config.yaml`
 * (`{ name, path, repo }`, path relative to the repo). Merged with the yaml Document API so
 * the file's other settings and comments survive (blue overwrote the whole file: spec §8.2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Document, isMap, parseDocument, LineCounter } from 'yaml';
import { UserError } from '../../core/index.ts';
import { MAX_YAML_ALIASES } from '../../core/parse.ts';
import { writeFileAtomic } from '../../core/index.ts';
import { MembershipSchema, type Membership } from './schemas.ts';

const CONFIG = path.join('.blue', 'config.yaml');

/**
 * Reads the membership of the repo at `repoRoot`.
 * @returns the membership and the realm's absolute root.
 * @throws UserError E_REALM when the repo has not joined a realm or the key is malformed.
 */
/** The config as plain data. @throws UserError E_CONFIG for an alias bomb (the library refuses it by throwing). */
function configData(doc: Document): { realm?: unknown } | null {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as { realm?: unknown } | null;
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    throw new UserError('E_CONFIG', `malformed YAML: ${reason}`, { where: { file: CONFIG }, expected: `at most ${MAX_YAML_ALIASES} aliases` });
  }
}

export function readMembership(repoRoot: string): { membership: Membership; realmRoot: string } {
  const file = path.join(repoRoot, CONFIG);
  const notJoined = new UserError('E_REALM', 'this repo has not joined a realm', {
    expected: 'run `blue realm join <realm-path>` first',
  });
  if (!fs.existsSync(file)) throw notJoined;
  const lines = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter: lines });
  const err = doc.errors[0];
  if (err) {
    const pos = lines.linePos(err.pos[0]);
    throw new UserError('E_CONFIG', `malformed YAML: ${err.message.split('\n')[0]}`, {
      where: { file: CONFIG, line: pos.line, column: pos.col },
    });
  }
  const raw: unknown = doc.get('realm');
  if (raw === undefined) throw notJoined;
  const parsed = MembershipSchema.safeParse(configData(doc)?.realm);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('E_CONFIG', issue.message, { where: { file: CONFIG, field: ['realm', ...issue.path].join('.') } });
  }
  return { membership: parsed.data, realmRoot: path.resolve(repoRoot, parsed.data.path) };
}

/**
 * Writes the `realm:` key into `<repoRoot>/.blue/config.yaml` (atomically), keeping everything else.
 * @throws UserError E_CONFIG when the file is malformed YAML or not a mapping (it is left untouched).
 */
export function writeMembership(repoRoot: string, membership: Membership): void {
  const file = path.join(repoRoot, CONFIG);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new UserError('E_CONFIG', 'malformed YAML; refusing to rewrite it', { where: { file: CONFIG } });
  }
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (!isMap(doc.contents)) {
    throw new UserError('E_CONFIG', 'not a mapping of settings; refusing to rewrite it', { where: { file: CONFIG }, expected: 'key: value settings' });
  }
  doc.set('realm', doc.createNode({ name: membership.name, path: membership.path, repo: membership.repo }));
  writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
}
