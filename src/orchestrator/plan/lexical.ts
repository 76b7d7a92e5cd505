/**
 * `lexical-v1`: offline, deterministic similarity of two entities (label + body), used to merge
 * restatements and to link id-less moves to the tension they name. Tokens are lowercased
 * alphanumeric runs; English stop words (`stopword`) are dropped and the rest Porter-stemmed
 * (`stemmer`). Documented in docs/scoring.md.
 */
import { stemmer } from 'stemmer';
import { eng, removeStopwords } from 'stopword';

/** The rule id recorded with every lexical merge or link. */
export const LEXICAL_RULE = 'lexical-v1';

/** Weight of the label in {@link similarity}; the body (with the label) carries the rest. */
const LABEL_WEIGHT = 0.5;

/** Memo of {@link stems}: the planner compares every entity with every earlier one. */
const STEMS = new Map<string, readonly string[]>();
const STEMS_MAX = 4096;
/** One string per distinct stem, shared by every memo entry: entities repeat most of their words. */
const STEM_STRINGS = new Map<string, string>();

function interned(stem: string): string {
  const hit = STEM_STRINGS.get(stem);
  if (hit !== undefined) return hit;
  STEM_STRINGS.set(stem, stem);
  return stem;
}

/** Stems of `text`, in order (duplicates kept). Memoised (pure). */
export function stems(text: string): readonly string[] {
  const hit = STEMS.get(text);
  if (hit) return hit;
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const out = Object.freeze(
    removeStopwords(words, eng)
      .filter((w) => w.length > 1)
      .map((w) => interned(stemmer(w))),
  );
  if (STEMS.size >= STEMS_MAX) {
    STEMS.clear();
    STEM_STRINGS.clear();
  }
  STEMS.set(text, out);
  return out;
}

/** Dice coefficient of two stem sets, 0..1 (0 when either is empty). */
export function dice(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 || sb.size === 0) return 0;
  let both = 0;
  for (const s of sa) if (sb.has(s)) both++;
  return (2 * both) / (sa.size + sb.size);
}

/** Cosine of two stem bags (term frequencies), 0..1. */
export function cosine(a: readonly string[], b: readonly string[]): number {
  const tf = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ta = tf(a);
  const tb = tf(b);
  let dot = 0;
  for (const [k, v] of ta) dot += v * (tb.get(k) ?? 0);
  const norm = (t: Map<string, number>) => Math.sqrt([...t.values()].reduce((s, v) => s + v * v, 0));
  const d = norm(ta) * norm(tb);
  return d === 0 ? 0 : dot / d;
}

/** Text of an entity as compared. */
export interface Comparable {
  label: string;
  body: string;
}

/**
 * Similarity of two entities, 0..1, rounded to 2 decimals:
 * 0.5 × Dice(label stems) + 0.5 × cosine(label + body stems).
 */
export function similarity(a: Comparable, b: Comparable): number {
  const la = stems(a.label);
  const lb = stems(b.label);
  const s = LABEL_WEIGHT * dice(la, lb) + (1 - LABEL_WEIGHT) * cosine([...la, ...stems(a.body)], [...lb, ...stems(b.body)]);
  return Math.round(s * 100) / 100;
}

/**
 * Share of `label`'s distinct stems that occur in `text`, 0..1: how far `text` names that label.
 * Used to link an id-less concession or resolution to the tension it names.
 */
export function containment(label: string, text: string): { share: number; shared: number } {
  const ls = new Set(stems(label));
  if (ls.size === 0) return { share: 0, shared: 0 };
  const ts = new Set(stems(text));
  let shared = 0;
  for (const s of ls) if (ts.has(s)) shared++;
  return { share: Math.round((shared / ls.size) * 100) / 100, shared };
}
