/**
 * A round's shared prompt prefix embeds the previous round's answers verbatim. Stored as is, a
 * dialogue's database holds every answer twice; instead a part is stored as pieces: literal text
 * followed by a slice of a stored response (content-addressed by where it lives). Reading splices
 * the slices back in SQL (`PART_TEXT`), so every prompt reads back byte for byte.
 */
import { sha256Hex } from './db.ts';

/** A response whose text a part may reference. */
export interface ReferenceableResponse {
  dialogue_id: string;
  round: number;
  expert: string;
  text: string;
}

/** One piece of a stored part: `literal`, then `len` code points of a response's text from code point `start`. */
export interface PartPiece {
  literal: string;
  dialogue_id: string;
  round: number;
  expert: string;
  start: number;
  len: number;
}

/** Slices shorter than this stay literal: a reference costs a row. */
const MIN_SLICE = 200;

/** Number of code points in `s` (SQLite's `substr` counts those, not UTF-16 units). */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      n--;
      i++;
    }
  }
  return n;
}

/**
 * Cuts each response's trimmed text, where `text` contains it verbatim, out of `text`: returns the
 * pieces (in order) and the literal tail after the last one. Pure; `text` is rebuilt exactly by
 * concatenating each piece's literal and slice, then the tail.
 */
export function cutReferences(text: string, responses: readonly ReferenceableResponse[]): { pieces: PartPiece[]; tail: string } {
  const found: { at: number; end: number; r: ReferenceableResponse; start: number; len: number }[] = [];
  for (const r of responses) {
    const trimmed = r.text.trim();
    if (trimmed.length < MIN_SLICE) continue;
    const at = text.indexOf(trimmed);
    if (at < 0) continue;
    const lead = r.text.length - r.text.trimStart().length;
    found.push({ at, end: at + trimmed.length, r, start: codePoints(r.text.slice(0, lead)), len: codePoints(trimmed) });
  }
  found.sort((a, b) => a.at - b.at);
  const pieces: PartPiece[] = [];
  let last = 0;
  for (const f of found) {
    if (f.at < last) continue;
    pieces.push({ literal: text.slice(last, f.at), dialogue_id: f.r.dialogue_id, round: f.r.round, expert: f.r.expert, start: f.start, len: f.len });
    last = f.end;
  }
  return { pieces, tail: text.slice(last) };
}

/** SQL of a part's whole text, for the part hash in `hashSql`: its head part's text, its pieces (literal and slice), then the stored tail. */
export function partTextSql(hashSql: string, tailSql: string): string {
  return `(COALESCE((SELECT hd.text FROM prompt_parts hp JOIN prompt_parts hd ON hd.hash = hp.head WHERE hp.hash = ${hashSql}), '')
    || COALESCE((SELECT group_concat(pc.literal || COALESCE(substr(x.text, pc.start + 1, pc.len), ''), '' ORDER BY pc.seq)
      FROM prompt_part_pieces pc LEFT JOIN responses x ON x.dialogue_id = pc.dialogue_id AND x.round = pc.round AND x.expert = pc.expert
      WHERE pc.hash = ${hashSql}), '') || ${tailSql})`;
}

/** Runs one write statement (the store's counted `run`, or a migration's connection). */
export type RunSql = (sql: string, ...args: unknown[]) => { changes: number };

/** A head shorter than this is left in its part: a head row and its hash would cost about as much. */
export const MIN_HEAD = 200;

/**
 * Stores a part under `hash` unless it exists: its pieces referencing `responses()` (read only for a new part), and its tail.
 * When `text` begins with `head` (the stable head, the same every round), the head is its own part, stored once,
 * and this part keeps only the rest. The referenced rows are answers (never overwritten), so the part reads back unchanged.
 */
export function storePart(run: RunSql, hash: string, text: string, responses: () => readonly ReferenceableResponse[], head?: string): void {
  const split = head !== undefined && head.length >= MIN_HEAD && text.startsWith(head) ? head : undefined;
  const rest = split === undefined ? text : text.slice(split.length);
  const headHash = split === undefined ? null : sha256Hex(split);
  // The head first: the part references it.
  if (split !== undefined) run('INSERT OR IGNORE INTO prompt_parts (hash, text) VALUES (?, ?)', headHash, split);
  if (run('INSERT OR IGNORE INTO prompt_parts (hash, text, head) VALUES (?, ?, ?)', hash, rest, headHash).changes === 0) return;
  writePieces(run, hash, rest, responses());
}

/** Replaces a stored part's text by its pieces and tail (migration 008 moves existing parts with it). */
export function writePieces(run: RunSql, hash: string, text: string, responses: readonly ReferenceableResponse[]): void {
  const { pieces, tail } = cutReferences(text, responses);
  if (pieces.length === 0) return;
  pieces.forEach((p, seq) =>
    run('INSERT INTO prompt_part_pieces (hash, seq, literal, dialogue_id, round, expert, start, len) VALUES (?,?,?,?,?,?,?,?)', hash, seq, p.literal, p.dialogue_id, p.round, p.expert, p.start, p.len),
  );
  run('UPDATE prompt_parts SET text = ? WHERE hash = ?', tail, hash);
}
