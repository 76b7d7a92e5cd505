/**
 * The lifecycle of dialogue records (`<id>.dialogue.recorded.md` → `.dialogue.pub.md`). Blue mapped
 * the published token but never moved a record (reference §1.4). A record's status lives in its
 * name only: its header Status is the dialogue's outcome (Converged…), so the header is left alone.
 */
import path from 'node:path';
import { UserError } from '../../core/index.ts';
import type { DocIndex } from './queries.ts';
import { type DocFs, Journal, nodeFs } from './journal.ts';
import { type StatusChange, transitionFile } from './lifecycle.ts';
import { withDocumentLock } from './lock.ts';
import { relinkWorkspace } from './relink.ts';
import { type DocumentInfo, scanDocuments } from './scan.ts';
import { rebuildIndex } from './store.ts';
import { checkTransition, requireStatus } from './transitions.ts';

/**
 * The one dialogue record whose id is `id`, or whose id starts with it.
 * @throws UserError E_NOT_FOUND when none, E_USAGE when a prefix names several (they are listed).
 */
export function requireRecord(root: string, id: string): DocumentInfo {
  const records = scanDocuments(root, ['dialogue']);
  const exact = records.filter((d) => d.slug === id);
  const found = exact.length > 0 ? exact : records.filter((d) => d.slug.startsWith(id));
  if (found.length === 0) throw new UserError('E_NOT_FOUND', `no dialogue record "${id}"`, { expected: 'a dialogue id or prefix (blue record list)' });
  if (found.length > 1) throw new UserError('E_USAGE', `"${id}" names ${found.length} dialogue records: ${found.map((d) => d.slug).join(', ')}`);
  return found[0] as DocumentInfo;
}

/**
 * `blue record status <id> --set published`: checks the table (recorded → published), renames the
 * record (a bare legacy `<id>.dialogue.md` gets the dotted form, the only one that can say
 * published), rewrites every inbound link, and re-indexes; all undone on failure.
 * @throws UserError E_USAGE (unknown status, ambiguous id), E_NOT_FOUND, E_TRANSITION.
 */
export function setRecordStatus(root: string, index: DocIndex, id: string, statusWord: string, deps: { now: string; fs?: DocFs }): StatusChange {
  const to = requireStatus('dialogue', statusWord);
  return withDocumentLock(root, () => {
    const doc = requireRecord(root, id);
    const from = doc.status ?? 'recorded';
    checkTransition('dialogue', from, to);
    const file = transitionFile(doc, to, doc.name.form === 'bare' ? 'dotted' : 'keep');
    const moves = [{ from: doc.file, to: file }];
    const writes = relinkWorkspace(root, moves, new Map());
    Journal.run(deps.fs ?? nodeFs, (j) => {
      j.move(path.join(root, doc.file), path.join(root, file));
      for (const [rel, t] of writes) j.write(path.join(root, rel), t);
      rebuildIndex(root, index, deps.now);
    });
    return { from, to, previousFile: doc.file, file };
  });
}
