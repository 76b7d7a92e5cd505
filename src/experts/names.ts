/**
 * Pastry names for panel members (blue spec §6.3, ADR 0014): a fixed ordered list, then
 * `Pastry21`, `Pastry22`, … once the list is exhausted. Names encode sample order, not role.
 */

/** The fixed ordered pastry list (20 names). */
export const PASTRY_NAMES: readonly string[] = Object.freeze([
  'Muffin',
  'Cupcake',
  'Scone',
  'Eclair',
  'Donut',
  'Brioche',
  'Croissant',
  'Macaron',
  'Cannoli',
  'Strudel',
  'Beignet',
  'Churro',
  'Profiterole',
  'Tartlet',
  'Galette',
  'Palmier',
  'Kouign',
  'Sfogliatella',
  'Financier',
  'Religieuse',
]);

export { EXPERT_EMOJI } from '../core/index.ts';

const LOWER_NAMES = new Set(PASTRY_NAMES.map((n) => n.toLowerCase()));
const OVERFLOW = /^pastry(\d+)$/i;

/**
 * First pastry name not in `used` (compared case-insensitively), in list order; after the
 * 20 fixed names, `Pastry21`, `Pastry22`, …. Does not mutate `used`.
 */
export function nextPastryName(used: ReadonlySet<string>): string {
  const taken = new Set([...used].map((n) => n.toLowerCase()));
  for (const name of PASTRY_NAMES) if (!taken.has(name.toLowerCase())) return name;
  for (let i = PASTRY_NAMES.length + 1; ; i++) {
    const name = `Pastry${i}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** True for a fixed pastry name or an overflow `PastryNN` (N ≥ 21), any casing. */
export function isPastryName(name: string): boolean {
  if (LOWER_NAMES.has(name.toLowerCase())) return true;
  const m = OVERFLOW.exec(name);
  return m !== null && Number(m[1]) > PASTRY_NAMES.length && !m[1]!.startsWith('0');
}
