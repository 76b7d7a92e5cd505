/**
 * Repository of dialogue state. Every function is a thin, typed wrapper over one SQL
 * statement; transactions are opened by the caller (`db.transaction`). Rounds, experts,
 * perspectives, tensions and their events go in and out as core's domain types (mappers.ts).
 */
import { LRUCache } from 'lru-cache';
import {
  type DialogueOutcome,
  type Expert,
  type PanelSource,
  type Perspective,
  type Round,
  type JudgedRound,
  type Score,
  type Tension,
  type TensionEvent,
  type TensionEventKind,
  type TensionRecord,
  type TensionStatus,
  type Tier,
  isOpenStatus,
  statusEvents,
  tensionState,
  withTensionState,
} from '../core/index.ts';
import type { RunResult, Statement } from 'better-sqlite3';
import { type Db, sha256Hex } from './db.ts';
import { DocumentIndex } from './document-index.ts';
import { type LeaseHolder, type LeaseTerms, acquireLease, refreshLease, releaseLease } from './leases.ts';
import { type ReferenceableResponse, codePoints, partTextSql, storePart } from './prompt-parts.ts';
import { spanColumns, spanSql } from './spans.ts';
import { cutJsonHead } from './text-parts.ts';
import { SYNTHESIS_SQL, storeSynthesis } from './synthesis-parts.ts';
import { expertRow, perspectiveRow, roundMetricsRow, tensionRow, toExpert, toPerspective, toRound, toTensionEvent, toTensionRecord } from './mappers.ts';

/** How a dialogue stands (stored in `dialogues.status`). */
export type DialogueStatus = DialogueOutcome;

/** A row of `dialogues`. `settings` and `pool` are JSON documents. */
export interface DialogueRow {
  id: string;
  title: string;
  question: string;
  status: DialogueStatus;
  dir: string;
  settings_json: string;
  pool_json: string;
  created_at: string;
  updated_at: string;
  /** The facilitator chart's last state (`running.round.asking`, `converged`); null before it ran. */
  chart_state?: string | null;
}

/** A row of `experts` (one per pastry name per dialogue). */
export interface ExpertRow {
  dialogue_id: string;
  name: string;
  display: string;
  role: string;
  tier: Tier;
  relevance: number;
  focus: string | null;
  first_round: number;
}

/** A row of `rounds`: metrics are computed at judging time. */
export interface RoundRow extends Score {
  dialogue_id: string;
  round: number;
  status: 'running' | 'judged';
  panel_size: number;
  open_tensions: number;
  new_perspectives: number;
  converge_signals: number;
  converge_percent: number;
  velocity: number;
  score: number;
  synthesis_json: string | null;
  started_at: string;
  judged_at: string | null;
  /** How the round used the prompt cache (warm-ups skipped and why); null when nothing to say. */
  cache_note?: string | null;
}

/** A panel seat. */
export interface PanelRow {
  dialogue_id: string;
  round: number;
  expert: string;
  seat: number;
  source: PanelSource;
  reason: string;
}

/** A stored response (`absent` when the expert did not answer). */
export interface ResponseRow {
  dialogue_id: string;
  round: number;
  expert: string;
  status: 'ok' | 'absent';
  text: string;
  prompt: string;
  absent_reason: string | null;
  created_at: string;
}

/** A registered perspective. */
export interface PerspectiveDbRow {
  dialogue_id: string;
  id: string;
  round: number;
  seq: number;
  expert: string;
  local_id: string | null;
  label: string;
  norm_label: string;
  content: string;
  refines: string | null;
  duplicate_of: string | null;
  merge_reason: string | null;
  /** False for a duplicate merged into an earlier perspective (stored 0/1). */
  is_new: boolean;
}

/** A registered tension. */
export interface TensionDbRow {
  dialogue_id: string;
  id: string;
  round: number;
  seq: number;
  raised_by: string;
  local_id: string | null;
  label: string;
  content: string;
  status: TensionStatus;
  closed_round: number | null;
  resolution: string | null;
}

/** A tension lifecycle event. */
export interface TensionEventRow {
  seq: number;
  dialogue_id: string;
  tension_id: string;
  round: number;
  expert: string;
  event: TensionEventKind;
  text: string;
}

/** A tension event as stored: `text` the literal, or with `text_at` the prefix before the span of its expert's answer (null: none). */
interface SpannedEvent extends Omit<TensionEventRow, 'text' | 'dialogue_id'> {
  text: string | null;
  text_at: number | null;
  text_len: number | null;
}

/** A tension's status, and which count as open (core's, shared with markdown). */
export { type TensionStatus, isOpenStatus };

/** A reference one expert made to an entity. */
export interface RefRow {
  round: number;
  expert: string;
  kind: string;
  target_id: string | null;
  raw: string;
  /** The reference points at another expert's entity (stored 0/1). */
  cross_expert: boolean;
}

/** One stored plan event: what changed, by which rule, caused where (1-based line/column). */
export interface PlanEventRow {
  round: number;
  kind: string;
  rule: string;
  expert: string;
  /** The entity the event is about (new id, merged id, tension whose status changed), or the raw reference. */
  subject: string | null;
  /** The entity it points at (merge target, resolved reference, superseding tension). */
  target: string | null;
  line: number | null;
  col: number | null;
  similarity: number | null;
  threshold: number | null;
  /** Human detail (label, reason, text). */
  detail: string;
}

/** A convergence or dissent signal. */
export interface SignalRow {
  round: number;
  expert: string;
  kind: 'converge' | 'dissent';
  text: string;
}

/** Per-expert ALIGNMENT of one round. */
export interface ScoreDbRow extends Score {
  round: number;
  expert: string;
  total: number;
  rubric_json: string;
  judge_json: string | null;
}

/** One LLM call's accounting (tokens, ms, USD). */
export interface LlmCallRow {
  dialogue_id: string | null;
  round: number | null;
  expert: string | null;
  purpose: string;
  provider: string;
  model: string;
  request_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  latency_ms: number;
  cost_usd: number;
  /** 1 when the model had no price: `cost_usd` is then unknown, not free. Absent = 0. */
  cost_unknown?: number;
  retries: number;
  outcome: 'ok' | 'error';
  error: string | null;
  created_at: string;
}

/** A reference as read: SQLite's 0/1 as a boolean. */
function refOf(row: RefRow): RefRow {
  return { ...row, cross_expert: Boolean(row.cross_expert) };
}

/** A row with its write order (rowid or seq), for merging rows read apart. */
export interface Ordered<T> {
  order: number;
  row: T;
}

/** A table of {@link RoundRows}. */
export type RoundTable = keyof RoundRows;

/** Per table, the lowest round whose rows changed (a table absent: unchanged). */
export type RoundChanges = Partial<Record<RoundTable, number>>;

/** The tables judging a round writes (and clearing its registration empties). */
const REGISTRATION: RoundTable[] = ['perspectives', 'contributors', 'tensions', 'events', 'refs', 'signals', 'scores'];

/** Round-keyed rows of one dialogue (see {@link DialogueStore.roundRowsFrom}). */
export interface RoundRows {
  rounds: Round[];
  panel: PanelRow[];
  responses: ResponseRow[];
  perspectives: Perspective[];
  contributors: Ordered<{ perspective_id: string; expert: string; round: number }>[];
  /** Without their state: derive it from all the dialogue's events (core's `withTensionState`). */
  tensions: TensionRecord[];
  events: Ordered<TensionEvent>[];
  signals: Ordered<SignalRow>[];
  refs: Ordered<RefRow>[];
  scores: ScoreDbRow[];
}

function ordered<T, D = T>(rows: unknown[], map?: (row: T) => D): Ordered<D>[] {
  const all = rows as (T & { order: number })[];
  // A mapper picks its fields, so the row need not first be copied without `order`.
  return map ? all.map((r) => ({ order: r.order, row: map(r) })) : all.map(({ order, ...row }) => ({ order, row: row as unknown as D }));
}

/** A response's whole prompt: its own part with the shared part (if any) spliced back at `prompt_at`. */
const FULL_PROMPT = `CASE WHEN r.prompt_part IS NULL THEN r.prompt
  ELSE substr(r.prompt, 1, r.prompt_at) || ${partTextSql('pp.hash', 'pp.text')} || substr(r.prompt, r.prompt_at + 1) END`;

/** Responses as rows (`p` their seat), `prompt` being {@link FULL_PROMPT} or `''` (not read); a WHERE and ORDER BY follow. */
const responsesFrom = (prompt: string): string => `SELECT r.dialogue_id, r.round, r.expert, r.status, r.text, ${prompt} AS prompt, r.absent_reason, r.created_at
         FROM responses r JOIN panel p USING (dialogue_id, round, expert) LEFT JOIN prompt_parts pp ON pp.hash = r.prompt_part`;

/** A round row's columns as {@link RoundRow} has them (the synthesis spliced back). */
const ROUND_COLS = `t.dialogue_id, t.round, t.status, t.panel_size, t.open_tensions, t.new_perspectives, t.converge_signals, t.converge_percent,
  t.velocity, t.wisdom, t.consistency, t.truth, t.relationships, t.score, ${SYNTHESIS_SQL} AS synthesis_json, t.started_at, t.judged_at, t.cache_note`;

/** The integer key of the dialogue whose public id is bound to `param` (tables of migration 012 store it, not the id). */
const keyOf = (param: string): string => `(SELECT key FROM dialogue_keys WHERE id = ${param})`;

/** {@link keyOf} the next `?`. */
const KEY = keyOf('?');

/** Rows of a keyed table `t` with their dialogue's public id as `k.id`. */
const keyed = (table: string): string => `${table} t JOIN dialogue_keys k ON k.key = t.d`;

const PERSPECTIVE_COLS = `k.id AS dialogue_id, t.id, t.round, t.seq, t.expert, t.local_id, t.label, COALESCE(t.norm_label, t.label) AS norm_label,
  ${spanSql('t', 'content', 'k.id', 't.round', 't.expert')} AS content, t.refines, t.duplicate_of, t.merge_reason, t.is_new`;

const TENSION_COLS = `k.id AS dialogue_id, t.id, t.round, t.seq, t.raised_by, t.local_id, t.label,
  ${spanSql('t', 'content', 'k.id', 't.round', 't.raised_by')} AS content, t.status, t.closed_round,
  ${spanSql('t', 'resolution', 'k.id', 't.closed_round', 't.resolution_by')} AS resolution`;

const EVENT_COLS = `t.seq, k.id AS dialogue_id, t.tension_id, t.round, t.expert, t.event, ${spanSql('t', 'text', 'k.id', 't.round', 't.expert')} AS text`;

/** Plan event `t`'s detail: its head and shared JSON tail, or its literal or span. */
const planDetail = (t: string): string => `CASE WHEN ${t}.detail_part IS NOT NULL
  THEN COALESCE(${t}.detail, '') || (SELECT tp.text FROM text_parts tp WHERE tp.id = ${t}.detail_part)
  ELSE ${spanSql(t, 'detail', 'k.id', `${t}.round`, `${t}.expert`)} END`;

const PLAN_COLS = `t.round, t.kind, t.rule, t.expert, t.subject, t.target, t.line, t.col, t.similarity, t.threshold, ${planDetail('t')} AS detail`;

/** The reconstituted detail of the `score` plan event of score row `t`'s round and expert: its rubric when the row stores none. */
const SCORE_EVENT = `(SELECT ${planDetail('p')} FROM plan_events p
  WHERE p.d = t.d AND p.round = t.round AND p.expert = t.expert AND p.kind = 'score' ORDER BY p.seq LIMIT 1)`;

const SCORE_COLS = `k.id AS dialogue_id, t.round, t.expert, t.wisdom, t.consistency, t.truth, t.relationships, t.total,
  COALESCE(t.rubric_json, ${SCORE_EVENT}) AS rubric_json,
  CASE WHEN t.judge_ref IS NULL THEN t.judge_json ELSE (SELECT j.payload FROM judge_proposals j WHERE j.seq = t.judge_ref) END AS judge_json`;

/** How far back `insertScore` looks for the judge proposal its adjustment repeats: a round writes at most a few per seat. */
const RECENT_PROPOSALS = 512;

/** Typed access to one dialogue database. */
export class DialogueStore {
  /** Prepared statements by SQL text: every call site's SQL is one of a fixed few, so this stays small. */
  readonly #statements = new Map<string, Statement>();
  /** Recent answers by dialogue, round and expert, for cutting the texts derived from them (see `answer`). */
  // A round's panel at most (64), so judging a round reads each answer once.
  readonly #answers = new LRUCache<string, string>({ max: 64 });
  /** Row changes made by this store's own statements (see {@link DialogueStore.changedFrom}). */
  #tracked = 0;
  /** Per dialogue and table: the lowest round whose rows were written since `changedFrom` last asked. */
  readonly #touched = new Map<string, RoundChanges>();
  /** Per dialogue: the connection's counters when `changedFrom` last asked. */
  readonly #seen = new Map<string, { dataVersion: number; total: number; tracked: number }>();

  /** The connection stays inside the store: callers use its methods, never SQL of their own. */
  constructor(private readonly db: Db) {}

  /**
   * The document index on this store's connection (promotion re-indexes through it; closing the
   * store closes it). Its writes are not this store's: {@link DialogueStore.changedFrom} then says null.
   */
  documentIndex<T extends string = string, S extends string = string, K extends string = string>(): DocumentIndex<T, S, K> {
    return DocumentIndex.on<T, S, K>(this.db);
  }

  /** Runs a write statement, counting its row changes. */
  private run(sql: string, ...args: unknown[]): RunResult {
    const info = this.sql(sql).run(...args);
    this.#tracked += info.changes;
    return info;
  }

  /** Runs `fn` (statements of another module on this connection), counting its row changes as this store's. */
  private counted<T>(fn: () => T): T {
    const total = () => (this.sql('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = total();
    const out = fn();
    this.#tracked += total() - before;
    return out;
  }

  /** Notes that rows of `round` in `tables` changed. */
  private touch(id: string, round: number, ...tables: RoundTable[]): void {
    let changes = this.#touched.get(id);
    if (!changes) this.#touched.set(id, (changes = {}));
    for (const t of tables) changes[t] = Math.min(changes[t] ?? round, round);
  }

  /**
   * Per table of {@link RoundRows}, the lowest round of dialogue `id` whose rows were written
   * through this store since the previous call for `id` (a table absent: none written), or null
   * when nothing read before can be trusted: the first call, a
   * commit by another connection, or a change this store's methods did not make (the document
   * index on this connection). Dialogue, expert and constraint rows are not tracked (small: read every time).
   * For the engine's state cache (orchestrator/data.ts), the one caller.
   */
  changedFrom(id: string): RoundChanges | null {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const total = (this.sql('SELECT total_changes() AS n').get() as { n: number }).n;
    const seen = this.#seen.get(id);
    const low = this.#touched.get(id) ?? {};
    this.#seen.set(id, { dataVersion, total, tracked: this.#tracked });
    this.#touched.delete(id);
    if (!seen || seen.dataVersion !== dataVersion || total - seen.total !== this.#tracked - seen.tracked) return null;
    return low;
  }

  /** The statement for `sql`, prepared once per store (preparing costs more than most runs). */
  private sql(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Closes the connection (idempotent). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Removes a dialogue and every row of it (a start that failed before its first round). */
  deleteDialogue(id: string): void {
    this.#answers.clear();
    this.run('DELETE FROM dialogues WHERE id = ?', id);
  }

  /** Takes the lease on dialogue `id` ({@link acquireLease}). @throws UserError E_LEASE while another live process holds it. */
  acquireLease(id: string, holder: LeaseHolder, now: Date, terms: LeaseTerms): ReturnType<typeof acquireLease> {
    return this.counted(() => acquireLease(this.db, id, holder, now, terms));
  }

  /** Beats the lease's heartbeat; false when `token` no longer holds it. */
  refreshLease(id: string, token: string, now: Date): boolean {
    return this.counted(() => refreshLease(this.db, id, token, now));
  }

  /** Gives the lease back; a no-op once the connection is closed. */
  releaseLease(id: string, token: string): void {
    if (this.db.open) this.counted(() => releaseLease(this.db, id, token));
  }

  /** Runs `fn` in one transaction (all or nothing). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Inserts a new dialogue. @throws SqliteError on a duplicate id (callers check first). */
  insertDialogue(row: DialogueRow): void {
    this.run(`INSERT INTO dialogues (id,title,question,status,dir,settings_json,pool_json,created_at,updated_at)
         VALUES (@id,@title,@question,@status,@dir,@settings_json,@pool_json,@created_at,@updated_at)`, row);
  }

  /** The dialogue with this exact id, if any. */
  getDialogue(id: string): DialogueRow | undefined {
    return this.sql('SELECT * FROM dialogues WHERE id = ?').get(id) as DialogueRow | undefined;
  }

  /** All dialogues, newest first. */
  listDialogues(): DialogueRow[] {
    return this.sql('SELECT * FROM dialogues ORDER BY created_at DESC, id DESC').all() as DialogueRow[];
  }

  /** Sets the status; `at` is the ISO time of the change. */
  setStatus(id: string, status: DialogueStatus, at: string): void {
    this.run('UPDATE dialogues SET status = ?, updated_at = ? WHERE id = ?', status, at, id);
  }

  /** Replaces the stored settings JSON (resume with overrides such as a higher budget). */
  updateSettings(id: string, settingsJson: string, at: string): void {
    this.run('UPDATE dialogues SET settings_json = ?, updated_at = ? WHERE id = ?', settingsJson, at, id);
  }

  /** Adds a constraint that rounds from `roundAdded` on must respect. */
  addConstraint(id: string, roundAdded: number, text: string, at: string): void {
    const seq = (this.sql('SELECT COALESCE(MAX(seq),0)+1 AS n FROM constraints WHERE dialogue_id = ?').get(id) as {
      n: number;
    }).n;
    this.run('INSERT INTO constraints (dialogue_id,seq,round_added,text,created_at) VALUES (?,?,?,?,?)', id, seq, roundAdded, text, at);
  }

  /** Constraints in force for `round` (added for it or earlier). */
  constraints(id: string, uptoRound = Number.MAX_SAFE_INTEGER): { round_added: number; text: string }[] {
    return this
      .sql('SELECT round_added, text FROM constraints WHERE dialogue_id = ? AND round_added <= ? ORDER BY seq')
      .all(id, uptoRound) as { round_added: number; text: string }[];
  }

  /** Registers an expert once; a returning expert keeps its first row (stable identity). */
  upsertExpert(e: Expert): void {
    this.run(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,focus,first_round)
         VALUES (@dialogue_id,@name,@display,@role,@tier,@relevance,@focus,@first_round)
         ON CONFLICT(dialogue_id,name) DO NOTHING`, expertRow(e));
  }

  /** Every expert of a dialogue in first-seat order. */
  experts(id: string): Expert[] {
    return (this.sql('SELECT * FROM experts WHERE dialogue_id = ? ORDER BY first_round, rowid').all(id) as ExpertRow[]).map(toExpert);
  }

  /** Opens a round (status `running`); a no-op when it exists. */
  insertRound(id: string, round: number, at: string): void {
    this.run('INSERT OR IGNORE INTO rounds (dialogue_id, round, started_at) VALUES (?,?,?)', id, round, at);
    this.touch(id, round, 'rounds');
  }

  /** All rounds of a dialogue, in order. */
  rounds(id: string): Round[] {
    return (this.sql(`SELECT ${ROUND_COLS} FROM rounds t WHERE t.dialogue_id = ? ORDER BY t.round`).all(id) as RoundRow[]).map(toRound);
  }

  /** Sets the round's prompt-cache note (null clears it). */
  setRoundCacheNote(id: string, round: number, note: string | null): void {
    // Through `run` and `touch` like every write: an uncounted change makes the next load read everything again.
    this.touch(id, round, 'rounds');
    this.run('UPDATE rounds SET cache_note = ? WHERE dialogue_id = ? AND round = ?', note, id, round);
  }

  /** One round, if it exists. */
  getRound(id: string, round: number): Round | undefined {
    const row = this.sql(`SELECT ${ROUND_COLS} FROM rounds t WHERE t.dialogue_id = ? AND t.round = ?`).get(id, round) as
      | RoundRow
      | undefined;
    return row && toRound(row);
  }

  /** Stores the computed metrics of a round and marks it judged. */
  saveRoundMetrics(m: JudgedRound): void {
    const row = roundMetricsRow(m);
    this.touch(row.dialogue_id, row.round, 'rounds');
    // The panel part of the synthesis, the same round after round while the panel stays, is stored once.
    const synthesis = storeSynthesis((sql, ...args) => this.run(sql, ...args), row.synthesis_json);
    this.run(`UPDATE rounds SET status='judged', panel_size=@panel_size, open_tensions=@open_tensions,
           new_perspectives=@new_perspectives, converge_signals=@converge_signals, converge_percent=@converge_percent,
           velocity=@velocity, wisdom=@wisdom, consistency=@consistency, truth=@truth, relationships=@relationships,
           score=@score, synthesis_json=@synthesis_json, synthesis_rest=@synthesis_rest, synthesis_part=@synthesis_part,
           synthesis_at=@synthesis_at, judged_at=@judged_at
         WHERE dialogue_id=@dialogue_id AND round=@round`, { ...row, ...synthesis });
  }

  /** Seats an expert in a round (idempotent). */
  insertPanelSeat(row: PanelRow): void {
    this.touch(row.dialogue_id, row.round, 'panel');
    this.run(`INSERT OR IGNORE INTO panel (dialogue_id,round,expert,seat,source,reason)
         VALUES (@dialogue_id,@round,@expert,@seat,@source,@reason)`, row);
  }

  /** The seats of a round in seat order. */
  panel(id: string, round: number): PanelRow[] {
    return this.sql('SELECT * FROM panel WHERE dialogue_id = ? AND round = ? ORDER BY seat').all(id, round) as PanelRow[];
  }

  /**
   * Stores a response; an `absent` row may later be replaced by an answer, an answer is never
   * overwritten. `shared`, when the prompt contains it, is stored once under its SHA-256 and cut
   * out of the row (the round's prefix, the same for every expert); reads splice it back.
   */
  insertResponse(row: ResponseRow, shared?: string, head?: string): void {
    this.touch(row.dialogue_id, row.round, 'responses');
    const at = shared ? row.prompt.indexOf(shared) : -1;
    let part: string | null = null;
    let prompt = row.prompt;
    let promptAt: number | null = null;
    if (shared && at >= 0) {
      part = sha256Hex(shared);
      // The previous round's answers it embeds are stored once, as references to their rows.
      const previous = () => this.sql("SELECT dialogue_id, round, expert, text FROM responses WHERE dialogue_id = ? AND round = ? AND status = 'ok'").all(row.dialogue_id, row.round - 1) as ReferenceableResponse[];
      storePart((sql, ...args) => this.run(sql, ...args), part, shared, () => (row.round > 0 ? previous() : []), head);
      prompt = row.prompt.slice(0, at) + row.prompt.slice(at + shared.length);
      // SQLite's substr counts characters (code points), not UTF-16 units.
      promptAt = codePoints(row.prompt.slice(0, at));
    }
    this.run(`INSERT INTO responses (dialogue_id,round,expert,status,text,prompt,prompt_part,prompt_at,absent_reason,created_at)
         VALUES (@dialogue_id,@round,@expert,@status,@text,@prompt,@prompt_part,@prompt_at,@absent_reason,@created_at)
         ON CONFLICT(dialogue_id,round,expert) DO UPDATE SET status=excluded.status, text=excluded.text,
           prompt=excluded.prompt, prompt_part=excluded.prompt_part, prompt_at=excluded.prompt_at,
           absent_reason=excluded.absent_reason, created_at=excluded.created_at
         WHERE responses.status = 'absent'`, { ...row, prompt, prompt_part: part, prompt_at: promptAt });
  }

  /**
   * A round's stored responses in seat order. `prompt: false` leaves `prompt` empty (`''`) and
   * does not read it: the rendered prompt is most of a row, and the engine rarely needs it.
   */
  responses(id: string, round: number, opts: { prompt?: boolean } = {}): ResponseRow[] {
    const prompt = opts.prompt === false ? "''" : FULL_PROMPT;
    return this
      .sql(
        `${responsesFrom(prompt)}
         WHERE r.dialogue_id = ? AND r.round = ? ORDER BY p.seat`,
      )
      .all(id, round) as ResponseRow[];
  }

  /** The prompt stored with one response, if that response exists. */
  responsePrompt(id: string, round: number, expert: string): string | undefined {
    const row = this.sql(
      `SELECT ${FULL_PROMPT} AS prompt FROM responses r LEFT JOIN prompt_parts pp ON pp.hash = r.prompt_part
       WHERE r.dialogue_id = ? AND r.round = ? AND r.expert = ?`,
    ).get(id, round, expert) as { prompt: string } | undefined;
    return row?.prompt;
  }

  /** The answer of (`round`, `expert`), which derived texts may be spans of; undefined when there is none. */
  private answer(id: string, round: number, expert: string): string | undefined {
    const key = `${id}\u0000${round}\u0000${expert}`;
    const cached = this.#answers.get(key);
    if (cached !== undefined) return cached;
    const row = this.sql("SELECT text FROM responses WHERE dialogue_id = ? AND round = ? AND expert = ? AND status = 'ok'").get(id, round, expert) as { text: string } | undefined;
    // Only answers are kept: an answer is never overwritten (an absence may still become one).
    if (row) {
      this.#answers.set(key, row.text);
    }
    return row?.text;
  }

  /** Removes everything registered for `round` so judging can run again (resume, rejudge). */
  clearRegistration(id: string, round: number): void {
    this.touch(id, round, ...REGISTRATION);
    for (const sql of [
      `DELETE FROM tension_events WHERE d = ${KEY} AND round = ?`,
      `DELETE FROM perspective_contributors WHERE d = ${KEY} AND round = ?`,
      `DELETE FROM perspectives WHERE d = ${KEY} AND round = ?`,
      'DELETE FROM refs WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM signals WHERE dialogue_id = ? AND round = ?',
      `DELETE FROM scores WHERE d = ${KEY} AND round = ?`,
      'DELETE FROM lint_findings WHERE dialogue_id = ? AND round = ?',
      `DELETE FROM judge_proposals WHERE d = ${KEY} AND round = ?`,
      `DELETE FROM tensions WHERE d = ${KEY} AND round = ?`,
      `DELETE FROM plan_events WHERE d = ${KEY} AND round = ?`,
    ])
      this.run(sql, id, round);
    this.rebuildTensionStatuses(id);
  }

  /**
   * Sets every tension's current status from its events (core's {@link statusEvents}), so re-judging
   * an earlier round cannot reorder history.
   */
  rebuildTensionStatuses(id: string): void {
    // The events as stored (`text` is a span's prefix): only the stored columns are copied, never spliced.
    const stored = this.sql(`SELECT seq, tension_id, round, expert, event, text, text_at, text_len FROM tension_events WHERE d = ${KEY} ORDER BY seq`).all(id) as SpannedEvent[];
    const bySeq = new Map(stored.map((e) => [e.seq, e]));
    const deciding = statusEvents(stored.map((e) => ({ seq: e.seq, dialogueId: id, tensionId: e.tension_id, round: e.round, expert: e.expert, event: e.event, text: e.text ?? '' })));
    for (const t of this.sql(`SELECT id FROM tensions WHERE d = ${KEY}`).all(id) as { id: string }[]) {
      const d = deciding.get(t.id);
      const f = tensionState(d);
      const e = d && bySeq.get(d.seq);
      // A resolution is its deciding event's text: the same span of the same answer when that is one.
      const span = f.closedRound === null || !e ? [null, null, null, null] : e.text_at !== null ? [e.text, e.expert, e.text_at, e.text_len] : [e.text, null, null, null];
      this.run(`UPDATE tensions SET status = ?, closed_round = ?, resolution = ?, resolution_by = ?, resolution_at = ?, resolution_len = ? WHERE d = ${KEY} AND id = ?`, f.status, f.closedRound, ...span, id, t.id);
    }
  }

  /**
   * Every round-keyed row of dialogue `id` from round `from` on, prompts left out unless
   * `prompts`. Rows whose table has no round order (contributors, events, refs, signals) carry
   * their write order (`order`), so rows read apart can be merged back in the order of one read.
   */
  roundRowsFrom(id: string, from: number | RoundChanges, opts: { prompts?: boolean } = {}): RoundRows {
    // Per table: read from its round, or not at all (a table `from` leaves out).
    const start = (t: RoundTable): number | undefined => (typeof from === 'number' ? from : from[t]);
    const all = <T>(table: RoundTable, sql: string): T[] => {
      const round = start(table);
      return round === undefined ? [] : (this.sql(sql).all(id, round) as T[]);
    };
    const prompt = opts.prompts ? FULL_PROMPT : "''";
    return {
      rounds: all<RoundRow>('rounds', `SELECT ${ROUND_COLS} FROM rounds t WHERE t.dialogue_id = ? AND t.round >= ? ORDER BY t.round`).map(toRound),
      panel: all('panel', 'SELECT * FROM panel WHERE dialogue_id = ? AND round >= ? ORDER BY round, seat'),
      responses: all(
        'responses',
        `${responsesFrom(prompt)}
         WHERE r.dialogue_id = ? AND r.round >= ? ORDER BY r.round, p.seat`,
      ),
      perspectives: all<PerspectiveDbRow>('perspectives', `SELECT ${PERSPECTIVE_COLS} FROM ${keyed('perspectives')} WHERE k.id = ? AND t.round >= ? ORDER BY t.round, t.seq`).map(toPerspective),
      contributors: ordered<RoundRows['contributors'][number]['row']>(all('contributors', `SELECT rowid AS "order", perspective_id, expert, round FROM perspective_contributors WHERE d = ${KEY} AND round >= ? ORDER BY rowid`)),
      tensions: all<TensionDbRow>('tensions', `SELECT ${TENSION_COLS} FROM ${keyed('tensions')} WHERE k.id = ? AND t.round >= ? ORDER BY t.round, t.seq`).map(toTensionRecord),
      events: ordered(all('events', `SELECT t.seq AS "order", ${EVENT_COLS} FROM ${keyed('tension_events')} WHERE k.id = ? AND t.round >= ? ORDER BY t.seq`), toTensionEvent),
      signals: ordered<SignalRow>(all('signals', 'SELECT rowid AS "order", round, expert, kind, text FROM signals WHERE dialogue_id = ? AND round >= ? ORDER BY rowid')),
      refs: ordered<RefRow>(all<RefRow>('refs', 'SELECT seq AS "order", round, expert, kind, target_id, raw, cross_expert FROM refs WHERE dialogue_id = ? AND round >= ? ORDER BY seq').map(refOf)),
      scores: all('scores', `SELECT ${SCORE_COLS} FROM ${keyed('scores')} WHERE k.id = ? AND t.round >= ? ORDER BY t.round, t.rowid`),
    };
  }

  /** Registers a perspective and its first contributor. */
  insertPerspective(p: Perspective): void {
    const row = perspectiveRow(p);
    this.touch(row.dialogue_id, row.round, 'perspectives');
    const content = spanColumns(this.answer(row.dialogue_id, row.round, row.expert), row.content);
    this.run(`INSERT INTO perspectives (d,id,round,seq,expert,local_id,label,norm_label,content,content_at,content_len,refines,duplicate_of,merge_reason,is_new)
         VALUES (${KEY},?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, row.dialogue_id, row.id, row.round, row.seq, row.expert, row.local_id, row.label, row.norm_label === row.label ? null : row.norm_label,
    ...content, row.refines, row.duplicate_of, row.merge_reason, row.is_new ? 1 : 0);
    this.addContributor(row.dialogue_id, row.id, row.expert, row.round);
  }

  /** Adds a contributor to a perspective (duplicates join the original). */
  addContributor(id: string, perspectiveId: string, expert: string, round: number): void {
    this.touch(id, round, 'contributors');
    this.run(`INSERT OR IGNORE INTO perspective_contributors (d,perspective_id,expert,round) VALUES (${KEY},?,?,?)`, id, perspectiveId, expert, round);
  }

  /** All perspectives in registration order. */
  perspectives(id: string): Perspective[] {
    return (this.sql(`SELECT ${PERSPECTIVE_COLS} FROM ${keyed('perspectives')} WHERE k.id = ? ORDER BY t.round, t.seq`).all(id) as PerspectiveDbRow[]).map(toPerspective);
  }

  /** Every (perspective, expert, round) contribution in insertion order. */
  contributors(id: string): { perspective_id: string; expert: string; round: number }[] {
    return this
      .sql(`SELECT perspective_id, expert, round FROM perspective_contributors WHERE d = ${KEY} ORDER BY rowid`)
      .all(id) as { perspective_id: string; expert: string; round: number }[];
  }

  /** Registers a tension, open (its events decide its state from then on). */
  insertTension(t: TensionRecord): void {
    const row = tensionRow(t);
    this.touch(row.dialogue_id, row.round, 'tensions');
    const content = spanColumns(this.answer(row.dialogue_id, row.round, row.raised_by), row.content);
    this.run(`INSERT INTO tensions (d,id,round,seq,raised_by,local_id,label,content,content_at,content_len,status,closed_round,resolution)
         VALUES (${KEY},?,?,?,?,?,?,?,?,?,?,?,?)`, row.dialogue_id, row.id, row.round, row.seq, row.raised_by, row.local_id, row.label, ...content, row.status, row.closed_round, row.resolution);
  }

  /** All tensions in registration order, each with its state from its events. */
  tensions(id: string): Tension[] {
    return withTensionState(this.tensionRecords(id), this.tensionEvents(id));
  }

  /** All tensions in registration order, without their state. */
  private tensionRecords(id: string): TensionRecord[] {
    return (this.sql(`SELECT ${TENSION_COLS} FROM ${keyed('tensions')} WHERE k.id = ? ORDER BY t.round, t.seq`).all(id) as TensionDbRow[]).map(toTensionRecord);
  }

  /** Appends a lifecycle event (who, round, the text that caused it). */
  addTensionEvent(id: string, tensionId: string, round: number, expert: string, event: TensionEventKind, text: string): void {
    this.touch(id, round, 'events');
    const stored = spanColumns(this.answer(id, round, expert), text);
    this.run(`INSERT INTO tension_events (d,tension_id,round,expert,event,text,text_at,text_len) VALUES (${KEY},?,?,?,?,?,?,?)`, id, tensionId, round, expert, event, ...stored);
  }

  /** All tension events in write order. */
  tensionEvents(id: string): TensionEvent[] {
    return (this.sql(`SELECT ${EVENT_COLS} FROM ${keyed('tension_events')} WHERE k.id = ? ORDER BY t.seq`).all(id) as TensionEventRow[]).map(toTensionEvent);
  }

  /** Records a reference an expert made (target null when it did not resolve). */
  insertRef(id: string, row: RefRow): void {
    this.touch(id, row.round, 'refs');
    this.run('INSERT INTO refs (dialogue_id,round,expert,kind,target_id,raw,cross_expert) VALUES (?,?,?,?,?,?,?)', id, row.round, row.expert, row.kind, row.target_id, row.raw, row.cross_expert ? 1 : 0);
  }

  /** References of the dialogue, or of one round. */
  refs(id: string, round?: number): RefRow[] {
    const sql = `SELECT round, expert, kind, target_id, raw, cross_expert FROM refs WHERE dialogue_id = ?${
      round === undefined ? '' : ' AND round = ?'
    } ORDER BY seq`;
    const args: unknown[] = round === undefined ? [id] : [id, round];
    return (this.sql(sql).all(...args) as RefRow[]).map(refOf);
  }

  /** Records a convergence or dissent signal (once per expert, round and kind). */
  insertSignal(id: string, row: SignalRow): void {
    this.touch(id, row.round, 'signals');
    this.run('INSERT OR IGNORE INTO signals (dialogue_id,round,expert,kind,text) VALUES (?,?,?,?,?)', id, row.round, row.expert, row.kind, row.text);
  }

  /** Signals of the dialogue, or of one round. */
  signals(id: string, round?: number): SignalRow[] {
    const sql = `SELECT round, expert, kind, text FROM signals WHERE dialogue_id = ?${round === undefined ? '' : ' AND round = ?'}`;
    const args: unknown[] = round === undefined ? [id] : [id, round];
    return this.sql(sql).all(...args) as SignalRow[];
  }

  /** Stores an expert's ALIGNMENT for a round with the events behind it. */
  insertScore(id: string, row: ScoreDbRow): void {
    this.touch(id, row.round, 'scores');
    // The rubric is the tally its round's `score` plan event already holds (written first): stored once, there.
    const event = this.sql(`SELECT ${SCORE_EVENT} AS detail FROM (SELECT ${KEY} AS d, ? AS round, ? AS expert) t JOIN dialogue_keys k ON k.key = t.d`).get(id, row.round, row.expert) as { detail: string | null } | undefined;
    const rubric = event?.detail === row.rubric_json ? null : row.rubric_json;
    // The judge's adjustment is the payload of a proposal written just before (same transaction): among the latest few.
    const judged = row.judge_json === null ? undefined : (this.sql(`SELECT MAX(seq) AS seq FROM (SELECT seq, d, round, kind, payload FROM judge_proposals ORDER BY seq DESC LIMIT ${RECENT_PROPOSALS})
         WHERE d = ${KEY} AND round = ? AND kind = 'adjustment' AND payload = ?`).get(id, row.round, row.judge_json) as { seq: number | null }).seq ?? undefined;
    this.run(`INSERT INTO scores (d,round,expert,wisdom,consistency,truth,relationships,total,rubric_json,judge_json,judge_ref)
         VALUES (${KEY},?,?,?,?,?,?,?,?,?,?)`, id, row.round, row.expert, row.wisdom, row.consistency, row.truth, row.relationships, row.total, rubric,
    judged === undefined ? row.judge_json : null, judged ?? null);
  }

  /** All per-expert scores. */
  scores(id: string): ScoreDbRow[] {
    return this.sql(`SELECT ${SCORE_COLS} FROM ${keyed('scores')} WHERE k.id = ? ORDER BY t.round, t.rowid`).all(id) as ScoreDbRow[];
  }

  /** Stores a marker lint finding (1-based line and column). */
  insertFinding(id: string, f: { round: number; expert: string; rule: string; severity: string; message: string; line: number; col: number }): void {
    this.run('INSERT INTO lint_findings (dialogue_id,round,expert,rule,severity,message,line,col) VALUES (?,?,?,?,?,?,?,?)', id, f.round, f.expert, f.rule, f.severity, f.message, f.line, f.col);
  }

  /** All lint findings in write order. */
  findings(id: string): { round: number; expert: string; rule: string; severity: string; message: string; line: number; col: number }[] {
    return this
      .sql('SELECT round, expert, rule, severity, message, line, col FROM lint_findings WHERE dialogue_id = ? ORDER BY seq')
      .all(id) as { round: number; expert: string; rule: string; severity: string; message: string; line: number; col: number }[];
  }

  /** Records an LLM judge proposal with its rationale and whether it was applied. */
  insertJudgeProposal(id: string, round: number, kind: string, payload: unknown, rationale: string, applied: boolean): void {
    this.run(`INSERT INTO judge_proposals (d,round,kind,payload,rationale,applied) VALUES (${KEY},?,?,?,?,?)`, id, round, kind, JSON.stringify(payload), rationale, applied ? 1 : 0);
  }

  /** Stores one event of a round plan (see src/orchestrator/plan). */
  insertPlanEvent(id: string, row: PlanEventRow): void {
    // A JSON detail (a score's tally) keeps its first member; the rest, repeated across rows, is a shared part.
    const json = cutJsonHead(row.detail);
    const part = json ? this.textPart(json.tail) : null;
    const detail = json ? [json.head, null, null] : spanColumns(this.answer(id, row.round, row.expert), row.detail);
    this.run(`INSERT INTO plan_events (d,round,kind,rule,expert,subject,target,line,col,similarity,threshold,detail,detail_at,detail_len,detail_part)
         VALUES (${KEY},?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, row.round, row.kind, row.rule, row.expert, row.subject, row.target, row.line, row.col, row.similarity, row.threshold, ...detail, part);
  }

  /** The id of the shared text part `text`, stored if new. */
  private textPart(text: string): number {
    this.run('INSERT OR IGNORE INTO text_parts (text) VALUES (?)', text);
    return (this.sql('SELECT id FROM text_parts WHERE text = ?').get(text) as { id: number }).id;
  }

  /** Plan events of the dialogue, or of one round, in write order. */
  planEvents(id: string, round?: number): PlanEventRow[] {
    const sql = `SELECT ${PLAN_COLS} FROM ${keyed('plan_events')} WHERE k.id = ?${round === undefined ? '' : ' AND t.round = ?'} ORDER BY t.seq`;
    const args: unknown[] = round === undefined ? [id] : [id, round];
    return this.sql(sql).all(...args) as PlanEventRow[];
  }

  /** Stores one LLM call's accounting (tokens, ms, USD). */
  insertLlmCall(row: LlmCallRow): void {
    this.run(`INSERT INTO llm_calls (d,round,expert,purpose,provider,model,request_id,input_tokens,output_tokens,
           cache_write_tokens,cache_read_tokens,latency_ms,cost_usd,cost_unknown,retries,outcome,error,created_at)
         VALUES (${keyOf('@dialogue_id')},@round,@expert,@purpose,@provider,@model,@request_id,@input_tokens,@output_tokens,
           @cache_write_tokens,@cache_read_tokens,@latency_ms,@cost_usd,@cost_unknown,@retries,@outcome,@error,@created_at)`, { ...row, cost_unknown: row.cost_unknown ?? 0 });
  }

  /** All LLM calls of a dialogue in order. */
  llmCalls(id: string): LlmCallRow[] {
    return this.sql(`SELECT t.seq, k.id AS dialogue_id, t.round, t.expert, t.purpose, t.provider, t.model, t.request_id, t.input_tokens, t.output_tokens,
      t.cache_write_tokens, t.cache_read_tokens, t.latency_ms, t.cost_usd, t.retries, t.outcome, t.error, t.created_at, t.cost_unknown
      FROM ${keyed('llm_calls')} WHERE k.id = ? ORDER BY t.seq`).all(id) as LlmCallRow[];
  }

  /** Total USD spent on a dialogue so far. */
  spentUsd(id: string): number {
    return (this.sql(`SELECT COALESCE(SUM(cost_usd),0) AS s FROM llm_calls WHERE d = ${KEY}`).get(id) as { s: number }).s;
  }

  /** Stores the facilitator chart's state name (`running.round.asking`); `updated_at` stays the last status or settings change. */
  setChartState(id: string, state: string): void {
    this.run('UPDATE dialogues SET chart_state = ? WHERE id = ?', state, id);
  }
}
