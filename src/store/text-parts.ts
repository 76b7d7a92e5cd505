/**
 * A plan event's JSON detail (a score's tally: `{"expert":"muffin","answered":true,…}`) differs
 * between rows mostly in its first member; the rest repeats across experts and rounds. The rest is
 * stored once in `text_parts` (migration 012), the row keeps the head and the part's id.
 */

/** A detail stored cut: `head` (literal) followed by `tail` (a shared part). */
export interface CutJson {
  head: string;
  tail: string;
}

/** Tails shorter than this stay in the row: a part id and its row would cost about as much. */
const MIN_TAIL = 64;

/**
 * `text` cut after the first member of the JSON object it is, when `JSON.stringify` wrote it that
 * way (no spaces): `{"expert":"muffin",` and the rest. Null for anything else. Pure; `head + tail` is `text`.
 */
export function cutJsonHead(text: string): CutJson | null {
  if (!text.startsWith('{') || text.length < MIN_TAIL * 2) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const first = Object.entries(parsed)[0];
  if (!first) return null;
  const head = `{${JSON.stringify(first[0])}:${JSON.stringify(first[1])},`;
  if (!text.startsWith(head) || text.length - head.length < MIN_TAIL) return null;
  return { head, tail: text.slice(head.length) };
}
