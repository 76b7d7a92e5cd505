export * from './db.ts';
export * from './dialogues.ts';
export type { Migration } from './migrations/index.ts';
export * from './leases.ts';
export * from './document-index.ts';
export * from './notifications.ts';
export * from './realm-cache.ts';
export * from './sessions.ts';
