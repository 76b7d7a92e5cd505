/** The experts module: pools, panel sampling, pastry names, prompts and the marker grammar. */
export * from './types.ts';
export * from './names.ts';
export * from './pool.ts';
export * from './sampling.ts';
export * from './markers.ts';
export * from './prompt.ts';
