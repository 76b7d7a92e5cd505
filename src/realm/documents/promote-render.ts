/**
 * The Markdown of a promoted RFC and of an `## Amendment:` section, built as mdast. It follows the
 * "dialogue carried into an RFC" convention of blue's RFC 0058 (reference §3.2–3.3). With the LLM
 * judge the draft carries its answer and its decisions with rationale; without it, the draft says
 * what is missing and builds the Proposal from what the panel converged on, without repeating the
 * resolved tensions as a second "decisions" list. Expert text is read as inline Markdown, so its
 * `code` stays code instead of coming out escaped.
 */
import path from 'node:path';
import type { BlockContent, PhrasingContent, RootContent } from 'mdast';
import type { Decision, ExpertContribution, TensionRow, VerdictView } from '../../markdown/index.ts';

export type { ExpertContribution } from '../../markdown/index.ts';
import { parseMarkdown, stringifyMarkdown } from '../../markdown/index.ts';
import { bullets, heading, link, oneLineText, para, strong, table, text } from './mdast.ts';
import { FOLDERS, statusTitle } from './model.ts';
import { documentHead } from './templates.ts';

/** What a promotion renders. `recordFile` is relative to the workspace root. */
export interface PromotionInput {
  /** Folder name, e.g. `2026-02-06T1839Z-rfc-0058-supersession`. */
  dialogueId: string;
  /** Relative to root: `dialogues/<id>/<id>.dialogue.recorded.md`. */
  recordFile: string;
  verdict: VerdictView;
  /** ISO date (YYYY-MM-DD) of the promotion, from the injected clock. */
  date: string;
  /** Realm contracts the dialogue was grounded on (`domain/contract`), listed in the header. */
  contracts?: string[];
  /** The dialogue's constraints (searched for RFC numbers, like the question). */
  constraints?: string[];
  /** Per-expert contributions, in panel order. */
  contributions?: ExpertContribution[];
}

/** Endings that `--allow-forced` may promote: the dialogue finished its run without converging. */
export const ENDED_UNCONVERGED: ReadonlySet<string> = new Set(['forced', 'recording_exhausted', 'budget_exhausted']);

/**
 * Inline Markdown of one line of expert or judge prose: `code`, *emphasis* and links kept as
 * such (a text node would have them escaped, `` \` ``). Falls back to plain text when the line
 * is not a single paragraph (a line that reads as a heading or list item, say).
 */
export function inline(value: string): PhrasingContent[] {
  const line = oneLineText(value);
  const nodes = parseMarkdown(line).children;
  const only = nodes[0];
  return nodes.length === 1 && only?.type === 'paragraph' ? stripPositions(only.children) : [text(line)];
}

function stripPositions<T>(nodes: T): T {
  return JSON.parse(JSON.stringify(nodes, (k, v: unknown) => (k === 'position' ? undefined : v))) as T;
}

/**
 * True when the decision was not written by the judge but restated from a resolved tension
 * (the offline fallback: topic = the tension's label, its only source = the tension).
 */
function restatesTension(d: Decision, v: VerdictView): boolean {
  return d.sources.length === 1 && v.resolvedTensions.some((t) => t.id === d.sources[0] && oneLineText(t.label) === oneLineText(d.topic));
}

/** The judge's decisions, identical rows merged. Empty offline. */
export function judgeDecisions(v: VerdictView): Decision[] {
  const out: Decision[] = [];
  for (const d of v.decisions) {
    if (restatesTension(d, v)) continue;
    const same = out.find((o) => oneLineText(o.topic) === oneLineText(d.topic) && oneLineText(o.decision) === oneLineText(d.decision));
    if (same) same.sources = [...new Set([...same.sources, ...d.sources])];
    else out.push({ ...d, sources: [...d.sources] });
  }
  return out;
}

/** Resolved tensions grouped by identical resolution text, in first-seen order. */
function resolutionGroups(v: VerdictView): TensionRow[][] {
  const groups = new Map<string, TensionRow[]>();
  for (const t of v.resolvedTensions) {
    const key = oneLineText(t.resolution ?? `${t.id}`);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()];
}

/** `415 (W:… C:… T:… R:…; 4 rounds, 10 experts, 17/17 tensions resolved)`. */
export function alignmentSummary(v: VerdictView): string {
  const t = v.totals;
  return `${t.total} (W:${t.wisdom} C:${t.consistency} T:${t.truth} R:${t.relationships}; ${v.rounds} rounds, ${v.experts.length} experts, ${v.tensionsResolved}/${v.tensionsTotal} tensions resolved)`;
}

/** Markdown of a new RFC promoted from `input` (Status Draft); `rfcDir` is its folder (links are relative to it). Pure. */
export function renderPromotedRfc(number: number, title: string, input: PromotionInput, rfcDir: string = FOLDERS.rfc): string {
  const v = input.verdict;
  const recordUrl = path.posix.relative(rfcDir, input.recordFile);
  const nodes: RootContent[] = [
    ...documentHead('RFC', number, title, [
      ['Status', statusTitle('draft')],
      ['Date', input.date],
      ['Dialogue', [link(recordUrl, input.dialogueId)]],
      ['Alignment', alignmentSummary(v)],
      ...(input.contracts?.length ? [['Contracts', input.contracts.join(', ')] as [string, string]] : []),
    ]),
    ...forcedWarning(v),
    heading(2, 'Summary'),
    ...questionAndAnswer(v),
    heading(2, 'Proposal'),
    ...proposal(v),
    ...bodySections(2, input, recordUrl),
  ];
  return stringifyMarkdown(nodes);
}

/** Markdown of an `## Amendment: <id> (<date>)` section for an RFC in folder `rfcDir`. Pure. */
export function renderAmendment(input: PromotionInput, rfcDir: string = FOLDERS.rfc): string {
  const recordUrl = path.posix.relative(rfcDir, input.recordFile);
  return stringifyMarkdown([
    heading(2, `Amendment: ${input.dialogueId} (${input.date})`),
    ...forcedWarning(input.verdict),
    heading(3, 'Question'),
    ...questionAndAnswer(input.verdict),
    heading(3, 'Amendments'),
    ...proposal(input.verdict),
    ...bodySections(3, input, recordUrl),
  ]);
}

function forcedWarning(v: VerdictView): RootContent[] {
  if (!ENDED_UNCONVERGED.has(v.outcome)) return [];
  const how = v.outcome === 'forced' ? 'It was ended by force at max rounds' : `It ended ${v.outcome.replaceAll('_', ' ')} (velocity ${v.finalVelocity}, converge ${v.finalConvergePercent}%)`;
  const p = para(strong('Warning:'), ` this dialogue did not converge. ${how} and was promoted with --allow-forced; treat its decisions as provisional.`);
  return [{ type: 'blockquote', children: [p] }];
}

function questionAndAnswer(v: VerdictView): RootContent[] {
  const answer = v.answer
    ? inline(v.answer)
    : [text('not written. The LLM judge writes the answer and this dialogue had none; the positions the panel converged on follow.')];
  return [para(strong('Question:'), ' ', ...inline(v.question)), para(strong('Answer:'), ' ', ...answer)];
}

/** The judge's decisions, or offline the distinct converged resolutions, as a list. */
function proposal(v: VerdictView): BlockContent[] {
  const decided = judgeDecisions(v);
  if (decided.length > 0) return [bullets(decided.map((d) => [strong(...inline(d.topic)), ': ', ...inline(d.decision)]))];
  const groups = resolutionGroups(v);
  if (groups.length === 0) return [para('Nothing converged yet to propose: no tension was resolved.')];
  return [
    para('What the panel converged on (one item per resolution; the tensions it resolved in brackets):'),
    bullets(groups.map((g) => [...inline(g[0]?.resolution ?? ''), ` (${g.map((t) => t.id).join(', ')})`])),
  ];
}

function bodySections(depth: 2 | 3, input: PromotionInput, recordUrl: string): RootContent[] {
  const v = input.verdict;
  const nodes: RootContent[] = [heading(depth, 'Resolved Design Decisions'), ...decisionsTable(v)];
  nodes.push(heading(depth, 'Resolved Tensions'), ...resolvedTensions(v));
  nodes.push(heading(depth, 'Open Questions'), ...listOrNone(openQuestions(v)));
  if (depth === 2) nodes.push(heading(2, 'Test Plan'), bullets([['TBD']], false));
  if (input.contributions?.length) nodes.push(heading(depth, 'Expert Contributions'), contributionTable(input.contributions));
  nodes.push(heading(depth, 'Dialogue Provenance'), provenanceTable(v), para('Full dialogue: ', link(recordUrl, input.recordFile)));
  return nodes;
}

function decisionsTable(v: VerdictView): BlockContent[] {
  const decided = judgeDecisions(v);
  if (decided.length > 0) {
    const rows = decided.map((d) => {
      const sources = d.sources.length > 0 ? [text(` (${d.sources.join(', ')})`)] : [];
      return [inline(d.topic), inline(d.decision), [...inline(d.rationale), ...sources]];
    });
    return [table(['Question', 'Decision', 'Rationale'], rows)];
  }
  return [para('None with a written rationale: the LLM judge writes decisions and this dialogue had none; the converged positions above are the panel\u2019s own words.')];
}

/**
 * Resolved tensions, one item per resolution. Offline the Proposal already quotes each
 * resolution, so here each item says where it came from instead of repeating it.
 */
function resolvedTensions(v: VerdictView): BlockContent[] {
  const quoted = judgeDecisions(v).length === 0;
  const items = resolutionGroups(v).map((g): PhrasingContent[] => {
    const labels = g.flatMap((t, i) => [...(i > 0 ? [text('; ')] : []), text(`${t.id} — `), ...inline(t.label), text(` (raised by ${t.raisedBy}, round ${t.raisedRound})`)]);
    const by = [...new Set(g.flatMap((t) => t.closedBy ?? []))];
    const round = g[0]?.closedRound;
    const closed = by.length > 0 ? [text(`; resolved by ${by.join(', ')}${round === undefined ? '' : ` in round ${round}`}`)] : [];
    const resolution = !quoted && g[0]?.resolution ? [text(': '), ...inline(g[0].resolution)] : [];
    return [...labels, ...closed, ...resolution];
  });
  if (items.length === 0) return [para('None.')];
  return [...(quoted ? [para('Where each converged position above came from:')] : []), bullets(items)];
}

function tensionItem(t: TensionRow, tag: string): PhrasingContent[] {
  return [text(`${t.id} — `), ...inline(t.label), text(` (${tag})`), ...(t.resolution ? [text(': '), ...inline(t.resolution)] : [])];
}

/** Accepted and still-open (or deferred, reopened…) tensions, each with its status, then dissent. */
function openQuestions(v: VerdictView): PhrasingContent[][] {
  return [
    ...v.acceptedTensions.map((t) => tensionItem(t, 'accepted')),
    ...(v.deferredTensions ?? []).map((t) => tensionItem(t, 'deferred')),
    ...v.openTensions.map((t) => tensionItem(t, t.status)),
    ...v.dissent.map((d) => [text(`Dissent — ${d.expert} (round ${d.round}): `), ...inline(d.text)]),
  ];
}

function listOrNone(items: PhrasingContent[][]): BlockContent[] {
  return items.length > 0 ? [bullets(items)] : [para('None.')];
}

function contributionTable(rows: ExpertContribution[]): BlockContent {
  return table(
    ['Expert', 'Role', 'Perspectives', 'Tensions raised', 'Tensions resolved', 'Most engaged perspective'],
    rows.map((c) => [c.expert, inline(c.role), String(c.perspectives), String(c.tensionsRaised), String(c.tensionsResolved), c.keyPerspective ? inline(c.keyPerspective) : '—']),
  );
}

function provenanceTable(v: VerdictView): BlockContent {
  const t = v.totals;
  return table(
    ['Metric', 'Value'],
    [
      ['Outcome', v.outcome],
      ['ALIGNMENT', `${t.total} (W:${t.wisdom} C:${t.consistency} T:${t.truth} R:${t.relationships})`],
      ['Rounds', String(v.rounds)],
      ['Experts', `${v.experts.length} (${v.experts.join(', ')})`],
      ['Tensions Resolved', `${v.tensionsResolved}/${v.tensionsTotal}`],
      ['Convergence', `${v.finalConvergePercent}%`],
      ['Final Velocity', String(v.finalVelocity)],
    ],
  );
}
