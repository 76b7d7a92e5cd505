/** What a check reports: one problem, with the rule that found it and where (line/column 1-based). */
export interface Finding<Rule extends string = string> {
  severity: 'error' | 'warning';
  /** Stable rule id, e.g. `unknown-marker`, `broken-link`. */
  rule: Rule;
  message: string;
  /** Workspace- or realm-relative file, when known. */
  file?: string;
  line?: number;
  column?: number;
}
