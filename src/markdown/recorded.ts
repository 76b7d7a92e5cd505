/**
 * `<id>.dialogue.recorded.md`: the full record of a dialogue, in the style of blue's
 * January 2026 records (seeds 003/004): panel table, every round with the facilitator's
 * framing and each expert's response inline, a scoreboard after each round, decisions,
 * final scoreboard and open items.
 */
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import type { RootContent } from 'mdast';
import { emphasis, heading, inlineMarkdown, link, p, strong, table, tableOr, text, thematicBreak } from './builders.ts';
import { embedMarkdown } from './embed.ts';
import { displayDate, expertLabel, outcomeLabel, roundLabel, tensionStatusLong } from './format.ts';
import { stringifyMarkdown } from './processor.ts';
import { scoreboardBody, scoreTable } from './scoreboard.ts';
import { TIERS } from '../core/index.ts';
import type { Contribution, RecordedDialogueView, RecordedRound } from './views.ts';

/**
 * Renders the recorded dialogue. Expert responses are parsed as Markdown and their headings
 * demoted by three (depth = min(6, depth + 3)) so they nest under `### 🧁 Name (role)`.
 */
export function renderRecordedDialogue(view: RecordedDialogueView): string {
  const head = stringifyMarkdown([heading(1, `Alignment Dialogue: ${view.title}`), ...header(view), ...pool(view), ...panel(view)]);
  // Sections begin with a heading and end with a table, so serialising them apart and joining
  // with one blank line is what serialising them together gives.
  return `${[head, ...view.rounds.map(renderedRound), tail(view)].map((s) => s.replace(/\n$/, '')).join('\n\n')}\n`;
}

/**
 * Rendered rounds by the SHA-256 of their view (JSON): a round once judged renders the same after
 * every later round. The digest, not the JSON, is kept: the JSON holds every response again.
 */
const ROUND_CACHE = new LRUCache<string, string>({ max: 256 });

/** One round's section, parsed and serialised once per distinct content (parsing every response is the cost). */
function renderedRound(r: RecordedRound): string {
  const key = createHash('sha256').update(JSON.stringify(r)).digest('base64');
  const hit = ROUND_CACHE.get(key);
  if (hit !== undefined) return hit;
  const out = stringifyMarkdown(round(r));
  ROUND_CACHE.set(key, out);
  return out;
}

function tail(view: RecordedDialogueView): string {
  return stringifyMarkdown([
    heading(2, 'Decisions'),
    tableOr(
      [null, null, null],
      ['Topic', 'Decision', 'Rationale'],
      view.decisions.map((d) => [inlineMarkdown(d.topic), inlineMarkdown(d.decision), inlineMarkdown(d.rationale)]),
      'No decisions recorded.',
    ),
    heading(2, 'Final Scoreboard'),
    ...scoreboardBody(view.scoreboard, 3),
    heading(2, 'Open Items'),
    tableOr(
      [null, null, null],
      ['ID', 'Item', 'Status'],
      view.openItems.map((t) => [t.id, t.label, tensionStatusLong(t)]),
      'None.',
    ),
  ]);
}

function header(view: RecordedDialogueView): RootContent[] {
  const out: RootContent[] = [
    p(strong('Question'), `: ${view.question}`),
    p(strong('Date'), `: ${displayDate(view.startedAt)}`),
    p(strong('Status'), `: Recorded — ${outcomeLabel(view.outcome)}`),
    p(strong('Experts'), `: ${view.panel.length}`),
    p(strong('Max Rounds'), `: ${view.maxRounds}`),
  ];
  if (view.constraints.length > 0) out.push(p(strong('Constraints'), `: ${view.constraints.join('; ')}`));
  if (view.promotedTo !== undefined) out.push(p(strong('Promoted To'), ': ', link(view.promotedTo, view.promotedTo)));
  return out;
}

function pool(view: RecordedDialogueView): RootContent[] {
  const rows = TIERS.map((tier) => {
    const roles = view.pool.experts.filter((e) => e.tier === tier).map((e) => `${e.role} (${e.relevance.toFixed(2)})`);
    return [tier, roles.length === 0 ? '—' : roles.join(', ')];
  });
  return [
    heading(2, 'Expert Pool'),
    p(strong('Domain'), `: ${view.pool.domain}`),
    table([null, null], ['Tier', 'Experts'], rows),
  ];
}

function panel(view: RecordedDialogueView): RootContent[] {
  const mixed = view.panel.some((m) => m.model !== undefined);
  return [
    heading(2, 'Expert Panel'),
    tableOr(
      [null, null, null, 'right', null, null, ...(mixed ? [null] : [])],
      ['Expert', 'Role', 'Tier', 'Relevance', 'Source', 'First Round', ...(mixed ? ['Model'] : [])],
      view.panel.map((m) => [
        expertLabel(m.name),
        m.role,
        m.tier,
        m.relevance.toFixed(2),
        m.source,
        roundLabel(m.firstRound),
        ...(mixed ? [m.model ?? '—'] : []),
      ]),
      'No experts were seated.',
    ),
  ];
}

function round(r: RecordedRound): RootContent[] {
  const contributions = r.contributions.flatMap((c, i) => (i === 0 ? contribution(c) : [thematicBreak(), ...contribution(c)]));
  return [
    heading(2, `Round ${r.round}: ${r.label}`),
    ...framing(r.framing),
    ...contributions,
    heading(3, `Scoreboard After Round ${r.round}`),
    scoreTable([r.score]),
  ];
}

/** The framing may itself be Markdown; `**Facilitator:**` leads its first paragraph. */
function framing(markdown: string): RootContent[] {
  const nodes = embedMarkdown(markdown, 2);
  const first = nodes[0];
  if (first?.type === 'paragraph') {
    first.children.unshift(strong('Facilitator:'), text(' '));
    return nodes;
  }
  return [p(strong('Facilitator:')), ...nodes];
}

function contribution(c: Contribution): RootContent[] {
  const title = heading(3, `${expertLabel(c.expert)} (${c.role})`);
  if (c.absent !== undefined) return [title, p(emphasis(`Absent: ${c.absent}`))];
  if (c.text.trim() === '') return [title, p(emphasis('No response.'))];
  const body = embedMarkdown(c.text, 3);
  // Experts end with `---` as the grammar asks; our own separator follows, so drop theirs.
  while (body.at(-1)?.type === 'thematicBreak') body.pop();
  return [title, ...body];
}
