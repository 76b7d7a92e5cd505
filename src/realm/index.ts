export * as documents from './documents/index.ts';
export * as realm from './realm/index.ts';
