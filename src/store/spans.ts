/**
 * Text stored as a span of an answer: a perspective's body, a tension's resolution, an event's
 * text are usually cut verbatim out of the expert's answer, so a row keeps (`_at`, `_len`) in
 * code points into that answer instead of a copy (migration 012), and reads splice it back.
 */
import { codePoints } from './prompt-parts.ts';

/** Texts shorter than this stay literal: two integers would save little. */
export const MIN_SPAN = 8;

/** Where the tail of a text sits in an answer: 0-based code point offset and length (SQLite's `substr` units). */
export interface Span {
  at: number;
  len: number;
}

/** A stored text: `prefix` (literal), then `span` of the answer (null: all of it is literal). */
export interface SpannedText {
  prefix: string;
  span: Span | null;
}

const isLowSurrogate = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * `text` as a literal prefix and the longest tail of it that occurs verbatim in `answer` (texts
 * such as `label — body` quote the answer after a prefix of their own). Pure; `prefix` plus the
 * span's code points of `answer` is `text` exactly. A tail shorter than MIN_SPAN stays literal.
 */
export function splitSpan(answer: string | undefined, text: string): SpannedText {
  const literal = { prefix: text, span: null };
  if (answer === undefined || text.length < MIN_SPAN) return literal;
  const found = (i: number): boolean => answer.includes(text.slice(i));
  // A tail of a found tail is found too: binary search the earliest start that is.
  let lo = 0;
  let hi = text.length - MIN_SPAN;
  if (!found(hi)) return literal;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (found(mid)) hi = mid;
    else lo = mid + 1;
  }
  // Never cut a surrogate pair: its low half alone could match the inside of another pair.
  while (lo < text.length && isLowSurrogate(text, lo)) lo++;
  const tail = text.slice(lo);
  if (tail.length < MIN_SPAN) return literal;
  const i = answer.indexOf(tail);
  return { prefix: text.slice(0, lo), span: { at: codePoints(answer.slice(0, i)), len: codePoints(tail) } };
}

/** A row's three stored columns for `text`: the literal (or prefix; null when empty), `_at` and `_len` (null: no span). */
export function spanColumns(answer: string | undefined, text: string): [string | null, number | null, number | null] {
  const { prefix, span } = splitSpan(answer, text);
  return span ? [prefix === '' ? null : prefix, span.at, span.len] : [text, null, null];
}

/**
 * SQL reading text column `col` of table alias `t` back: the literal, or the prefix and the span of
 * the answer of dialogue `idSql`, round `roundSql` and expert `expertSql` (looked up only for a span).
 */
export function spanSql(t: string, col: string, idSql: string, roundSql: string, expertSql: string): string {
  return `CASE WHEN ${t}.${col}_at IS NULL THEN ${t}.${col} ELSE COALESCE(${t}.${col}, '') || COALESCE((SELECT substr(x.text, ${t}.${col}_at + 1, ${t}.${col}_len)
    FROM responses x WHERE x.dialogue_id = ${idSql} AND x.round = ${roundSql} AND x.expert = ${expertSql}), '') END`;
}
