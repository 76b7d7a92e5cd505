/** Panel rotation modes, in a module of their own so the CLI can list them without loading the orchestrator. */
export const ROTATION_MODES = ['graduated', 'wildcards', 'full', 'none'] as const;

/** One of {@link ROTATION_MODES}. */
export type Rotation = (typeof ROTATION_MODES)[number];
