/**
 * New-document templates, built as mdast and serialised by the one remark processor.
 * Section lists follow blue's templates (reference §2) plus the sections real RFCs use
 * (Resolved Design Decisions, Open Questions).
 */
import type { PhrasingContent, RootContent } from 'mdast';
import { stringifyMarkdown } from '../../markdown/index.ts';
import { formatNumber, statusTitle } from './model.ts';
import { bullets, headerTable, heading, para, rule, table } from './mdast.ts';

/** Inputs of a new RFC. `date` is an ISO date (YYYY-MM-DD). */
export interface RfcTemplateInput {
  number: number;
  title: string;
  date: string;
  /** Extra header rows after Status and Date (e.g. Dialogue, Alignment, Supersedes). */
  extraRows?: [string, PhrasingContent[] | string][];
}

/** Inputs of a new ADR. `rfc` is the already formatted RFC reference (e.g. `RFC 0001`). */
export interface AdrTemplateInput {
  number: number;
  title: string;
  date: string;
  rfc?: PhrasingContent[] | string;
}

/** `# RFC 0001: Title` followed by the header table and a rule. */
export function documentHead(word: 'RFC' | 'ADR', number: number, title: string, rows: [string, PhrasingContent[] | string][]): RootContent[] {
  return [heading(1, `${word} ${formatNumber(number)}: ${title}`), headerTable(rows), rule()];
}

/** mdast of an empty RFC (Status Draft). */
export function rfcTemplateNodes(input: RfcTemplateInput): RootContent[] {
  return [
    ...documentHead('RFC', input.number, input.title, [
      ['Status', statusTitle('draft')],
      ['Date', input.date],
      ...(input.extraRows ?? []),
    ]),
    heading(2, 'Summary'),
    para('What problem this solves and why now.'),
    heading(2, 'Proposal'),
    para('What will be built, and how.'),
    heading(2, 'Resolved Design Decisions'),
    table(['Question', 'Decision', 'Rationale'], []),
    heading(2, 'Open Questions'),
    para('None yet.'),
    heading(2, 'Test Plan'),
    bullets([['TBD']], false),
  ];
}

/** Markdown of an empty RFC. */
export function renderRfcTemplate(input: RfcTemplateInput): string {
  return stringifyMarkdown(rfcTemplateNodes(input));
}

/** Markdown of an empty ADR (Status Proposed). */
export function renderAdrTemplate(input: AdrTemplateInput): string {
  const rows: [string, PhrasingContent[] | string][] = [
    ['Status', statusTitle('proposed')],
    ['Date', input.date],
  ];
  if (input.rfc !== undefined) rows.push(['RFC', input.rfc]);
  return stringifyMarkdown([
    ...documentHead('ADR', input.number, input.title, rows),
    heading(2, 'Context'),
    para('The forces at play and why a decision is needed.'),
    heading(2, 'Decision'),
    para('What was decided.'),
    heading(2, 'Consequences'),
    bullets([['What becomes easier, and what becomes harder.']]),
  ]);
}
