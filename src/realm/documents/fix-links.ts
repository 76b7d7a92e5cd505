/**
 * `blue lint --fix`: points the dead links that lint can name a target for (a document renamed
 * under another name form, as blue left them) at that document, through the same AST rewrite a
 * transition uses. Nothing else is changed; all undone on failure.
 */
import path from 'node:path';
import type { DocIndex } from './queries.ts';
import { type DocFs, Journal, nodeFs } from './journal.ts';
import { renamedLinkMoves } from './lint.ts';
import { withDocumentLock } from './lock.ts';
import { relinkWorkspace } from './relink.ts';
import { rebuildIndex } from './store.ts';

/** What `--fix` changed: the dead targets re-pointed and the files rewritten (relative to the root). */
export interface LinkFix {
  targets: { from: string; to: string }[];
  files: string[];
}

/** Rewrites every link to a renamed document's old name, under the document lock, then re-indexes. */
export function fixRenamedLinks(root: string, index: DocIndex, deps: { now: string; fs?: DocFs }): LinkFix {
  return withDocumentLock(root, () => {
    const targets = renamedLinkMoves(root);
    const writes = targets.length > 0 ? relinkWorkspace(root, targets, new Map()) : new Map<string, string>();
    Journal.run(deps.fs ?? nodeFs, (j) => {
      for (const [rel, text] of writes) j.write(path.join(root, rel), text);
      if (writes.size > 0) rebuildIndex(root, index, deps.now);
    });
    return { targets, files: [...writes.keys()] };
  });
}
