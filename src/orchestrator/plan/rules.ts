/**
 * The bookkeeping rules of the round planner, each a small pure function (issue 8). Rule ids are
 * recorded with every event and documented in docs/scoring.md.
 */
import { isOpenStatus, normaliseLabel, type TensionStatus } from '../../core/index.ts';
import type { MarkerKind } from '../../experts/index.ts';
import { LEXICAL_RULE, containment, similarity } from './lexical.ts';
import type { StatusKind } from './types.ts';

/** An entity as the rules compare it. */
export interface Text {
  id: string;
  label: string;
  body: string;
}

/** A merge decision: which earlier entity, how similar, by which rule. */
export interface MergeHit {
  into: string;
  similarity: number;
  rule: 'same-label' | typeof LEXICAL_RULE;
}

/**
 * The earlier entity `item` restates: the same normalised label (`same-label`), else the most
 * similar one at or above `threshold` (`lexical-v1`; ties → the earliest). Null when none.
 */
export function mergeTarget(item: Omit<Text, 'id'>, earlier: readonly Text[], threshold: number): MergeHit | null {
  const norm = normaliseLabel(item.label);
  const same = norm === '' ? undefined : earlier.find((e) => normaliseLabel(e.label) === norm);
  if (same) return { into: same.id, similarity: 1, rule: 'same-label' };
  const best = nearest(item, earlier);
  return best && best.similarity >= threshold ? { into: best.id, similarity: best.similarity, rule: LEXICAL_RULE } : null;
}

/** The most similar earlier entity (ties → the earliest), whatever the similarity. */
export function nearest(item: Omit<Text, 'id'>, earlier: readonly Text[]): { id: string; similarity: number } | null {
  let best: { id: string; similarity: number } | null = null;
  for (const e of earlier) {
    const s = similarity(item, e);
    if (!best || s > best.similarity) best = { id: e.id, similarity: s };
  }
  return best;
}

/** Why an owner's new tension supersedes an earlier one of theirs. */
export interface SupersedeHit {
  tension: string;
  rule: 'owner-refinement' | 'owner-restatement';
  similarity: number | null;
}

/**
 * An owner's new tension supersedes their own earlier open tension when the same response
 * refines that tension by id (`owner-refinement`, e.g. "[REFINEMENT: Sharpening CROISSANT-T01]"),
 * or when it restates it (lexical-v1 ≥ `threshold`, `owner-restatement`). Only open tensions
 * of the same owner qualify; the most similar wins.
 */
export function supersedes(item: Omit<Text, 'id'>, ownOpen: readonly Text[], refinedIds: ReadonlySet<string>, threshold: number): SupersedeHit[] {
  const refined = ownOpen.filter((t) => refinedIds.has(t.id)).map((t) => ({ tension: t.id, rule: 'owner-refinement' as const, similarity: null }));
  if (refined.length > 0) return refined;
  const best = nearest(item, ownOpen);
  return best && best.similarity >= threshold ? [{ tension: best.id, rule: 'owner-restatement', similarity: best.similarity }] : [];
}

/** A tension an id-less move names, and how. */
export interface NamedHit {
  tension: string;
  rule: 'names-owner-and-label' | 'names-label' | 'names-owner';
  share: number;
}

/** Least share of a tension's label stems a text must contain to name it. */
export const LABEL_SHARE = { alone: 0.5, withOwner: 0.3, minShared: 2 } as const;

/**
 * The open tension an id-less concession (or resolution) answers: the one whose label the text
 * names (≥ half its stems), or whose owner it names — with ≥ 0.3 of the label's stems for
 * `names-owner-and-label`. The writer's own tensions are not candidates for a concession.
 * Best share wins; ties → the latest. Null when nothing is named.
 */
export function namedTension(text: string, candidates: readonly (Text & { owner: string })[]): NamedHit | null {
  let best: NamedHit | null = null;
  for (const t of candidates) {
    const c = containment(t.label, text);
    const owner = new RegExp(`\\b${t.owner}\\b`, 'i').test(text);
    const enough = c.shared >= LABEL_SHARE.minShared;
    const rule = owner && enough && c.share >= LABEL_SHARE.withOwner ? 'names-owner-and-label' : enough && c.share >= LABEL_SHARE.alone ? 'names-label' : owner ? 'names-owner' : null;
    if (!rule) continue;
    const hit: NamedHit = { tension: t.id, rule, share: c.share };
    if (!best || rank(hit) >= rank(best)) best = hit;
  }
  return best;
}

function rank(h: NamedHit): number {
  return (h.rule === 'names-owner-and-label' ? 2 : h.rule === 'names-label' ? 1 : 0) + h.share;
}

/**
 * The status change a move makes on a tension in `status`, or null (no change): RESOLVED and
 * ACCEPTED close an open tension, DEFERRED defers it, a CHALLENGE reopens a closed one.
 */
export function statusChange(kind: MarkerKind, status: TensionStatus): StatusKind | null {
  const open = isOpenStatus(status);
  if (kind === 'resolved') return open || status === 'deferred' ? 'resolve' : null;
  if (kind === 'accepted') return open || status === 'deferred' ? 'accept' : null;
  if (kind === 'deferred') return open ? 'defer' : null;
  if (kind === 'challenge') return status === 'resolved' || status === 'accepted' || status === 'deferred' ? 'reopen' : null;
  return null;
}

/** The store's tension event for each status change (its status comes from `statusOf`). */
export const EVENT_OF: Readonly<Record<StatusKind, 'resolved' | 'accepted' | 'deferred' | 'reopened' | 'superseded'>> = Object.freeze({
  resolve: 'resolved',
  accept: 'accepted',
  defer: 'deferred',
  reopen: 'reopened',
  supersede: 'superseded',
});
