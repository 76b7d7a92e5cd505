/**
 * Preparing a dialogue: id and folder, panel sampling (or the recorded panel when replaying),
 * the dialogue rows, and the first files. All or nothing: a failure removes what was made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, capitalise, cleanUserText, slugify } from '../core/index.ts';
import { parseTier } from '../experts/index.ts';
import { samplePanel } from '../experts/index.ts';
import type { PanelMember, Pool } from '../experts/index.ts';
import type { RecordedSeat } from '../llm/index.ts';
import { writeDialogueYaml, writePanelYaml, writePoolYaml } from './artifacts.ts';
import { loadDialogue } from './data.ts';
import { dialogueRow } from './dialogue.ts';
import type { EngineDeps, StartInput } from './deps.ts';
import type { DialogueSettings } from './settings.ts';

/** `2026-02-06T18:39Z` → `2026-02-06T1839Z` (blue's folder timestamp). */
export function folderTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/**
 * Creates the dialogue and its round-0 panel. Returns the dialogue id.
 * @throws UserError E_USAGE for an empty question; E_EXISTS when 99 dialogues of this title began this minute.
 */
export function prepareDialogue(deps: EngineDeps, input: StartInput, settings: DialogueSettings): string {
  const { question, title, slug } = dialogueNaming(input);
  const now = deps.clock.now();
  const id = freeId(deps, `${folderTimestamp(now)}-${slug}`);
  const dir = path.posix.join('dialogues', id);
  const panel = initialPanel(deps, input.pool, settings.panelSize);
  const at = now.toISOString();
  deps.store.tx(() => {
    deps.store.insertDialogue(dialogueRow({ id, title, question, status: 'open', dir, settings, sources: input.sources, pool: input.pool, createdAt: at, updatedAt: at }));
    for (const c of input.constraints) deps.store.addConstraint(id, 0, cleanUserText(c), at);
    seatPanel(deps, id, 0, panel.map((m) => ({ member: m, reason: m.source === 'pool' ? 'sampled from the pool' : 'recorded panel' })), at);
  });
  if (deps.root) writeInitialFiles(deps, id, dir);
  return id;
}

/**
 * The cleaned question, its title and the folder slug. Pure; callers may check input with it
 * before anything is created.
 * @throws UserError E_USAGE for an empty question or a title with nothing to slug.
 */
export function dialogueNaming(input: Pick<StartInput, 'question' | 'title'>): { question: string; title: string; slug: string } {
  const question = cleanUserText(input.question).trim();
  if (question.length === 0) throw new UserError('E_USAGE', 'the question is empty', { expected: 'a design question in quotes' });
  const title = input.title === undefined ? titleFromQuestion(question) : cleanUserText(input.title).trim();
  const slug = slugify(title);
  if (!slug) throw new UserError('E_USAGE', `"${title}" has no letters or digits to name the dialogue folder`, { expected: 'a question with words' });
  return { question, title, slug };
}

/** Most dialogues one question may start within one minute before E_EXISTS. */
const MAX_SAME_MINUTE = 99;

/**
 * `base`, or `base-2`, `base-3`… when a dialogue or folder of that id exists (the same question
 * asked twice within the minute of blue's folder timestamp).
 * @throws UserError E_EXISTS when all {@link MAX_SAME_MINUTE} are taken.
 */
function freeId(deps: EngineDeps, base: string): string {
  const taken = (id: string) => deps.store.getDialogue(id) !== undefined || (deps.root !== null && fs.existsSync(path.join(deps.root, 'dialogues', id)));
  for (let n = 1; n <= MAX_SAME_MINUTE; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!taken(id)) return id;
  }
  throw new UserError('E_EXISTS', `dialogue ${base} already exists ${MAX_SAME_MINUTE} times this minute`, { where: { file: path.posix.join('dialogues', base) }, expected: 'a new question, or `blue dialogue resume` for the existing one' });
}

function writeInitialFiles(deps: EngineDeps, id: string, dir: string): void {
  const root = deps.root!;
  try {
    fs.mkdirSync(path.join(root, 'dialogues'), { recursive: true });
    fs.mkdirSync(path.join(root, dir));
    const data = loadDialogue(deps.store, id);
    writeDialogueYaml(root, data);
    writePoolYaml(root, data);
    writePanelYaml(root, data, 0);
  } catch (err) {
    fs.rmSync(path.join(root, dir), { recursive: true, force: true });
    deps.store.deleteDialogue(id);
    throw err;
  }
}

/** Inserts the round row, expert rows (first seat only) and seats, in the caller's transaction. */
export function seatPanel(deps: EngineDeps, id: string, round: number, seats: { member: PanelMember; reason: string }[], at: string): void {
  deps.store.insertRound(id, round, at);
  seats.forEach(({ member, reason }, seat) => {
    const name = member.name.toLowerCase();
    deps.store.upsertExpert({
      dialogueId: id,
      name,
      display: capitalise(member.name),
      role: member.role,
      tier: member.tier,
      relevance: member.relevance,
      focus: member.focus ?? null,
      firstRound: round,
    });
    deps.store.insertPanelSeat({ dialogue_id: id, round, expert: name, seat, source: member.source, reason });
  });
}

function initialPanel(deps: EngineDeps, pool: Pool, size: number): PanelMember[] {
  const recorded = deps.recording?.rounds[0]?.panel;
  if (recorded) return recorded.map((s) => seatToMember(s, pool));
  return samplePanel(pool, size, deps.rng);
}

/** A recorded seat as a panel member; tier and relevance fall back to the pool's entry for the role. */
export function seatToMember(seat: RecordedSeat, pool: Pool): PanelMember {
  const fromPool = pool.experts.find((e) => e.role.toLowerCase() === seat.role.toLowerCase());
  const tier = parseTier(seat.tier) ?? fromPool?.tier ?? 'Adjacent';
  return {
    name: capitalise(seat.name),
    role: seat.role,
    tier,
    relevance: seat.relevance ?? fromPool?.relevance ?? 0.5,
    source: seat.source,
    ...(seat.focus ?? fromPool?.focus ? { focus: (seat.focus ?? fromPool?.focus)! } : {}),
  };
}

/** The question as the title: whole, whitespace folded, never truncated (the slug is cut, not the title). */
export function titleFromQuestion(question: string): string {
  return question.trim().replace(/\s+/g, ' ');
}
