/** Global entity ids: `P{round:02}{seq:02}` / `T{round:02}{seq:02}` (blue RFC 0051). */

/** `globalId('P', 2, 1)` → `P0201`. Sequences above 99 widen rather than collide. */
export function globalId(type: 'P' | 'T' | 'R', round: number, seq: number): string {
  return `${type}${String(round).padStart(2, '0')}${String(seq).padStart(2, '0')}`;
}
