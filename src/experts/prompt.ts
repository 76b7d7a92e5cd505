/**
 * Expert prompts. Layout for prompt caching (ARCHITECTURE §7), two breakpoints: a stable head
 * (rules, grammar, question, constraints, sources; no round number) that is byte-identical across
 * rounds, then the round context (round number, previous summary, open tensions, previous
 * responses), identical for every expert of the round; then the persona, and the per-expert delta
 * as the user message.
 */
import type { Message, SystemBlock } from '../core/index.ts';
import { MAX_PERSPECTIVES, MAX_TENSIONS } from './markers.ts';
import { EXPERT_EMOJI } from './names.ts';
import type { PanelMember } from './types.ts';

/** Everything shared by all experts of one round. */
export interface RoundContext {
  question: string;
  constraints: string[];
  /** Grounding files, shown fenced. `path` is workspace-relative. */
  sources: { path: string; content: string }[];
  /** 0-based round number. */
  round: number;
  maxRounds: number;
  /** Markdown digest of the previous round (figures, what changed, key question, camps); null in round 0. */
  previousSummary: string | null;
  openTensions: { id: string; label: string; raisedBy: string }[];
  /** Perspectives registered so far (global ids the experts may cite). */
  perspectives: { id: string; label: string; contributors: string[] }[];
  /** Previous round's responses only (bounded context, blue spec §1.6.1). */
  peerResponses: { expert: string; text: string }[];
  /** Answer-length limit in words, written into the head; omitted = no limit stated. */
  answerWords?: number;
  /** `'1h'`: cache the stable head for one hour (written at 2× input) instead of 5 minutes. */
  headTtl?: '1h';
}

/** What differs per expert. */
export interface ExpertDelta {
  member: PanelMember;
  /** Joined after round 0 (rotation): gets a "joining in progress" brief. */
  isNewcomer: boolean;
  /** Tensions this expert raised that are still open. */
  ownOpenTensions: { id: string; label: string }[];
  /** Facilitator's directive for this expert and round. */
  directive?: string;
  /** Contrarian premise-check round (early agreement, ARCHITECTURE §5). */
  premiseCheck?: boolean;
}

/** A ready-to-send prompt plus its Markdown audit rendering (`round-N/<name>.prompt.md`). */
export interface ExpertPrompt {
  /** `[0]` stable head (`cache: true`), `[1]` round context (`cache: true`), `[2]` persona. */
  system: SystemBlock[];
  /** One user message: the per-expert delta. */
  messages: Message[];
  /**
   * The audit rendering, built on each read: a round's prompts wait on their calls together, and
   * a copy of the shared part per seat (48 × ~100 k chars) was the round's largest holding.
   */
  readonly rendered: string;
  /** The part of `rendered` every expert of the round shares (head and round context), stored once. */
  shared: string;
  /** The stable head as `shared` begins with it: the same in every round, so the store keeps it once per dialogue. */
  head: string;
}

/**
 * Builds the prompt for one expert in one round. Pure and deterministic. The parts every seat
 * shares (head, round context, the shared audit text) are built once per `ctx` object and the
 * same strings are handed to every seat, so `ctx` must not change once a prompt is built from it.
 */
export function buildExpertPrompt(ctx: RoundContext, delta: ExpertDelta): ExpertPrompt {
  const { head, context, shared } = sharedParts(ctx);
  const persona = personaBlock(delta.member);
  const user = expertDelta(ctx, delta);
  const system: SystemBlock[] = [{ text: head, cache: true, ...(ctx.headTtl ? { ttl: ctx.headTtl } : {}) }, { text: context, cache: true }, { text: persona }];
  const messages: Message[] = [{ role: 'user', content: user }];
  const top = `# Prompt: ${delta.member.name}, round ${ctx.round}`;
  return {
    system,
    messages,
    shared,
    head: head.trimEnd(),
    get rendered() {
      return renderedPrompt(top, shared, persona, user);
    },
  };
}

/** The audit rendering of one prompt. */
function renderedPrompt(top: string, shared: string, persona: string, user: string): string {
  return [
    top,
    '',
    '<!-- system[0]: stable head, identical in every round (cached) -->',
    '',
    shared,
    '',
    '<!-- system[2]: persona -->',
    '',
    persona.trimEnd(),
    '',
    '<!-- messages[0]: user -->',
    '',
    user.trimEnd(),
    '',
  ].join('\n');
}

/** What every seat of a round shares: the head, the round context, and both as audit text. */
interface SharedParts {
  head: string;
  context: string;
  shared: string;
}

/** {@link SharedParts} by round context object: built once per round, not once per seat. */
const SHARED_PARTS = new WeakMap<RoundContext, SharedParts>();

function sharedParts(ctx: RoundContext): SharedParts {
  const hit = SHARED_PARTS.get(ctx);
  if (hit) return hit;
  const head = stableHead(ctx);
  const context = roundBlock(ctx);
  const shared = [
    head.trimEnd(),
    '',
    '<!-- system[1]: round context, identical for every expert this round (cached) -->',
    '',
    context.trimEnd(),
  ].join('\n');
  const parts = { head, context, shared };
  SHARED_PARTS.set(ctx, parts);
  return parts;
}

/** The teaching text of the grammar (ARCHITECTURE §4), identical in every prompt. */
export const GRAMMAR_BLOCK = [
  '[PERSPECTIVE P01: short label]         2–4 sentences follow. At most 2 per response.',
  '[TENSION T01: short label]             1–2 sentences follow. At most 1 per response.',
  '[REFINEMENT P0102: how it changes]     refines an existing perspective (global ID)',
  '[CONCESSION P0003: what is conceded]   or on a tension: [CONCESSION T0001: …]',
  '[RESOLVED T0001: how it is resolved]',
  '[ACCEPTED UNRESOLVED T0004: why the trade-off is acceptable]',
  '[MOVE:CONVERGE]                        the expert has no remaining objection',
  '[MOVE:DEFEND P0001] [MOVE:CHALLENGE P0201] [MOVE:BRIDGE P0001, P0104]',
  '[MOVE:CHALLENGE T0003: why]            on a resolved or accepted tension: reopens it',
  '[DISSENT: formal objection]',
].join('\n');

const RULES = `You are one expert on a panel working toward alignment on a design question. A facilitator runs the rounds, registers what you raise and decides convergence from what you write.

## How to take part

- Bring up what the others have not said yet. A point already on the table is cited by its id, not repeated.
- Keep an idea when the evidence supports it, and say what that evidence is. Being consistent is not a reason.
- Question assumptions to test them, not to score points. Say which claim you doubt and why.
- Combine ideas when they fit together, and say which ids you are joining.
- Give way openly when someone else's argument is better than yours. A concession counts in your favour.

One precise point is worth more than a long essay. The panel succeeds together or not at all.`;

const MARKER_RULES = [
  `- At most ${MAX_PERSPECTIVES} PERSPECTIVE markers and at most ${MAX_TENSIONS} TENSION marker per response.`,
  '- P01, P02 and T01 are your local ids for this response. The facilitator gives them global ids (P0102 is round 1, item 2).',
  '- To refer to earlier work, use only the global ids listed below. Do not make up ids.',
  '- Write [MOVE:CONVERGE] only when you have no objection left. If something still blocks you, state it as a TENSION or a DISSENT.',
  '- When a tension is a trade-off the panel can live with, write [ACCEPTED UNRESOLVED Txxxx: why] rather than pretending it is resolved.',
  '- Each marker goes at the start of its own line, with its text on the lines below it. End your response with a line containing only `---`.',
].join('\n');

/**
 * The stable head: rules, grammar, the answer-length limit, question, constraints and sources.
 * Holds nothing that changes from round to round, so its cache entry is reused across rounds
 * (a constraint added mid-dialogue changes it once).
 */
export function stableHead(ctx: RoundContext): string {
  const parts: string[] = [
    '# Alignment dialogue',
    '',
    RULES,
    '',
    '## Markers',
    '',
    'Write your whole response with these markers:',
    '',
    '```text',
    GRAMMAR_BLOCK,
    '```',
    '',
    MARKER_RULES,
  ];
  if (ctx.answerWords !== undefined) parts.push(`- Answer in at most ${ctx.answerWords} words.`);
  parts.push('', '## Question', '', ctx.question.trim());
  if (ctx.constraints.length > 0) parts.push('', '## Constraints', '', ...ctx.constraints.map((c) => `- ${c.trim()}`));
  if (ctx.sources.length > 0) {
    parts.push('', '## Sources');
    for (const s of ctx.sources) parts.push('', `### ${s.path}`, '', fenced(s.content, languageOf(s.path)));
  }
  return parts.join('\n') + '\n';
}

/**
 * The round context: the round number, then the previous summary, open tensions, known perspective
 * ids and the previous round's responses. Byte-identical for every expert of the round; its size
 * depends only on the previous round.
 */
export function roundBlock(ctx: RoundContext): string {
  const parts: string[] = ['## This round', '', `This is round ${ctx.round} of at most ${ctx.maxRounds} (rounds are numbered from 0).`];
  if (ctx.round === 0 && ctx.previousSummary === null && ctx.peerResponses.length === 0) {
    parts.push('', '## Dialogue so far', '', 'This is the opening round. Nobody has spoken yet, so answer on your own.');
  }
  if (ctx.previousSummary !== null) {
    parts.push('', `## Round ${ctx.round - 1} in brief`, '', demoteHeadings(ctx.previousSummary.trim()));
  }
  if (ctx.openTensions.length > 0) {
    parts.push('', '## Open tensions', '', ...ctx.openTensions.map((t) => `- ${t.id}: ${t.label} (raised by ${t.raisedBy})`));
  }
  if (ctx.perspectives.length > 0) {
    parts.push('', '## Known perspectives', '', ...ctx.perspectives.map((p) => `- ${p.id}: ${p.label} (${p.contributors.join(', ')})`));
  }
  if (ctx.peerResponses.length > 0) {
    parts.push('', `## Responses from round ${ctx.round - 1}`);
    for (const r of ctx.peerResponses) parts.push('', `<response expert="${r.expert}">`, neutraliseTags(r.text.trim()), '</response>');
  }
  return parts.join('\n') + '\n';
}

/** Everything every expert of a round shares, as one text: the stable head, then the round context. */
export function sharedPrefix(ctx: RoundContext): string {
  return `${stableHead(ctx)}\n${roundBlock(ctx)}`;
}

/** The persona block: `You are Muffin 🧁, a <role> …` with tier, relevance and focus. */
export function personaBlock(member: PanelMember): string {
  const lines = [
    `You are ${member.name} ${EXPERT_EMOJI}, ${article(member.role)} ${member.role} on this panel (${member.tier} tier, relevance ${member.relevance}).`,
  ];
  if (member.focus) lines.push('', `Your focus: ${member.focus.trim()}`, 'Look at the question through this lens.');
  if (member.tier === 'Wildcard') lines.push('', 'You were picked as a wildcard. Question what the core experts take for granted.');
  return lines.join('\n') + '\n';
}

/** The per-expert user message: round, newcomer brief, own open tensions, directive, premise check, ask. */
export function expertDelta(ctx: RoundContext, delta: ExpertDelta): string {
  const { member } = delta;
  const parts: string[] = [`## Round ${ctx.round}: ${member.name}`];
  if (delta.isNewcomer && ctx.round > 0) {
    parts.push(
      '',
      `You are joining this dialogue in progress at round ${ctx.round}. Everything above is what has happened so far.`,
      'Contribute what the panel has been missing. Where you agree with an existing point, cite its id instead of restating it.',
    );
  }
  if (delta.ownOpenTensions.length > 0) {
    parts.push(
      '',
      'Tensions you raised that are still open:',
      '',
      ...delta.ownOpenTensions.map((t) => `- ${t.id}: ${t.label}`),
      '',
      'For each one, resolve it, accept it, or say what still blocks it.',
    );
  }
  if (delta.directive?.trim()) parts.push('', '### Directive from the facilitator', '', delta.directive.trim());
  if (delta.premiseCheck) {
    parts.push(
      '',
      '### Premise check',
      '',
      'The panel agreed quickly, so this round tests the premise of the question itself. Find the assumption most likely to be wrong and argue against it as strongly as you honestly can.',
      'Write [MOVE:CONVERGE] only if the premise holds up after that.',
    );
  }
  const ask =
    ctx.round === 0
      ? `Respond now with markers only: up to ${MAX_PERSPECTIVES} perspectives and at most ${MAX_TENSIONS} tension. No introduction and no conclusion. End with \`---\`.`
      : 'Respond now with markers only, following the grammar above. Cite global ids. No introduction and no conclusion. End with `---`.';
  parts.push('', ask);
  return parts.join('\n') + '\n';
}

// --- helpers -------------------------------------------------------------------------------

/** A response cannot close its own `<response>` wrapper and pose as another expert. */
function neutraliseTags(text: string): string {
  return text.replace(/<(\/?)response\b/gi, '&lt;$1response');
}

/** A code fence longer than any backtick run inside `content`. */
function fenced(content: string, lang: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${content.replace(/\n$/, '')}\n${fence}`;
}

function languageOf(file: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  return ext === 'md' ? 'markdown' : ext;
}

/** Pushes headings down two levels so an embedded summary nests under our `##` section. */
function demoteHeadings(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      if (inFence) return line;
      return line.replace(/^(#{1,6})(\s)/, (_m, hashes: string, space: string) => `${'#'.repeat(Math.min(6, hashes.length + 2))}${space}`);
    })
    .join('\n');
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
