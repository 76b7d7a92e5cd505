/** How a dialogue stands: `open` while it runs; the rest are endings (the verdict's first line names which). */
export type DialogueOutcome =
  | 'open'
  | 'converged'
  | 'forced'
  | 'recording_exhausted'
  | 'budget_exhausted'
  | 'failed'
  | 'cancelled'
  | 'provider_unavailable';
