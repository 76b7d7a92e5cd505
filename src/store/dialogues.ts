/**
 * Repository of dialogue state. Every function is a thin, typed wrapper over one SQL
 * statement; transactions are opened by the caller (`db.transaction`).
 */
import { type DialogueOutcome, type PanelSource, type Score, type TensionStatus, type Tier, isOpenStatus } from '../core/index.ts';
import type { RunResult, Statement } from 'better-sqlite3';
import { type Db, sha256Hex } from './db.ts';
import { DocumentIndex } from './document-index.ts';
import { type LeaseHolder, type LeaseTerms, acquireLease, refreshLease, releaseLease } from './leases.ts';
import { type ReferenceableResponse, partTextSql, storePart } from './prompt-parts.ts';

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
  event: 'raised' | 'resolved' | 'accepted' | 'reopened' | 'conceded' | 'deferred' | 'superseded';
  text: string;
}

/** A tension's status, and which count as open (core's, shared with markdown). */
export { type TensionStatus, isOpenStatus };

/** Events that decide a tension's status, and the status each gives. The one status rule. */
export const STATUS_OF_EVENT: Readonly<Partial<Record<TensionEventRow['event'], TensionStatus>>> = Object.freeze({
  resolved: 'resolved',
  accepted: 'accepted',
  reopened: 'reopened',
  deferred: 'deferred',
  superseded: 'superseded',
});

/** True for a status that closes a tension with a recorded outcome (closed round and text). */
export function isClosingStatus(status: string): boolean {
  return status === 'resolved' || status === 'accepted' || status === 'deferred' || status === 'superseded';
}

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

/**
 * The event that decides a tension's status as of `uptoRound` (inclusive): the last event in
 * {@link STATUS_OF_EVENT}, in round then write order. Undefined = never closed (open).
 */
export function statusEventOf(events: readonly TensionEventRow[], tensionId: string, uptoRound: number): TensionEventRow | undefined {
  return statusEvents(events.filter((e) => e.tension_id === tensionId), uptoRound).get(tensionId);
}

/** The status a deciding event (see {@link statusEventOf}) gives a tension. */
export function statusOf(e: Pick<TensionEventRow, 'event'> | undefined): TensionStatus {
  return (e && STATUS_OF_EVENT[e.event]) ?? 'open';
}

/** A perspective as read: SQLite's 0/1 as a boolean. */
function perspectiveOf(row: PerspectiveDbRow): PerspectiveDbRow {
  return { ...row, is_new: Boolean(row.is_new) };
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
  rounds: RoundRow[];
  panel: PanelRow[];
  responses: ResponseRow[];
  perspectives: PerspectiveDbRow[];
  contributors: Ordered<{ perspective_id: string; expert: string; round: number }>[];
  tensions: TensionDbRow[];
  events: Ordered<TensionEventRow>[];
  signals: Ordered<SignalRow>[];
  refs: Ordered<RefRow>[];
  scores: ScoreDbRow[];
}

function ordered<T>(rows: unknown[]): Ordered<T>[] {
  return (rows as (T & { order: number })[]).map(({ order, ...row }) => ({ order, row: row as T }));
}

/**
 * Each tension's deciding event as of `uptoRound` (inclusive), all at once: for every tension,
 * what {@link statusEventOf} gives, in one pass over the events.
 */
export function statusEvents(events: readonly TensionEventRow[], uptoRound = Number.MAX_SAFE_INTEGER): Map<string, TensionEventRow> {
  const deciding = events.filter((e) => e.round <= uptoRound && STATUS_OF_EVENT[e.event] !== undefined).sort((a, b) => a.round - b.round || a.seq - b.seq);
  return new Map(deciding.map((e) => [e.tension_id, e]));
}

/** A tension's status fields as its deciding event gives them: the one rule for the stored columns and any in-memory copy. */
export function tensionFields(e: TensionEventRow | undefined): Pick<TensionDbRow, 'status' | 'closed_round' | 'resolution'> {
  const status = statusOf(e);
  const closed = e !== undefined && isClosingStatus(status);
  return { status, closed_round: closed ? e.round : null, resolution: closed ? e.text : null };
}

/** A response's whole prompt: its own part with the shared part (if any) spliced back at `prompt_at`. */
const FULL_PROMPT = `CASE WHEN r.prompt_part IS NULL THEN r.prompt
  ELSE substr(r.prompt, 1, r.prompt_at) || ${partTextSql('pp.hash', 'pp.text')} || substr(r.prompt, r.prompt_at + 1) END`;

/** Responses as rows (`p` their seat), `prompt` being {@link FULL_PROMPT} or `''` (not read); a WHERE and ORDER BY follow. */
const responsesFrom = (prompt: string): string => `SELECT r.dialogue_id, r.round, r.expert, r.status, r.text, ${prompt} AS prompt, r.absent_reason, r.created_at
         FROM responses r JOIN panel p USING (dialogue_id, round, expert) LEFT JOIN prompt_parts pp ON pp.hash = r.prompt_part`;

/** Typed access to one dialogue database. */
export class DialogueStore {
  /** Prepared statements by SQL text: every call site's SQL is one of a fixed few, so this stays small. */
  readonly #statements = new Map<string, Statement>();
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
  upsertExpert(row: ExpertRow): void {
    this.run(`INSERT INTO experts (dialogue_id,name,display,role,tier,relevance,focus,first_round)
         VALUES (@dialogue_id,@name,@display,@role,@tier,@relevance,@focus,@first_round)
         ON CONFLICT(dialogue_id,name) DO NOTHING`, row);
  }

  /** Every expert of a dialogue in first-seat order. */
  experts(id: string): ExpertRow[] {
    return this.sql('SELECT * FROM experts WHERE dialogue_id = ? ORDER BY first_round, rowid').all(id) as ExpertRow[];
  }

  /** Opens a round (status `running`); a no-op when it exists. */
  insertRound(id: string, round: number, at: string): void {
    this.run('INSERT OR IGNORE INTO rounds (dialogue_id, round, started_at) VALUES (?,?,?)', id, round, at);
    this.touch(id, round, 'rounds');
  }

  /** All rounds of a dialogue, in order. */
  rounds(id: string): RoundRow[] {
    return this.sql('SELECT * FROM rounds WHERE dialogue_id = ? ORDER BY round').all(id) as RoundRow[];
  }

  /** Sets the round's prompt-cache note (null clears it). */
  setRoundCacheNote(id: string, round: number, note: string | null): void {
    this.sql('UPDATE rounds SET cache_note = ? WHERE dialogue_id = ? AND round = ?').run(note, id, round);
  }

  /** One round, if it exists. */
  getRound(id: string, round: number): RoundRow | undefined {
    return this.sql('SELECT * FROM rounds WHERE dialogue_id = ? AND round = ?').get(id, round) as
      | RoundRow
      | undefined;
  }

  /** Stores the computed metrics of a round and marks it judged. */
  saveRoundMetrics(row: Omit<RoundRow, 'started_at' | 'status'>): void {
    this.touch(row.dialogue_id, row.round, 'rounds');
    this.run(`UPDATE rounds SET status='judged', panel_size=@panel_size, open_tensions=@open_tensions,
           new_perspectives=@new_perspectives, converge_signals=@converge_signals, converge_percent=@converge_percent,
           velocity=@velocity, wisdom=@wisdom, consistency=@consistency, truth=@truth, relationships=@relationships,
           score=@score, synthesis_json=@synthesis_json, judged_at=@judged_at
         WHERE dialogue_id=@dialogue_id AND round=@round`, row);
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
  insertResponse(row: ResponseRow, shared?: string): void {
    this.touch(row.dialogue_id, row.round, 'responses');
    const at = shared ? row.prompt.indexOf(shared) : -1;
    let part: string | null = null;
    let prompt = row.prompt;
    let promptAt: number | null = null;
    if (shared && at >= 0) {
      part = sha256Hex(shared);
      // The previous round's answers it embeds are stored once, as references to their rows.
      const previous = () => this.sql("SELECT dialogue_id, round, expert, text FROM responses WHERE dialogue_id = ? AND round = ? AND status = 'ok'").all(row.dialogue_id, row.round - 1) as ReferenceableResponse[];
      storePart((sql, ...args) => this.run(sql, ...args), part, shared, () => (row.round > 0 ? previous() : []));
      prompt = row.prompt.slice(0, at) + row.prompt.slice(at + shared.length);
      // SQLite's substr counts characters (code points), not UTF-16 units.
      promptAt = [...row.prompt.slice(0, at)].length;
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

  /** Removes everything registered for `round` so judging can run again (resume, rejudge). */
  clearRegistration(id: string, round: number): void {
    this.touch(id, round, ...REGISTRATION);
    for (const sql of [
      'DELETE FROM tension_events WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM perspective_contributors WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM perspectives WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM refs WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM signals WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM scores WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM lint_findings WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM judge_proposals WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM tensions WHERE dialogue_id = ? AND round = ?',
      'DELETE FROM plan_events WHERE dialogue_id = ? AND round = ?',
    ])
      this.run(sql, id, round);
    this.rebuildTensionStatuses(id);
  }

  /**
   * Sets every tension's current status from its events ({@link statusEventOf}), so re-judging
   * an earlier round cannot reorder history.
   */
  rebuildTensionStatuses(id: string): void {
    const deciding = statusEvents(this.tensionEvents(id));
    for (const t of this.tensions(id)) {
      const f = tensionFields(deciding.get(t.id));
      this.run('UPDATE tensions SET status = ?, closed_round = ?, resolution = ? WHERE dialogue_id = ? AND id = ?', f.status, f.closed_round, f.resolution, id, t.id);
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
      rounds: all('rounds', 'SELECT * FROM rounds WHERE dialogue_id = ? AND round >= ? ORDER BY round'),
      panel: all('panel', 'SELECT * FROM panel WHERE dialogue_id = ? AND round >= ? ORDER BY round, seat'),
      responses: all(
        'responses',
        `${responsesFrom(prompt)}
         WHERE r.dialogue_id = ? AND r.round >= ? ORDER BY r.round, p.seat`,
      ),
      perspectives: all<PerspectiveDbRow>('perspectives', 'SELECT * FROM perspectives WHERE dialogue_id = ? AND round >= ? ORDER BY round, seq').map(perspectiveOf),
      contributors: ordered<RoundRows['contributors'][number]['row']>(all('contributors', 'SELECT rowid AS "order", perspective_id, expert, round FROM perspective_contributors WHERE dialogue_id = ? AND round >= ? ORDER BY rowid')),
      tensions: all('tensions', 'SELECT * FROM tensions WHERE dialogue_id = ? AND round >= ? ORDER BY round, seq'),
      events: ordered<TensionEventRow>(all('events', 'SELECT seq AS "order", * FROM tension_events WHERE dialogue_id = ? AND round >= ? ORDER BY seq')),
      signals: ordered<SignalRow>(all('signals', 'SELECT rowid AS "order", round, expert, kind, text FROM signals WHERE dialogue_id = ? AND round >= ? ORDER BY rowid')),
      refs: ordered<RefRow>(all<RefRow>('refs', 'SELECT seq AS "order", round, expert, kind, target_id, raw, cross_expert FROM refs WHERE dialogue_id = ? AND round >= ? ORDER BY seq').map(refOf)),
      scores: all('scores', 'SELECT * FROM scores WHERE dialogue_id = ? AND round >= ? ORDER BY round, rowid'),
    };
  }

  /** Registers a perspective and its first contributor. */
  insertPerspective(row: PerspectiveDbRow): void {
    this.touch(row.dialogue_id, row.round, 'perspectives');
    this.run(`INSERT INTO perspectives (dialogue_id,id,round,seq,expert,local_id,label,norm_label,content,refines,duplicate_of,merge_reason,is_new)
         VALUES (@dialogue_id,@id,@round,@seq,@expert,@local_id,@label,@norm_label,@content,@refines,@duplicate_of,@merge_reason,@is_new)`, { ...row, is_new: row.is_new ? 1 : 0 });
    this.addContributor(row.dialogue_id, row.id, row.expert, row.round);
  }

  /** Adds a contributor to a perspective (duplicates join the original). */
  addContributor(id: string, perspectiveId: string, expert: string, round: number): void {
    this.touch(id, round, 'contributors');
    this.run('INSERT OR IGNORE INTO perspective_contributors (dialogue_id,perspective_id,expert,round) VALUES (?,?,?,?)', id, perspectiveId, expert, round);
  }

  /** All perspectives in registration order. */
  perspectives(id: string): PerspectiveDbRow[] {
    return (this.sql('SELECT * FROM perspectives WHERE dialogue_id = ? ORDER BY round, seq').all(id) as PerspectiveDbRow[]).map(perspectiveOf);
  }

  /** Every (perspective, expert, round) contribution in insertion order. */
  contributors(id: string): { perspective_id: string; expert: string; round: number }[] {
    return this
      .sql('SELECT perspective_id, expert, round FROM perspective_contributors WHERE dialogue_id = ? ORDER BY rowid')
      .all(id) as { perspective_id: string; expert: string; round: number }[];
  }

  /** Registers a tension. */
  insertTension(row: TensionDbRow): void {
    this.touch(row.dialogue_id, row.round, 'tensions');
    this.run(`INSERT INTO tensions (dialogue_id,id,round,seq,raised_by,local_id,label,content,status,closed_round,resolution)
         VALUES (@dialogue_id,@id,@round,@seq,@raised_by,@local_id,@label,@content,@status,@closed_round,@resolution)`, row);
  }

  /** All tensions in registration order. */
  tensions(id: string): TensionDbRow[] {
    return this.sql('SELECT * FROM tensions WHERE dialogue_id = ? ORDER BY round, seq').all(id) as TensionDbRow[];
  }

  /** Appends a lifecycle event (who, round, the text that caused it). */
  addTensionEvent(id: string, tensionId: string, round: number, expert: string, event: TensionEventRow['event'], text: string): void {
    this.touch(id, round, 'events');
    this.run('INSERT INTO tension_events (dialogue_id,tension_id,round,expert,event,text) VALUES (?,?,?,?,?,?)', id, tensionId, round, expert, event, text);
  }

  /** All tension events in write order. */
  tensionEvents(id: string): TensionEventRow[] {
    return this.sql('SELECT * FROM tension_events WHERE dialogue_id = ? ORDER BY seq').all(id) as TensionEventRow[];
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
    this.run(`INSERT INTO scores (dialogue_id,round,expert,wisdom,consistency,truth,relationships,total,rubric_json,judge_json)
         VALUES (?,?,?,?,?,?,?,?,?,?)`, id, row.round, row.expert, row.wisdom, row.consistency, row.truth, row.relationships, row.total, row.rubric_json, row.judge_json);
  }

  /** All per-expert scores. */
  scores(id: string): ScoreDbRow[] {
    return this.sql('SELECT * FROM scores WHERE dialogue_id = ? ORDER BY round, rowid').all(id) as ScoreDbRow[];
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
    this.run('INSERT INTO judge_proposals (dialogue_id,round,kind,payload,rationale,applied) VALUES (?,?,?,?,?,?)', id, round, kind, JSON.stringify(payload), rationale, applied ? 1 : 0);
  }

  /** Stores one event of a round plan (see src/orchestrator/plan). */
  insertPlanEvent(id: string, row: PlanEventRow): void {
    this.run(`INSERT INTO plan_events (dialogue_id,round,kind,rule,expert,subject,target,line,col,similarity,threshold,detail)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, id, row.round, row.kind, row.rule, row.expert, row.subject, row.target, row.line, row.col, row.similarity, row.threshold, row.detail);
  }

  /** Plan events of the dialogue, or of one round, in write order. */
  planEvents(id: string, round?: number): PlanEventRow[] {
    const sql = `SELECT round, kind, rule, expert, subject, target, line, col, similarity, threshold, detail FROM plan_events WHERE dialogue_id = ?${
      round === undefined ? '' : ' AND round = ?'
    } ORDER BY seq`;
    const args: unknown[] = round === undefined ? [id] : [id, round];
    return this.sql(sql).all(...args) as PlanEventRow[];
  }

  /** Stores one LLM call's accounting (tokens, ms, USD). */
  insertLlmCall(row: LlmCallRow): void {
    this.run(`INSERT INTO llm_calls (dialogue_id,round,expert,purpose,provider,model,request_id,input_tokens,output_tokens,
           cache_write_tokens,cache_read_tokens,latency_ms,cost_usd,cost_unknown,retries,outcome,error,created_at)
         VALUES (@dialogue_id,@round,@expert,@purpose,@provider,@model,@request_id,@input_tokens,@output_tokens,
           @cache_write_tokens,@cache_read_tokens,@latency_ms,@cost_usd,@cost_unknown,@retries,@outcome,@error,@created_at)`, { ...row, cost_unknown: row.cost_unknown ?? 0 });
  }

  /** All LLM calls of a dialogue in order. */
  llmCalls(id: string): LlmCallRow[] {
    return this.sql('SELECT * FROM llm_calls WHERE dialogue_id = ? ORDER BY seq').all(id) as LlmCallRow[];
  }

  /** Total USD spent on a dialogue so far. */
  spentUsd(id: string): number {
    return (this.sql('SELECT COALESCE(SUM(cost_usd),0) AS s FROM llm_calls WHERE dialogue_id = ?').get(id) as { s: number }).s;
  }

  /** Stores the facilitator chart's state name (`running.round.asking`); `updated_at` stays the last status or settings change. */
  setChartState(id: string, state: string): void {
    this.run('UPDATE dialogues SET chart_state = ? WHERE id = ?', state, id);
  }
}
