/**
 * Opening the workspace database for one command, always closed afterwards. Commands that
 * create things use {@link withStore} (makes `.blue/`); read commands use {@link withReadStore},
 * which never creates a file: no database yet reads as an empty one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_RELATIVE_PATH, type Db, DialogueStore, openDatabase } from '../store/index.ts';
import type { CliContext } from './context.ts';
import { ensureWorkspace, findWorkspace, noWorkspaceError } from './workspace.ts';

/** Opens (creating `.blue/`, its `.gitignore` and the database when missing) the workspace database. */
export function openWorkspaceDb(ctx: CliContext): { db: Db; root: string } {
  const { root } = findWorkspace(ctx.cwd);
  ensureWorkspace(root);
  return { db: openDatabase(root), root };
}

/**
 * Opens the database of an existing workspace without creating anything; an in-memory empty
 * one when the workspace has no database yet (after `blue init`).
 * @throws UserError E_NOT_FOUND outside any workspace.
 */
export function openExistingDb(ctx: CliContext): { db: Db; root: string } {
  const ws = findWorkspace(ctx.cwd);
  if (ws.found !== 'blue') throw noWorkspaceError(ctx.cwd);
  const exists = fs.existsSync(path.join(ws.root, DB_RELATIVE_PATH));
  return { db: openDatabase(exists ? ws.root : ':memory:'), root: ws.root };
}

/**
 * Runs `fn` with the workspace's dialogue store and root, closing it after. `create` makes the
 * workspace and database when missing; `existing` (resume) creates nothing.
 * @throws UserError E_NOT_FOUND for `existing` outside any workspace.
 */
export async function withStore<T>(ctx: CliContext, fn: (store: DialogueStore, root: string) => Promise<T>, mode: 'create' | 'existing' = 'create'): Promise<T> {
  const { db, root } = mode === 'create' ? openWorkspaceDb(ctx) : openExistingDb(ctx);
  const store = new DialogueStore(db);
  try {
    return await fn(store, root);
  } finally {
    db.close();
  }
}

/**
 * Runs `fn` with an existing workspace's store and root; creates nothing (see {@link openExistingDb}).
 * @throws UserError E_NOT_FOUND outside any workspace.
 */
export function withReadStore<T>(ctx: CliContext, fn: (store: DialogueStore, root: string) => T): T {
  const { db, root } = openExistingDb(ctx);
  try {
    return fn(new DialogueStore(db), root);
  } finally {
    db.close();
  }
}
