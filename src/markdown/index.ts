/**
 * Generated Markdown documents of a dialogue (ARCHITECTURE §8). Every document is built as
 * mdast and serialised by the one processor, so output is stable under re-parse.
 */
export * from './processor.ts';
export type * from './views.ts';
export { renderRoundSummary } from './round-summary.ts';
export { renderScoreboard } from './scoreboard.ts';
export { renderTensions } from './tensions.ts';
export { renderVerdict } from './verdict.ts';
export { renderRecordedDialogue } from './recorded.ts';
export { parseSummaryMetrics } from './metrics.ts';
export type { SummaryMetrics } from './metrics.ts';
export { embedMarkdown } from './embed.ts';
export { parseDialogueRecord, recordLocation } from './record-parser.ts';
export type { DialogueRecord, JudgeSection, RecordResponse, RecordRound, RecordSeat } from './record-parser.ts';
export * from './builders.ts';
