import { BlueError } from './errors.ts';

/** Finding severities, most to least serious. `note`: recorded for the reader, never a failure. */
export const SEVERITIES = ['error', 'warning', 'note'] as const;
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * What a check reports: one problem, with the rule that found it and where (line/column 1-based).
 * Marker lint, document lint and realm checks all report on it.
 */
export interface Finding<Rule extends string = string> {
  /** `note` (realm check): e.g. a breaking change published under an override. */
  severity: Severity;
  /** Stable rule id, e.g. `unknown-marker`, `broken-link`, `stale-import`. */
  rule: Rule;
  message: string;
  /** Workspace- or realm-relative file, when known. */
  file?: string;
  line?: number;
  column?: number;
}

/**
 * A severity read back from storage.
 * @throws BlueError E_INTERNAL for a value that is not one of {@link SEVERITIES} (Blue wrote it, so the store is damaged).
 */
export function parseSeverity(text: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  throw new BlueError('E_INTERNAL', `stored finding severity "${text}" is not one of ${SEVERITIES.join(', ')}`);
}
