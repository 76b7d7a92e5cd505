/**
 * Reading a recorded dialogue folder, in our layout or blue's:
 *
 * - ours:  `dialogue.yaml`, `expert-pool.yaml`, `round-N/panel.yaml`, `round-N/<name>.md`,
 *          optionally `recording/round-N/<name>.json` (exact request/response pairs from `--record`)
 * - blue:  `expert-pool.json`, `round-N/panel.json` ({agents, history}), `round-N/<name>.md`
 *
 * `*.prompt.md` (audit copies of prompts) and the judge's files ({@link isJudgeFile}) are never
 * read as responses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, seatNameProblem } from '../core/index.ts';
import { parseJsonText, parseYamlText, readTextFile } from '../core/index.ts';

/** One seat of a recorded panel. `name` is lowercase. */
export interface RecordedSeat {
  name: string;
  role: string;
  tier?: string;
  relevance?: number;
  source: 'retained' | 'pool' | 'created';
  focus?: string;
  /** Why the seat was taken (our panel.yaml records it). */
  reason?: string;
}

/** One recorded round: who sat and what each answered. */
export interface RecordedRound {
  round: number;
  panel: RecordedSeat[];
  /** Lowercase name → response text. */
  responses: Map<string, string>;
  /** Lowercase name → exact recorded pair (JSON), when recorded with `--record`. */
  exact: Map<string, unknown>;
  /** Lowercase name → the prompt that expert answered (`round-N/<name>.prompt.md`), when recorded. */
  prompts?: Map<string, string>;
}

/** A loaded recording. */
export interface Recording {
  dir: string;
  layout: 'blue' | 'ours';
  question?: string;
  /** Raw pool document (JSON or YAML), validated by the experts module. */
  poolFile?: string;
  rounds: RecordedRound[];
  /**
   * Where line `line` (1-based), column `column` of a response comes from, when the responses were
   * read out of one file (a recorded inline dialogue), so findings can point at that file.
   */
  locate?: (round: number, expert: string, line: number, column: number) => { file: string; line: number; column: number } | undefined;
}

const ROUND_DIR = /^round-(\d+)$/;

/**
 * Loads a recorded dialogue folder.
 * @throws UserError E_REPLAY when the folder is missing or holds no `round-N/` with responses.
 */
export function loadRecording(dir: string): Recording {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError('E_REPLAY', `replay folder not found: ${dir}`, {
      expected: 'a recorded dialogue folder with round-0/<expert>.md files',
    });
  }
  const folder = new ReplayFolder(dir);
  const layout = fs.existsSync(path.join(dir, 'expert-pool.json')) && !fs.existsSync(path.join(dir, 'dialogue.yaml')) ? 'blue' : 'ours';
  const roundNumbers = fs
    .readdirSync(dir)
    .map((n) => ROUND_DIR.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const panels = roundNumbers.map((r) => readPanelFile(folder, r));
  const roles = knownRoles(panels);
  const rounds: RecordedRound[] = [];
  for (const [i, r] of roundNumbers.entries()) {
    if (r !== i) break; // a gap ends the usable recording
    const responses = readResponses(folder, `round-${r}`);
    if (responses.size === 0) break;
    const prompts = readPrompts(folder, `round-${r}`);
    const panel = panels[i] ?? inferPanel(responses, prompts, roles, rounds[i - 1]);
    rounds.push({ round: r, panel, responses, exact: readExact(folder, r), prompts });
  }
  if (rounds.length === 0 || rounds.every((r) => [...r.responses.values()].every((t) => t.trim() === ''))) {
    throw new UserError('E_REPLAY', `no expert response in ${dir}${judgeFilesNote(dir)}`, {
      expected: 'round-0/<expert>.md files (blue or Blue layout)',
    });
  }
  const poolFile = ['expert-pool.yaml', 'expert-pool.json'].find((f) => fs.existsSync(path.join(dir, f)));
  const question = readQuestion(folder);
  return { dir, layout, ...(question === undefined ? {} : { question }), ...(poolFile ? { poolFile: folder.resolve(poolFile) } : {}), rounds };
}

/**
 * The replay folder. Every read goes through it: a file whose real path (after symlinks) lies
 * outside the folder is refused, so a recording can never feed the experts another file.
 */
class ReplayFolder {
  readonly dir: string;
  readonly #real: string;
  constructor(dir: string) {
    this.dir = dir;
    this.#real = fs.realpathSync(dir);
  }
  /** The absolute path of `rel`. @throws UserError E_REPLAY when it resolves outside the folder. */
  resolve(rel: string): string {
    const full = path.join(this.dir, rel);
    let real: string;
    try {
      real = fs.realpathSync(full);
    } catch (err) {
      // e.g. a dangling symlink: listed by readdir, unreadable.
      throw new UserError('E_REPLAY', `cannot read (${(err as NodeJS.ErrnoException).code ?? 'read error'})`, { where: { file: this.display(rel) }, expected: 'files inside the recorded folder' });
    }
    if (real !== this.#real && !real.startsWith(this.#real + path.sep)) {
      throw new UserError('E_REPLAY', 'a link out of the replay folder; refusing to read it', { where: { file: this.display(rel) }, expected: 'files inside the recorded folder' });
    }
    return full;
  }
  /** Text of `rel` (inside the folder). */
  read(rel: string): string {
    return readTextFile(this.resolve(rel), this.display(rel), 'E_REPLAY');
  }
  exists(rel: string): boolean {
    return fs.existsSync(path.join(this.dir, rel));
  }
  /** Sorted entries of the sub-folder `rel` (inside the folder). */
  list(rel: string): string[] {
    return fs.readdirSync(this.resolve(rel)).sort();
  }
  display(rel: string): string {
    return path.join(this.dir, rel);
  }
  json(rel: string): unknown {
    return parseJsonText(this.read(rel), this.display(rel), 'E_REPLAY');
  }
  yaml(rel: string): unknown {
    return parseYamlText(this.read(rel), this.display(rel), 'E_REPLAY').data;
  }
}

/** Files a judge or facilitator writes (summaries, scoreboards, briefs, panels): never an expert's response. */
const JUDGE_FILE = /^(?:scoreboard|context-brief|convergence|summary|tensions|verdict)\.md$|\.summary\.md$|^panel\./i;

/** True for a judge's file (`scoreboard.md`, `context-brief.md`, `CONVERGENCE.md`, `summary.md`, `*.summary.md`, `tensions.md`, `verdict.md`, `panel.*`). */
export function isJudgeFile(name: string): boolean {
  return JUDGE_FILE.test(name);
}

/** True for an expert's response file in a `round-N/` folder (not a `*.prompt.md` audit copy, a record or a judge's file). */
export function isResponseFile(name: string): boolean {
  return name.endsWith('.md') && !name.endsWith('.prompt.md') && !name.endsWith('.dialogue.recorded.md') && !isJudgeFile(name);
}

/** `: only judge files (scoreboard.md, …)` when the folder holds some, so the error says what was found. */
function judgeFilesNote(dir: string): string {
  const found = [dir, ...fs.readdirSync(dir).filter((n) => ROUND_DIR.test(n)).map((n) => path.join(dir, n))]
    .flatMap((d) => fs.readdirSync(d))
    .filter(isJudgeFile);
  return found.length === 0 ? '' : `: only judge files (${[...new Set(found)].sort().join(', ')})`;
}

function readResponses(folder: ReplayFolder, roundRel: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of folder.list(roundRel)) {
    if (!isResponseFile(file)) continue;
    const rel = path.join(roundRel, file);
    out.set(checkedName(file.slice(0, -3).toLowerCase(), folder.display(rel)), folder.read(rel));
  }
  return out;
}

/** A seat name that is safe as a file name. @throws UserError E_REPLAY naming the file. */
function checkedName(name: string, display: string, field?: string): string {
  const problem = seatNameProblem(name);
  if (problem) throw new UserError('E_REPLAY', `expert name ${JSON.stringify(name)} ${problem}`, { where: { file: display, ...(field ? { field } : {}) }, expected: 'a name of letters, digits, - or _ that is not a generated file (summary, panel…)' });
  return name;
}

/** The prompts blue or we stored beside the responses (`<expert>.prompt.md`), by lowercase name. */
function readPrompts(folder: ReplayFolder, roundRel: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of folder.list(roundRel)) {
    if (file.endsWith('.prompt.md')) out.set(file.slice(0, -'.prompt.md'.length).toLowerCase(), folder.read(path.join(roundRel, file)));
  }
  return out;
}

function readExact(folder: ReplayFolder, round: number): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const recRel = path.join('recording', `round-${round}`);
  if (!folder.exists(recRel)) return out;
  for (const file of folder.list(recRel)) {
    if (file.endsWith('.json')) out.set(file.slice(0, -5), folder.json(path.join(recRel, file)));
  }
  return out;
}

function readQuestion(folder: ReplayFolder): string | undefined {
  if (folder.exists('dialogue.yaml')) {
    const doc = folder.yaml('dialogue.yaml') as { question?: unknown } | null;
    if (typeof doc?.question === 'string') return doc.question;
  }
  if (folder.exists('expert-pool.json')) {
    const pool = folder.json('expert-pool.json') as { question?: unknown } | null;
    if (typeof pool?.question === 'string') return pool.question;
  }
  return undefined;
}

interface PanelFileSeat {
  name?: unknown;
  role?: unknown;
  tier?: unknown;
  relevance?: unknown;
  source?: unknown;
  focus?: unknown;
  reason?: unknown;
}

/** Reads `round-N/panel.yaml` (ours) or `round-N/panel.json` (blue's `{agents, history}` shape). */
function readPanelFile(folder: ReplayFolder, round: number): RecordedSeat[] | undefined {
  const yamlRel = path.join(`round-${round}`, 'panel.yaml');
  const jsonRel = path.join(`round-${round}`, 'panel.json');
  if (folder.exists(yamlRel)) {
    const doc = folder.yaml(yamlRel);
    const experts = isRecord(doc) ? doc.experts : undefined;
    return seatsOf(experts, folder.display(yamlRel), 'experts', new Map());
  }
  if (!folder.exists(jsonRel)) return undefined;
  const doc = folder.json(jsonRel);
  if (!isRecord(doc)) return seatsOf(undefined, folder.display(jsonRel), 'agents', new Map());
  const field = doc.agents !== undefined ? 'agents' : 'panel';
  const history = isRecord(doc.history) && Array.isArray(doc.history.experts) ? (doc.history.experts as unknown[]).filter(isRecord) : [];
  const sources = new Map(history.map((e) => [String(e.name).toLowerCase(), e.source]));
  return seatsOf(doc[field], folder.display(jsonRel), field, sources);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The seats of a panel file. @throws UserError E_REPLAY unless `list` is a non-empty list of named seats. */
function seatsOf(list: unknown, display: string, field: string, sources: Map<string, unknown>): RecordedSeat[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new UserError('E_REPLAY', `no panel in ${path.basename(display)}`, { where: { file: display, field }, expected: `${field}: a list of seats with a name and a role` });
  }
  return list.map((s: unknown, i) => {
    const seat = (isRecord(s) ? s : {}) as PanelFileSeat;
    if (typeof seat.name !== 'string') throw new UserError('E_REPLAY', 'seat has no name', { where: { file: display, field: `${field}[${i}].name` }, expected: 'a string' });
    checkedName(seat.name.toLowerCase(), display, `${field}[${i}].name`);
    return toSeat(seat, sources.get(seat.name.toLowerCase()));
  });
}

function toSeat(s: PanelFileSeat, source: unknown): RecordedSeat {
  const src = String(source ?? s.source ?? 'pool');
  return {
    name: String(s.name).toLowerCase(),
    role: typeof s.role === 'string' ? s.role : 'Expert',
    ...(typeof s.tier === 'string' ? { tier: s.tier } : {}),
    ...(typeof s.relevance === 'number' ? { relevance: s.relevance } : {}),
    source: src === 'retained' || src === 'created' ? src : 'pool',
    ...(typeof s.focus === 'string' ? { focus: s.focus } : {}),
    ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
  };
}

function knownRoles(panels: (RecordedSeat[] | undefined)[]): Map<string, RecordedSeat> {
  const roles = new Map<string, RecordedSeat>();
  for (const seat of panels.flatMap((p) => p ?? [])) if (!roles.has(seat.name)) roles.set(seat.name, seat);
  return roles;
}

const PROMPT_ROLE = /You are \S+ \S*,? an? (.+?) in an ALIGNMENT/;

/** A round without a panel file: the responders, with roles from other rounds or the audit prompt. */
function inferPanel(
  responses: Map<string, string>,
  prompts: Map<string, string>,
  roles: Map<string, RecordedSeat>,
  previous: RecordedRound | undefined,
): RecordedSeat[] {
  const before = new Set(previous?.panel.map((s) => s.name) ?? []);
  return [...responses.keys()].map((name) => {
    const known = roles.get(name);
    const prompt = prompts.get(name);
    const fromPrompt = prompt === undefined ? undefined : PROMPT_ROLE.exec(prompt)?.[1];
    return {
      ...(known ?? {}),
      name,
      role: known?.role ?? fromPrompt ?? 'Expert',
      source: before.has(name) ? 'retained' : 'pool',
    };
  });
}
