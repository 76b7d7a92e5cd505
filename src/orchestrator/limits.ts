/** Settings limits the CLI prints without loading the engine (`blue init`'s commented config). */
import type { CallRole, RoleSettings } from './settings.ts';

/** Most experts a round seats (the judge's adjustments allow one per seat). */
export const MAX_PANEL_SIZE = 48;

/** Default answer limits: real expert answers run ~350 words (fixture median); the judge's JSON is longer. */
export const DEFAULT_ROLES: Record<CallRole, RoleSettings> = { expert: { words: 400 }, judge: { words: 2000 } };
