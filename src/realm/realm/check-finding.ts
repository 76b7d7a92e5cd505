/**
 * The findings of `blue realm check` on core's {@link Finding}: stable rule ids, placed at the
 * line of the YAML field they are about when the file was read with its lines, and the one text
 * form the CLI prints.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FieldPath, Finding } from '../../core/index.ts';
import type { RealmEntry } from './model.ts';

/** Rule ids of realm check findings. */
export const CHECK_RULES = [
  // realm-wide
  'permission-map',
  'permission-denied',
  'dependency-cycle',
  // a contract file
  'invalid-version',
  'owner-not-member',
  'invalid-schema',
  'value-schema',
  'unbumped-edit',
  'provenance',
  'unsigned-commit',
  'evolution-missing-version',
  'evolution-order',
  'unresolvable-schema',
  'bump-mismatch',
  'breaking-override',
  'foreign-export',
  // a binding file
  'missing-contract',
  'missing-source',
  'source-changed',
  'value-drift',
  'missing-binding-file',
  'invalid-range',
  'import-broken',
  'approval-pending',
  'grace-period',
  'version-mismatch',
  'stale-import',
  // hooks
  'hook-failed',
] as const;

/** One rule id of {@link CHECK_RULES}. */
export type CheckRule = (typeof CHECK_RULES)[number];

/** One realm check finding; `file` is realm-relative. */
export type CheckFinding = Finding<CheckRule>;

/** A field path in a YAML file: core's {@link FieldPath} (keys and list indexes), read-only. */
export type YamlPath = Readonly<FieldPath>;

/**
 * Where a finding about `entry` points: its file, and the 1-based line of the field at `path`
 * (the key's line for a mapping entry, the item's for a list item) when the entry kept its
 * line counter and the field exists.
 */
export function locate(entry: Pick<RealmEntry<unknown>, 'rel' | 'doc' | 'lines'>, path: YamlPath = []): { file: string; line?: number } {
  const start = path.length > 0 ? fieldNode(entry, path)?.range?.[0] : undefined;
  return start === undefined || !entry.lines ? { file: entry.rel } : { file: entry.rel, line: entry.lines.linePos(start).line };
}

function fieldNode(entry: Pick<RealmEntry<unknown>, 'doc'>, path: YamlPath): Node | undefined {
  const parent = path.length > 1 ? entry.doc.getIn(path.slice(0, -1), true) : entry.doc.contents;
  const last = path.at(-1);
  if (isMap(parent)) return parent.items.find((p) => isScalar(p.key) && p.key.value === last)?.key as Node | undefined;
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as Node | undefined;
  return undefined;
}

/** The line `blue realm check` prints: `error: domains/d/bindings/r.yaml:7: message` (file and line when known). */
export function formatCheckFinding(f: CheckFinding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  return `${f.severity}: ${where}${f.message}`;
}
