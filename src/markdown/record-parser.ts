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
import { EXPERT_EMOJI, JUDGE_EMOJI, JUDGE_WORDS, Panel, type RecordSeat, clean, labelOf, optional, readPanel } from './record-panel.ts';

export type { RecordSeat } from './record-panel.ts';

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

const JUDGE_LABEL = /^(judge|facilitator|moderator|decision\b.*|vote|summary|scoreboard|convergence|verdict)$/i;
const FACILITATOR_LABEL = /^(?:judge|facilitator|moderator)\s*:?$/i;
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
    if (node.type === 'paragraph') {
      // Inside a `### Name` response only the facilitator's or judge's own label ends it.
      const label = this.turn?.byHeading ? (FACILITATOR_LABEL.test(labelOf(node) ?? '') ? 'judge' : undefined) : this.label(node);
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

function line(node: RootContent): number {
  return node.position?.start.line ?? 0;
}

function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: offset - nl };
}

