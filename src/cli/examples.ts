import type { Command } from 'commander';
export const EXAMPLES: Record<string, string[]> = {};
export function applyExamples(program: Command): void { void program; }
