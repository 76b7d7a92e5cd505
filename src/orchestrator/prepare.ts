/**
 * Preparing a dialogue: id and folder, panel sampling (or the recorded panel when replaying),
 * the dialogue rows, and the first files. All or nothing: a failure removes what was made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, capitalise, slugify } from '../core/index.ts';
import { parseTier } from '../experts/pool.ts';
import { samplePanel } from '../experts/sampling.ts';
import type { PanelMember, Pool } from '../experts/types.ts';
import type { RecordedSeat } from '../llm/recording.ts';
import { writeDialogueYaml, writePanelYaml, writePoolYaml } from './artifacts.ts';
import { loadDialogue } from './data.ts';
import type { EngineDeps, StartInput } from './deps.ts';
import type { DialogueSettings } from './settings.ts';

/** `2026-02-06T18:39Z` → `2026-02-06T1839Z` (blue's folder timestamp). */
export function folderTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/**
 * Creates the dialogue and its round-0 panel. Returns the dialogue id.
 * @throws UserError E_USAGE for an empty question; E_EXISTS when the dialogue or folder already exists.
 */
export function prepareDialogue(deps: EngineDeps, input: StartInput, settings: DialogueSettings): string {
  const question = input.question.trim();
  if (question.length === 0) throw new UserError('E_USAGE', 'the question is empty', { expected: 'a design question in quotes' });
  const title = input.title ?? titleFromQuestion(question);
  const slug = slugify(title);
  if (!slug) throw new UserError('E_USAGE', `"${title}" has no letters or digits to name the dialogue folder`, { expected: 'a question with words' });
  const now = deps.clock.now();
  const id = `${folderTimestamp(now)}-${slug}`;
  const dir = path.posix.join('dialogues', id);
  if (deps.store.getDialogue(id) || (deps.root && fs.existsSync(path.join(deps.root, dir)))) {
    throw new UserError('E_EXISTS', `dialogue ${id} already exists`, { where: { file: dir }, expected: 'a new question, or `blue dialogue resume` for the existing one' });
  }
  const panel = initialPanel(deps, input.pool, settings.panelSize);
  const at = now.toISOString();
  deps.store.tx(() => {
    deps.store.insertDialogue({
      id,
      title,
      question,
      status: 'open',
      dir,
      settings_json: JSON.stringify({ ...settings, sources: input.sources }),
      pool_json: JSON.stringify(input.pool),
      created_at: at,
      updated_at: at,
    });
    for (const c of input.constraints) deps.store.addConstraint(id, 0, c, at);
    seatPanel(deps, id, 0, panel.map((m) => ({ member: m, reason: m.source === 'pool' ? 'sampled from the pool' : 'recorded panel' })), at);
  });
  if (deps.root) writeInitialFiles(deps, id, dir);
  return id;
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
    deps.store.db.prepare('DELETE FROM dialogues WHERE id = ?').run(id);
    throw err;
  }
}

/** Inserts the round row, expert rows (first seat only) and seats, in the caller's transaction. */
export function seatPanel(deps: EngineDeps, id: string, round: number, seats: { member: PanelMember; reason: string }[], at: string): void {
  deps.store.insertRound(id, round, at);
  seats.forEach(({ member, reason }, seat) => {
    const name = member.name.toLowerCase();
    deps.store.upsertExpert({
      dialogue_id: id,
      name,
      display: capitalise(member.name),
      role: member.role,
      tier: member.tier,
      relevance: member.relevance,
      focus: member.focus ?? null,
      first_round: round,
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
