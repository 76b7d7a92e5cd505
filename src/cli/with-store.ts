/** Opening the workspace database for one command, always closed afterwards. */
import { DialogueStore, openDatabase } from '../store/index.ts';
import type { CliContext } from './context.ts';

/** Runs `fn` with the workspace's dialogue store, closing it after. */
export async function withStore<T>(ctx: CliContext, fn: (store: DialogueStore) => Promise<T>): Promise<T> {
  const store = new DialogueStore(openDatabase(ctx.cwd));
  try {
    return await fn(store);
  } finally {
    store.db.close();
  }
}

/** Synchronous {@link withStore}. */
export function withStoreSync<T>(ctx: CliContext, fn: (store: DialogueStore) => T): T {
  const store = new DialogueStore(openDatabase(ctx.cwd));
  try {
    return fn(store);
  } finally {
    store.db.close();
  }
}
