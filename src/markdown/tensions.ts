/**
 * `tensions.md`: every tension of the dialogue in one table. Rows start with `| T` because
 * fresh experts' context briefs pick tensions up by that prefix (blue spec §5.6).
 */
import { heading, inlineMarkdown, p, strong, tableOr } from './builders.ts';
import { isOpen, roundLabel, tensionStatusShort } from './format.ts';
import { stringifyMarkdown } from './processor.ts';
import type { TensionsView } from './views.ts';

/**
 * Renders `tensions.md`: title, the `**Open**: a | **Resolved**: b | **Accepted**: c | **Total**: d`
 * line (open counts reopened tensions; `**Deferred**` and `**Superseded**` appear when there are any) and the table `ID | Tension | Status | Raised | By | Closed | Resolution`.
 */
export function renderTensions(view: TensionsView): string {
  const count = (pred: (s: string) => boolean): number => view.tensions.filter((t) => pred(t.status)).length;
  const open = view.tensions.filter(isOpen).length;
  return stringifyMarkdown([
    heading(1, `Tensions: ${view.title}`),
    p(
      strong('Open'),
      `: ${open} | `,
      strong('Resolved'),
      `: ${count((s) => s === 'resolved')} | `,
      strong('Accepted'),
      `: ${count((s) => s === 'accepted')} | `,
      ...(['deferred', 'superseded'] as const).flatMap((k) => (count((s) => s === k) > 0 ? [strong(k === 'deferred' ? 'Deferred' : 'Superseded'), `: ${count((s) => s === k)} | `] : [])),
      strong('Total'),
      `: ${view.tensions.length}`,
    ),
    tableOr(
      [null, null, null, null, null, null, null],
      ['ID', 'Tension', 'Status', 'Raised', 'By', 'Closed', 'Resolution'],
      view.tensions.map((t) => [
        t.id,
        t.label,
        tensionStatusShort(t),
        roundLabel(t.raisedRound),
        t.raisedBy,
        t.closedRound === undefined ? '—' : roundLabel(t.closedRound),
        t.resolution === undefined || t.resolution.trim() === '' ? '—' : inlineMarkdown(t.resolution),
      ]),
      'No tensions recorded.',
    ),
  ]);
}
