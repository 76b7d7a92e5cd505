export * from './db.ts';
export type { Migration } from './migrations/index.ts';
