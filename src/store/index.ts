export * from './db.ts';
// Row types of the tables the domain covers (rounds, experts, perspectives, tensions, tension events)
// stay inside src/store: above it, core's Round, Expert, Perspective, Tension and TensionEvent.
export {
  type DialogueRow,
  type DialogueStatus,
  DialogueStore,
  type LlmCallRow,
  type Ordered,
  type PanelRow,
  type PlanEventRow,
  type RefRow,
  type ResponseRow,
  type RoundChanges,
  type RoundRows,
  type RoundTable,
  type ScoreDbRow,
  type SignalRow,
  type TensionStatus,
  isOpenStatus,
} from './dialogues.ts';
export type { Migration } from './migrations/index.ts';
export * from './leases.ts';
export * from './document-index.ts';
export * from './notifications.ts';
export * from './realm-cache.ts';
export * from './sessions.ts';
