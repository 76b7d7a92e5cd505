/**
 * A round's synthesis JSON repeats the panel (its evolution and the next panel: roles, focus,
 * reasons) every round, identical while the panel stays. That member run is stored once in
 * `prompt_parts` under its SHA-256, the row keeps the rest and where it goes (migration 012).
 */
import { sha256Hex } from './db.ts';
import { type RunSql, codePoints, partTextSql } from './prompt-parts.ts';

/** Members cut out, in the order `JSON.stringify` of the synthesis writes them; the longest adjacent run that matches is cut. */
const MEMBERS = ['panelEvolution', 'nextPanel'] as const;

/** A synthesis stored cut: `rest` with the part (`hash`, `text`) spliced back at code point `at`. */
export interface CutSynthesis {
  rest: string;
  hash: string;
  text: string;
  at: number;
}

/**
 * Cuts the panel members out of `json` when they appear exactly as `JSON.stringify` writes them
 * (adjacent `"panelEvolution":…,"nextPanel":…`, else `"nextPanel":…` alone); null when they do not
 * or `json` does not parse. Pure: `rest` with `text` at `at` is `json` byte for byte.
 */
export function cutSynthesis(json: string): CutSynthesis | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const obj = parsed as Record<string, unknown>;
  const member = (k: string): string | null => (obj[k] === undefined ? null : `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`);
  const runs = [MEMBERS.map(member), [member('nextPanel')]].map((ms) => (ms.every((m) => m !== null) ? ms.join(',') : null));
  for (const text of runs) {
    if (text === null) continue;
    const i = json.indexOf(text);
    if (i >= 0) return { rest: json.slice(0, i) + json.slice(i + text.length), hash: sha256Hex(text), text, at: codePoints(json.slice(0, i)) };
  }
  return null;
}

/** A `rounds` row's synthesis columns: the literal JSON, or the rest with its part's hash and place. */
export interface SynthesisColumns {
  synthesis_json: string | null;
  synthesis_rest: string | null;
  synthesis_part: string | null;
  synthesis_at: number | null;
}

/**
 * The columns to store synthesis `json` in: cut ({@link cutSynthesis}), its part stored first
 * through `run` unless it exists; else the literal (null stays null).
 */
export function storeSynthesis(run: RunSql, json: string | null): SynthesisColumns {
  const cut = json === null ? null : cutSynthesis(json);
  if (!cut) return { synthesis_json: json, synthesis_rest: null, synthesis_part: null, synthesis_at: null };
  run('INSERT OR IGNORE INTO prompt_parts (hash, text) VALUES (?, ?)', cut.hash, cut.text);
  return { synthesis_json: null, synthesis_rest: cut.rest, synthesis_part: cut.hash, synthesis_at: cut.at };
}

/** SQL of round row `t`'s synthesis JSON: the literal column, or the rest with its part spliced back. */
export const SYNTHESIS_SQL = `COALESCE(t.synthesis_json, CASE WHEN t.synthesis_part IS NOT NULL THEN substr(t.synthesis_rest, 1, t.synthesis_at)
  || ${partTextSql('t.synthesis_part', '(SELECT sp.text FROM prompt_parts sp WHERE sp.hash = t.synthesis_part)')} || substr(t.synthesis_rest, t.synthesis_at + 1) END)`;
