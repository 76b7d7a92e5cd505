/**
 * Reading a recorded inline dialogue (`*.dialogue.recorded.md`, the seeds `003_…`/`004_…`
 * family, and our own records) back into rounds of expert responses.
 *
 * Structure recognised (all on the mdast of the one processor, so code fences never count):
 * - the panel: the first table whose header has a name column (Agent, Expert, Name) and a
 *   Role, Domain or Tier column; else the `**Participants**:` line; else the speakers seen;
 * - rounds: `## Round N…` or `## … (Round N)` headings, renumbered 0, 1, … in file order;
 * - speakers: `### 🧁 Name`, `### Name 🧁`, `### 🧁 Name (Role)` headings, or a paragraph led by
 *   `**Name (Role):**` / `**Name:**` / `**A + B (joint):**` naming panel members;
 * - judge sections: `💙` headings, and headings or labels naming the judge, facilitator,
 *   scoreboard, summary, synthesis, convergence, decision, vote or verdict. They are kept
 *   apart and never become responses.
 */
import type { Heading, Paragraph, Root, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parseMarkdown } from './processor.ts';

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

/** One expert's contribution to a round (several turns of one speaker are joined). */
export interface RecordResponse {
  /** {@link RecordSeat.name} of the speaker. */
  expert: string;
  /** Markdown exactly as in the file, from after the speaker's heading or label. */
  text: string;
  /** 1-based line of the file where the response (its first turn) starts. */
  line: number;
  /** `lineMap[i]` = file line of line `i + 1` of `text`. */
  lineMap: number[];
  /** `columnShift[i]` = columns to add on line `i + 1` of `text` (a turn may start mid-line). */
  columnShift: number[];
}

/** One round of the record. */
export interface RecordRound {
  /** 0-based position among the record's rounds (our `round-N`). */
  index: number;
  /** The number the record's heading gives (`Round 1` → 1). */
  number: number;
  title: string;
  /** 1-based line of the round heading. */
  line: number;
  responses: RecordResponse[];
}

/** A judge or facilitator section, kept apart from the experts. */
export interface JudgeSection {
  title: string;
  line: number;
}

/** A parsed record. */
export interface DialogueRecord {
  title: string;
  question?: string;
  panel: RecordSeat[];
  rounds: RecordRound[];
  judgeSections: JudgeSection[];
}

const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D]/gu;
const JUDGE_EMOJI = '💙';
const EXPERT_EMOJI = '🧁';
const JUDGE_WORDS = /\b(judge|facilitator|moderator|orchestrator|scoreboard|summary|synthesis|convergence|converged|verdict|decisions?|vote|tensions tracker|perspectives inventory)\b/i;
const JUDGE_LABEL = /^(judge|facilitator|moderator|decision\b.*|vote|summary|scoreboard|convergence|verdict)$/i;
const ROUND_START = /^round\s+(\d+)\b/i;
const ROUND_PAREN = /\(round\s+(\d+)\)/i;
const NAME_ROLE = /^(.+?)\s*(?:\(([^)]*)\))?\s*:?\s*$/;

/** Parses a recorded inline dialogue. Never throws: an unreadable record has no rounds. */
export function parseDialogueRecord(markdown: string): DialogueRecord {
  const root = parseMarkdown(markdown);
  const panel = new Panel(readPanel(root));
  const walker = new Walker(markdown, panel);
  for (const node of root.children) walker.visit(node);
  walker.close();
  return {
    title: readTitle(root),
    ...optional('question', readQuestion(root)),
    panel: panel.seats,
    rounds: walker.rounds.map((r, index) => ({ ...r, index })),
    judgeSections: walker.judgeSections,
  };
}

/** Maps a position in a response's text to the record file (1-based line and column). */
export function recordLocation(response: RecordResponse, line: number, column: number): { line: number; column: number } {
  const i = Math.min(Math.max(line, 1), response.lineMap.length) - 1;
  return { line: response.lineMap[i] ?? response.line, column: column + (response.columnShift[i] ?? 0) };
}

// --- panel -----------------------------------------------------------------------------------

function readPanel(root: Root): RecordSeat[] {
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
class Panel {
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

// --- walking the document --------------------------------------------------------------------

interface Turn {
  seats: RecordSeat[];
  /** Offset where the turn's text starts; `end` grows as blocks are added. */
  start: number;
  end: number;
  line: number;
  column: number;
  /** Started by a `### Name` heading: only a heading ends it (labels inside are the expert's). */
  byHeading: boolean;
}

class Walker {
  readonly rounds: Omit<RecordRound, 'index'>[] = [];
  readonly judgeSections: JudgeSection[] = [];
  private round: Omit<RecordRound, 'index'> | undefined;
  private turn: Turn | undefined;
  private readonly turns = new Map<Omit<RecordRound, 'index'>, Turn[]>();

  constructor(
    private readonly source: string,
    private readonly panel: Panel,
  ) {}

  visit(node: RootContent): void {
    if (node.type === 'heading') return this.heading(node);
    if (!this.round) return;
    if (node.type === 'paragraph' && !this.turn?.byHeading) {
      const label = this.label(node);
      if (label === 'judge') return this.judge(toString(node).split(/[:\n]/)[0]!.trim(), node);
      if (label) return this.startTurn(label.seats, label.start, node);
    }
    // A trailing `---` separates speakers; one inside a response is kept by the next block.
    if (this.turn && node.position && node.type !== 'thematicBreak') this.turn.end = node.position.end.offset ?? this.turn.end;
  }

  close(): void {
    this.endTurn();
    for (const [round, turns] of this.turns) round.responses = joinTurns(this.source, turns);
  }

  private heading(node: Heading): void {
    const title = toString(node).trim();
    if (node.depth >= 4) {
      if (this.turn && node.position) this.turn.end = node.position.end.offset ?? this.turn.end;
      return;
    }
    this.endTurn();
    const n = node.depth <= 2 ? roundNumber(title) : undefined;
    if (n !== undefined) {
      this.round = { number: n, title, line: line(node), responses: [] };
      this.rounds.push(this.round);
      this.turns.set(this.round, []);
      return;
    }
    if (node.depth <= 2) this.round = undefined;
    if (title.includes(JUDGE_EMOJI) || JUDGE_WORDS.test(title)) return this.judge(title, node);
    if (!this.round || node.depth !== 3) return;
    const seat = this.speakerOf(title, title.includes(EXPERT_EMOJI));
    if (seat && node.position) this.startTurnAt([seat], node.position.end.offset ?? 0, true);
  }

  private judge(title: string, node: RootContent): void {
    this.endTurn();
    this.judgeSections.push({ title: clean(title), line: line(node) });
  }

  /** A paragraph led by a `**label:**`: a judge label, a speaker label, or neither. */
  private label(node: Paragraph): 'judge' | { seats: RecordSeat[]; start: number } | undefined {
    const text = labelOf(node);
    const strong = node.children[0];
    if (text === undefined || strong?.type !== 'strong' || !strong.position) return undefined;
    const bare = text.replace(/:\s*$/, '').trim();
    if (JUDGE_LABEL.test(clean(bare))) return 'judge';
    const m = NAME_ROLE.exec(bare);
    const names = (m?.[1] ?? '').split(/\s+(?:\+|&|and)\s+/);
    const seats = names.map((n) => this.speakerOf(m?.[2] ? `${n} (${m[2]})` : n, false)).filter((s): s is RecordSeat => s !== undefined);
    if (seats.length === 0 || seats.length !== names.length) return undefined;
    let start = strong.position.end.offset ?? 0;
    while (start < this.source.length && /[:\s]/.test(this.source[start]!) && this.source[start] !== '\n') start++;
    return { seats, start };
  }

  /** The seat `title` names (`🧁 Muffin`, `Alex Chen (Distributed Systems)`), adding it when the panel is open. */
  private speakerOf(title: string, expertEmoji: boolean): RecordSeat | undefined {
    if (title.includes(JUDGE_EMOJI)) return undefined;
    const m = NAME_ROLE.exec(clean(title));
    const name = m?.[1] ?? '';
    const known = this.panel.find(name);
    if (known) return known;
    const plausible = /^\p{Lu}[\p{L}'-]*(?: \p{Lu}[\p{L}'-]*){0,2}$/u.test(name) && !JUDGE_WORDS.test(name);
    if (!plausible || (this.panel.closed && !expertEmoji) || (!expertEmoji && !m?.[2])) return undefined;
    return this.panel.add({ name: '', display: name, ...optional('role', m?.[2]), ...(expertEmoji ? { emoji: EXPERT_EMOJI } : {}) });
  }

  private startTurn(seats: RecordSeat[], start: number, node: Paragraph): void {
    this.startTurnAt(seats, start, false);
    if (this.turn && node.position) this.turn.end = node.position.end.offset ?? start;
  }

  private startTurnAt(seats: RecordSeat[], start: number, byHeading: boolean): void {
    this.endTurn();
    const pos = positionOf(this.source, start);
    this.turn = { seats, start, end: start, line: pos.line, column: pos.column, byHeading };
  }

  private endTurn(): void {
    if (this.turn && this.round) this.turns.get(this.round)!.push(this.turn);
    this.turn = undefined;
  }
}

/** One response per speaker, in order of first appearance; repeated turns are joined by a blank line. */
function joinTurns(source: string, turns: Turn[]): RecordResponse[] {
  const out = new Map<string, RecordResponse>();
  for (const t of turns) {
    const raw = source.slice(t.start, t.end);
    // Leading blank lines after a heading are not part of the text.
    const lead = /^[ \t]*(?:\r?\n)+/.exec(raw)?.[0] ?? '';
    const text = raw.slice(lead.length).replace(/\s+$/, '');
    const firstLine = t.line + (lead.match(/\n/g)?.length ?? 0);
    const shift = lead === '' ? t.column - 1 : 0;
    const count = text.split('\n').length;
    const lineMap = Array.from({ length: count }, (_, i) => firstLine + i);
    const columnShift = lineMap.map((_, i) => (i === 0 ? shift : 0));
    for (const seat of t.seats) {
      const prev = out.get(seat.name);
      if (!prev) {
        out.set(seat.name, { expert: seat.name, text, line: firstLine, lineMap: [...lineMap], columnShift: [...columnShift] });
        continue;
      }
      prev.text = `${prev.text}\n\n${text}`;
      prev.lineMap.push(prev.lineMap.at(-1) ?? firstLine, ...lineMap);
      prev.columnShift.push(0, ...columnShift);
    }
  }
  return [...out.values()].filter((r) => r.text.trim() !== '');
}

// --- small readers ---------------------------------------------------------------------------

function roundNumber(title: string): number | undefined {
  const t = clean(title);
  const start = ROUND_START.exec(t);
  if (start) return Number(start[1]);
  if (JUDGE_WORDS.test(t) || title.includes(JUDGE_EMOJI)) return undefined;
  const paren = ROUND_PAREN.exec(t);
  return paren ? Number(paren[1]) : undefined;
}

/** Text of a paragraph's leading `**label**` including a `:` right after it, or undefined. */
function labelOf(node: Paragraph): string | undefined {
  const first = node.children[0];
  if (first?.type !== 'strong') return undefined;
  const inner = toString(first).trim();
  const next = node.children[1];
  const after = next?.type === 'text' ? next.value : '';
  if (inner.endsWith(':')) return inner;
  if (after.startsWith(':')) return `${inner}:`;
  return node.children.length === 1 ? inner : undefined;
}

/** The text after a paragraph's leading label, up to the next `**Label:**` of the same paragraph. */
function labelledValue(p: Paragraph): string {
  const rest: string[] = [];
  for (const [i, child] of p.children.entries()) {
    if (i === 0) continue;
    const next = p.children[i + 1];
    const isLabel = child.type === 'strong' && (toString(child).trim().endsWith(':') || (next?.type === 'text' && next.value.startsWith(':')));
    if (isLabel) break;
    rest.push(toString(child));
  }
  return rest.join('').replace(/^\s*:\s*/, '').replace(/\s+/g, ' ').trim();
}

/** The second cell of a header table row whose first cell matches `key` (`| Topic | … |`). */
function tableValue(nodes: RootContent[], key: RegExp): string {
  for (const table of nodes.filter((n): n is Table => n.type === 'table')) {
    for (const row of table.children) {
      const [k, v] = row.children;
      if (k && v && key.test(toString(k).replace(/\*+/g, '').trim())) return toString(v).trim();
    }
  }
  return '';
}

function readTitle(root: Root): string {
  const h1 = root.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  return h1 ? toString(h1).replace(/^(?:alignment|rfc)?\s*dialogue:\s*/i, '').trim() : '';
}

/** The `**Question…**:` or `**Purpose:**` line before the first round, else the title. */
function readQuestion(root: Root): string | undefined {
  const firstRound = root.children.findIndex((n) => n.type === 'heading' && n.depth <= 2 && roundNumber(toString(n)) !== undefined);
  const header = firstRound === -1 ? root.children : root.children.slice(0, firstRound);
  for (const re of [/^question\b/i, /^topic\b/i, /^purpose\b/i]) {
    const p = header.find((n): n is Paragraph => n.type === 'paragraph' && re.test(labelOf(n) ?? ''));
    const q = p ? labelledValue(p) : tableValue(header, re);
    if (q) return q;
  }
  return readTitle(root) || undefined;
}

function clean(text: string): string {
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

function line(node: RootContent): number {
  return node.position?.start.line ?? 0;
}

function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: offset - nl };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
