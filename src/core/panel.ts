/**
 * Panel shapes shared across folders: experts builds panels, orchestrator runs them and markdown
 * renders them, so they live below all three.
 */

/** Pool tiers (blue's three, case-insensitive on input, canonical casing here), in display order. */
export const TIERS = Object.freeze(['Core', 'Adjacent', 'Wildcard'] as const);

/** Pool tier: one of {@link TIERS}. */
export type Tier = (typeof TIERS)[number];

/** How a panel member came to sit in a round. */
export const PANEL_SOURCES = Object.freeze(['retained', 'pool', 'created'] as const);

/** One of {@link PANEL_SOURCES}. */
export type PanelSource = (typeof PANEL_SOURCES)[number];

/** A panel member: a pool role bound to a stable pastry name for the whole dialogue. */
export interface PanelMember {
  /** Pastry name, capitalised: `Muffin`. Lowercase form is the file stem and DB slug. */
  name: string;
  role: string;
  tier: Tier;
  relevance: number;
  source: PanelSource;
  focus?: string;
}

/** Every expert wears the same emoji in blue; the judge is 💙. */
export const EXPERT_EMOJI = '🧁';
