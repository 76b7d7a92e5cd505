/**
 * What an expert saw: the id/label rows of the tension and perspective tables printed in the
 * prompt it answered (blue prints `| T01 | **Sync direction** … |`; ours prints global ids).
 */
import { containment, dice, stems } from './lexical.ts';
import type { PlanTension, PlanPerspective } from './types.ts';

/** One table row of a prompt: the id as printed and its label (emphasis stripped). */
export interface PromptRow {
  id: string;
  type: 'P' | 'T';
  label: string;
  line: number;
}

const ROW = /^\s*\|\s*\**\s*([PT])(\d{1,4})\s*\**\s*\|\s*([^|]*)\|/;

/** Rows of every Markdown table in `prompt` whose first cell is a P/T id. Ids normalised (`T1` → `T01`). */
export function promptRows(prompt: string | null): PromptRow[] {
  if (!prompt) return [];
  const rows: PromptRow[] = [];
  prompt.split(/\r?\n/).forEach((line, i) => {
    const m = ROW.exec(line);
    if (!m) return;
    const type = m[1] as 'P' | 'T';
    const digits = m[2]!;
    const id = digits.length <= 2 ? `${type}${digits.padStart(2, '0')}` : `${type}${digits}`;
    const label = m[3]!.replace(/\*\*|__|`/g, '').replace(/\s+[-—–:]\s+.*$/, '').trim();
    rows.push({ id, type, label, line: i + 1 });
  });
  return rows;
}

/** True when the prompt has a table of local ids (`T01`), which then decides bare ids. */
export function hasLocalTable(rows: readonly PromptRow[]): boolean {
  return rows.some((r) => r.id.length === 3);
}

/** A prompt row mapped to a registered entity, with the label similarity (Dice of stems) that decided it. */
export interface RowMapping {
  row: PromptRow;
  target: string | null;
  similarity: number;
}

/** Least share of a row label's stems an entity must contain for the row to map onto it. */
export const ROW_MATCH_THRESHOLD = 0.6;

/**
 * Maps each row to the registered entity it names: a global id as printed, else the entity of
 * that type that contains most of the row label's stems in its label and body (share ≥
 * {@link ROW_MATCH_THRESHOLD}, at least two stems unless the label has one). Ties go to the entity
 * whose registration order is nearest the row's number (blue numbers its tables in that order),
 * then to the closer label by Dice. Judges abbreviate labels in their tables, hence containment.
 */
export function mapRows(rows: readonly PromptRow[], tensions: readonly PlanTension[], perspectives: readonly PlanPerspective[]): RowMapping[] {
  return rows.map((row) => {
    const pool = row.type === 'T' ? tensions : perspectives;
    if (row.id.length === 5) return { row, target: pool.some((e) => e.id === row.id) ? row.id : null, similarity: 1 };
    const rs = stems(row.label);
    const need = Math.min(2, new Set(rs).size);
    const ordinal = Number(row.id.slice(1)) - 1;
    let best: { id: string; s: number; o: number; d: number } | null = null;
    for (const [i, e] of pool.entries()) {
      const c = containment(row.label, `${e.label}\n${e.body}`);
      const s = c.shared >= need ? c.share : 0;
      const o = Math.abs(i - ordinal);
      const d = dice(rs, stems(e.label));
      if (!best || s > best.s || (s === best.s && (o < best.o || (o === best.o && d > best.d)))) best = { id: e.id, s, o, d };
    }
    return best && best.s >= ROW_MATCH_THRESHOLD && best.s > 0 ? { row, target: best.id, similarity: best.s } : { row, target: null, similarity: best?.s ?? 0 };
  });
}
