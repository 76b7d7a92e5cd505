/**
 * What a check reports: one problem, with the rule that found it and where (line/column 1-based).
 * Marker lint, document lint and realm checks all report on it.
 */
export interface Finding<Rule extends string = string> {
  /** `note`: recorded for the reader, never a failure (realm check: a breaking change under an override). */
  severity: 'error' | 'warning' | 'note';
  /** Stable rule id, e.g. `unknown-marker`, `broken-link`, `stale-import`. */
  rule: Rule;
  message: string;
  /** Workspace- or realm-relative file, when known. */
  file?: string;
  line?: number;
  column?: number;
}
