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
import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/index.ts';

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
  const layout = fs.existsSync(path.join(dir, 'expert-pool.json')) && !fs.existsSync(path.join(dir, 'dialogue.yaml')) ? 'blue' : 'ours';
  const roundNumbers = fs
    .readdirSync(dir)
    .map((n) => ROUND_DIR.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const panels = roundNumbers.map((r) => readPanelFile(dir, r));
  const roles = knownRoles(panels);
  const rounds: RecordedRound[] = [];
  for (const [i, r] of roundNumbers.entries()) {
    if (r !== i) break; // a gap ends the usable recording
    const responses = readResponses(path.join(dir, `round-${r}`));
    if (responses.size === 0) break;
    const panel = panels[i] ?? inferPanel(dir, r, responses, roles, rounds[i - 1]);
    rounds.push({ round: r, panel, responses, exact: readExact(dir, r), prompts: readPrompts(path.join(dir, `round-${r}`)) });
  }
  if (rounds.length === 0 || rounds.every((r) => [...r.responses.values()].every((t) => t.trim() === ''))) {
    throw new UserError('E_REPLAY', `no expert response in ${dir}${judgeFilesNote(dir)}`, {
      expected: 'round-0/<expert>.md files (blue or Blue layout)',
    });
  }
  const poolFile = ['expert-pool.yaml', 'expert-pool.json'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  return { dir, layout, question: readQuestion(dir), ...(poolFile ? { poolFile } : {}), rounds };
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

function readResponses(roundDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of fs.readdirSync(roundDir).sort()) {
    if (!isResponseFile(file)) continue;
    out.set(file.slice(0, -3).toLowerCase(), fs.readFileSync(path.join(roundDir, file), 'utf8'));
  }
  return out;
}

function readPrompts(roundDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of fs.readdirSync(roundDir).sort()) {
    if (file.endsWith('.prompt.md')) out.set(file.slice(0, -'.prompt.md'.length).toLowerCase(), fs.readFileSync(path.join(roundDir, file), 'utf8'));
  }
  return out;
}

function readExact(dir: string, round: number): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const recDir = path.join(dir, 'recording', `round-${round}`);
  if (!fs.existsSync(recDir)) return out;
  for (const file of fs.readdirSync(recDir)) {
    if (file.endsWith('.json')) out.set(file.slice(0, -5), JSON.parse(fs.readFileSync(path.join(recDir, file), 'utf8')));
  }
  return out;
}

function readQuestion(dir: string): string | undefined {
  const yamlFile = path.join(dir, 'dialogue.yaml');
  if (fs.existsSync(yamlFile)) {
    const doc = parseYaml(fs.readFileSync(yamlFile, 'utf8')) as { question?: unknown } | null;
    if (typeof doc?.question === 'string') return doc.question;
  }
  const poolJson = path.join(dir, 'expert-pool.json');
  if (fs.existsSync(poolJson)) {
    const pool = JSON.parse(fs.readFileSync(poolJson, 'utf8')) as { question?: unknown };
    if (typeof pool.question === 'string') return pool.question;
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
function readPanelFile(dir: string, round: number): RecordedSeat[] | undefined {
  const yamlFile = path.join(dir, `round-${round}`, 'panel.yaml');
  const jsonFile = path.join(dir, `round-${round}`, 'panel.json');
  if (fs.existsSync(yamlFile)) {
    const doc = parseYaml(fs.readFileSync(yamlFile, 'utf8')) as { experts?: PanelFileSeat[] } | null;
    return (doc?.experts ?? []).map((s) => toSeat(s, undefined));
  }
  if (!fs.existsSync(jsonFile)) return undefined;
  const doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {
    agents?: PanelFileSeat[];
    history?: { experts?: PanelFileSeat[] };
    panel?: PanelFileSeat[];
  };
  const agents = doc.agents ?? doc.panel ?? [];
  const sources = new Map((doc.history?.experts ?? []).map((e) => [String(e.name).toLowerCase(), e.source]));
  return agents.map((a) => toSeat(a, sources.get(String(a.name).toLowerCase())));
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
  dir: string,
  round: number,
  responses: Map<string, string>,
  roles: Map<string, RecordedSeat>,
  previous: RecordedRound | undefined,
): RecordedSeat[] {
  const before = new Set(previous?.panel.map((s) => s.name) ?? []);
  return [...responses.keys()].map((name) => {
    const known = roles.get(name);
    const promptFile = path.join(dir, `round-${round}`, `${name}.prompt.md`);
    const fromPrompt = fs.existsSync(promptFile) ? PROMPT_ROLE.exec(fs.readFileSync(promptFile, 'utf8'))?.[1] : undefined;
    return {
      ...(known ?? {}),
      name,
      role: known?.role ?? fromPrompt ?? 'Expert',
      source: before.has(name) ? 'retained' : 'pool',
    };
  });
}
