/**
 * The panel of a recorded inline dialogue: the table whose header has a name column (Agent,
 * Expert, Name) and a Role, Domain, Tier or ID column, else the `**Participants**:` line; and
 * the small text helpers the record parser shares.
 */
import type { Paragraph, Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { EXPERT_EMOJI } from '../core/index.ts';

/** Emoji and their modifiers, stripped from names. */
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D]/gu;
/** The judge's emoji in blue's records; every expert wears 🧁. */
export const JUDGE_EMOJI = '💙';
export { EXPERT_EMOJI };
/** Words that make a heading or label the judge's or facilitator's, never an expert's. */
export const JUDGE_WORDS = /\b(judge|facilitator|moderator|orchestrator|scoreboard|summary|synthesis|convergence|converged|verdict|decisions?|vote|tensions tracker|perspectives inventory)\b/i;

/** One seat of the record's panel. */
export interface RecordSeat {
  /** Lowercase file stem in our layout (`muffin`; `alex` for "Alex Chen" when the first name is unique). */
  name: string;
  /** The name as the record writes it (`Muffin`, `Alex Chen`). */
  display: string;
  role?: string;
  /** As written (`Core`, `Adjacent`, `Wildcard`); absent when the record gives none. */
  tier?: string;
  relevance?: number;
  emoji?: string;
  /** The panel table's perspective/focus column. */
  focus?: string;
  /** The panel table's ID column (`DS`, `A`): speakers may be labelled by it. */
  id?: string;
}

/** The panel: the panel table, else the `**Participants**:` line, else none (speakers are added as seen). */
export function readPanel(root: Root): RecordSeat[] {
  const table = root.children.find((n): n is Table => n.type === 'table' && panelColumns(n) !== undefined);
  if (table) return seatsFromTable(table);
  const participants = root.children.find((n): n is Paragraph => n.type === 'paragraph' && /^participants\b/i.test(labelOf(n) ?? ''));
  if (!participants) return [];
  const list = toString(participants).replace(/^[^:]*:\s*/, '');
  return list
    .split(/[,|]/)
    .filter((s) => !s.includes(JUDGE_EMOJI))
    .map((s) => clean(s))
    .filter((s) => s !== '' && !JUDGE_WORDS.test(s))
    .map((display) => ({ name: '', display, emoji: EXPERT_EMOJI }));
}

interface Columns {
  name: number;
  role?: number;
  tier?: number;
  relevance?: number;
  emoji?: number;
  focus?: number;
  id?: number;
}

function panelColumns(table: Table): Columns | undefined {
  const header = (table.children[0]?.children ?? []).map((c) => toString(c).trim().toLowerCase());
  const find = (re: RegExp) => {
    const i = header.findIndex((h) => re.test(h));
    return i === -1 ? undefined : i;
  };
  const name = find(/^(agent|expert|name|persona|member)$/);
  const role = find(/^(role|domain|expertise)$/);
  const tier = find(/^tier$/);
  const id = find(/^id$/);
  if (name === undefined || (role === undefined && tier === undefined && id === undefined)) return undefined;
  return { name, ...optional('role', role), ...optional('tier', tier), ...optional('id', id), ...optional('relevance', find(/^relevance$/)), ...optional('emoji', find(/^emoji$/)), ...optional('focus', find(/^(perspective|focus)$/)) };
}

function seatsFromTable(table: Table): RecordSeat[] {
  const cols = panelColumns(table)!;
  const seats: RecordSeat[] = [];
  for (const row of table.children.slice(1)) {
    const cell = (i: number | undefined) => (i === undefined ? undefined : toString(row.children[i] ?? { type: 'text', value: '' }).trim());
    const id = cell(cols.id) || undefined;
    // `| ID | Expert | Perspective |` with no role column: the expert column is the role, the ID the name.
    const byId = id !== undefined && cols.role === undefined;
    const raw = (byId ? id : cell(cols.name)) ?? '';
    const role = byId ? cell(cols.name) : cell(cols.role);
    const emoji = cell(cols.emoji) || raw.match(EMOJI)?.[0];
    if (raw.includes(JUDGE_EMOJI) || emoji === JUDGE_EMOJI || /^(orchestrator|judge|facilitator)$/i.test(role ?? '')) continue;
    const display = clean(raw);
    if (display === '') continue;
    const tier = cell(cols.tier);
    const relevance = Number(cell(cols.relevance));
    seats.push({
      name: '',
      display,
      ...optional('role', role || undefined),
      ...optional('tier', tier && /^(core|adjacent|wildcard)$/i.test(tier) ? tier : undefined),
      ...optional('relevance', Number.isFinite(relevance) && cell(cols.relevance) ? relevance : undefined),
      ...optional('emoji', emoji),
      ...optional('focus', cell(cols.focus) || undefined),
      ...optional('id', byId ? undefined : id),
    });
  }
  return seats;
}

/** The panel, with names resolved by full name, unique first name or file stem. */
export class Panel {
  readonly seats: RecordSeat[] = [];
  private readonly byAlias = new Map<string, RecordSeat>();
  /** True when the record names its panel (table or participants line): only those speak. */
  readonly closed: boolean;

  constructor(seats: RecordSeat[]) {
    this.closed = seats.length > 0;
    for (const s of seats) this.add(s);
  }

  find(display: string): RecordSeat | undefined {
    return this.byAlias.get(clean(display).toLowerCase());
  }

  add(seat: RecordSeat): RecordSeat {
    const first = seat.display.split(/\s+/)[0]!.toLowerCase();
    const firstTaken = this.seats.some((s) => s.display.split(/\s+/)[0]!.toLowerCase() === first);
    const stem = slug(seat.display);
    const name = !firstTaken && /^[a-z0-9]+$/.test(slug(first)) ? slug(first) : stem;
    const placed = { ...seat, name };
    this.seats.push(placed);
    const aliases = [seat.display.toLowerCase(), name, ...(firstTaken ? [] : [first]), ...(seat.id ? [seat.id.toLowerCase()] : [])];
    for (const alias of aliases) if (!this.byAlias.has(alias)) this.byAlias.set(alias, placed);
    return placed;
  }
}

/** Text of a paragraph's leading `**label**` including a `:` right after it, or undefined. */
export function labelOf(node: Paragraph): string | undefined {
  const first = node.children[0];
  if (first?.type !== 'strong') return undefined;
  const inner = toString(first).trim();
  const next = node.children[1];
  const after = next?.type === 'text' ? next.value : '';
  if (inner.endsWith(':')) return inner;
  if (after.startsWith(':')) return `${inner}:`;
  return node.children.length === 1 ? inner : undefined;
}

/** Text without emoji, `*` and repeated spaces. */
export function clean(text: string): string {
  return text.replace(EMOJI, '').replace(/\*+/g, '').replace(/\s+/g, ' ').trim();
}

function slug(text: string): string {
  return clean(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `{ key: value }`, or `{}` when value is undefined (exactOptionalPropertyTypes-friendly). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
