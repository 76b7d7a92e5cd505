export * from './errors.ts';
export * from './ports.ts';
export * from './text.ts';
export * from './outcome.ts';
export * from './fs.ts';
export * from './money.ts';
export * from './score.ts';
