/**
 * Documents (realm engine, part 1): RFC/ADR lifecycle with filename suffixes, numbering under a
 * lock, the SQLite index, lint, templates and dialogue promotion. ARCHITECTURE §9.
 */
export * from './model.ts';
export * from './layout.ts';
export * from './transitions.ts';
export * from './header.ts';
export * from './scan.ts';
export * from './store.ts';
export * from './lock.ts';
export { type DocFs, nodeFs, isGitTracked, Journal } from './journal.ts';
export * from './templates.ts';
export * from './lifecycle.ts';
export * from './lint.ts';
export * from './promote.ts';
export * from './relink.ts';
export * from './records.ts';
export * from './fix-links.ts';
