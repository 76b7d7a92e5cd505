export * from './db.ts';
export * from './dialogues.ts';
export type { Migration } from './migrations/index.ts';
export * from './leases.ts';
