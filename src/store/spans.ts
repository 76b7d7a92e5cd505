/**
 * Text stored as a span of an answer: a perspective's body, a tension's resolution, an event's
 * text are usually cut verbatim out of the expert's answer, so a row keeps (`_at`, `_len`) in
 * code points into that answer instead of a copy (migration 012), and reads splice it back.
 */
import { codePoints } from './prompt-parts.ts';

/** Texts shorter than this stay literal: two integers would save little. */
export const MIN_SPAN = 8;

/** Where `text` sits in `answer`: 0-based code point offset and length (SQLite's `substr` units). */
export interface Span {
  at: number;
  len: number;
}

/** The first occurrence of `text` in `answer` as a {@link Span}, or null when absent or too short to be worth it. Pure. */
export function findSpan(answer: string | undefined, text: string): Span | null {
  if (answer === undefined || text.length < MIN_SPAN) return null;
  const i = answer.indexOf(text);
  return i < 0 ? null : { at: codePoints(answer.slice(0, i)), len: codePoints(text) };
}

/** A row's three stored columns for `text`: the literal (null when a span), `_at` and `_len`. */
export function spanColumns(answer: string | undefined, text: string): [string | null, number | null, number | null] {
  const s = findSpan(answer, text);
  return s ? [null, s.at, s.len] : [text, null, null];
}

/**
 * SQL reading text column `col` of table alias `t` back: the literal, or the span of the answer of
 * dialogue `idSql`, round `roundSql` and expert `expertSql` (looked up only for a span).
 */
export function spanSql(t: string, col: string, idSql: string, roundSql: string, expertSql: string): string {
  return `COALESCE(${t}.${col}, (SELECT substr(x.text, ${t}.${col}_at + 1, ${t}.${col}_len) FROM responses x
    WHERE x.dialogue_id = ${idSql} AND x.round = ${roundSql} AND x.expert = ${expertSql}), '')`;
}
