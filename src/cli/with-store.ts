/**
 * Opening the workspace database for one command, always closed afterwards. Commands that
 * create things use {@link withStore} (makes `.blue/`); read commands use {@link withReadStore},
 * which never creates a file: no database yet reads as an empty one. The connection stays
 * inside the store (or the document index, docs.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_RELATIVE_PATH, DialogueStore, openDatabase } from '../store/index.ts';
import type { CliContext } from './context.ts';
import { ensureWorkspace, findWorkspace, noWorkspaceError } from './workspace.ts';

/**
 * The workspace root and where its database is opened from (`at`: the root, or `':memory:'`).
 * `create` makes `.blue/` and its `.gitignore` when missing; `existing` creates nothing, and
 * says `':memory:'` (an empty database) when the workspace has no database yet (after `blue init`).
 * @throws UserError E_NOT_FOUND for `existing` outside any workspace.
 */
export function workspaceDb(ctx: CliContext, mode: 'create' | 'existing'): { root: string; at: string } {
  const ws = findWorkspace(ctx.cwd);
  if (mode === 'create') {
    ensureWorkspace(ws.root);
    return { root: ws.root, at: ws.root };
  }
  if (ws.found !== 'blue') throw noWorkspaceError(ctx.cwd);
  return { root: ws.root, at: fs.existsSync(path.join(ws.root, DB_RELATIVE_PATH)) ? ws.root : ':memory:' };
}

/**
 * Runs `fn` with the workspace's dialogue store and root, closing it after. `create` makes the
 * workspace and database when missing; `existing` (resume) creates nothing.
 * @throws UserError E_NOT_FOUND for `existing` outside any workspace.
 */
export async function withStore<T>(ctx: CliContext, fn: (store: DialogueStore, root: string) => Promise<T>, mode: 'create' | 'existing' = 'create'): Promise<T> {
  const { root, at } = workspaceDb(ctx, mode);
  const store = new DialogueStore(openDatabase(at));
  try {
    return await fn(store, root);
  } finally {
    store.close();
  }
}

/**
 * Runs `fn` with an existing workspace's store and root; creates nothing (see {@link openExistingDb}).
 * @throws UserError E_NOT_FOUND outside any workspace.
 */
export function withReadStore<T>(ctx: CliContext, fn: (store: DialogueStore, root: string) => T): T {
  const { root, at } = workspaceDb(ctx, 'existing');
  const store = new DialogueStore(openDatabase(at));
  try {
    return fn(store, root);
  } finally {
    store.close();
  }
}
