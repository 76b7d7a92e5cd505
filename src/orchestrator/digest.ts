/**
 * What the next round's experts need from the last one (issue 8, item 8): the figures, what
 * changed (tensions closed, superseded, reopened or raised; restatements merged), the key
 * question and the camps — not a second copy of every summary table. Open tensions (global ids
 * and labels) and known perspectives follow in their own prompt sections.
 */
import { isOpenStatus } from '../core/index.ts';
import { type DialogueData, display, synthesisOf } from './data.ts';

const VERB: Record<string, string> = { resolved: 'resolved', accepted: 'accepted as a trade-off', deferred: 'deferred', superseded: 'superseded', reopened: 'reopened' };

/** Markdown digest of judged round `round` (level-1 headings: the prompt demotes them under its own section). */
export function roundDigest(data: DialogueData, round: number): string {
  const row = data.rounds.find((r) => r.round === round);
  if (!row) return '';
  const syn = synthesisOf(row);
  const label = (id: string) => data.tensions.find((t) => t.id === id)?.label ?? '';
  const lines = [
    `Velocity ${row.velocity} (${row.openTensions} open tension${row.openTensions === 1 ? '' : 's'} + ${row.newPerspectives} new perspective${row.newPerspectives === 1 ? '' : 's'}), converge ${row.convergePercent}% (${row.convergeSignals}/${row.panelSize}).`,
    '',
    '# What changed',
    '',
  ];
  const changes = data.events
    .filter((e) => e.round === round && VERB[e.event] !== undefined)
    .map((e) => `- ${e.tensionId} ${VERB[e.event]} by ${display(data, e.expert)}: ${label(e.tensionId)}`);
  const raised = data.tensions.filter((t) => t.round === round && isOpenStatus(t.status)).map((t) => `- ${t.id} raised by ${display(data, t.raisedBy)}: ${t.label}`);
  const merged = data.perspectives.filter((p) => p.round === round && p.duplicateOf).map((p) => `${p.id} → ${p.duplicateOf}`);
  const out = [...changes, ...raised];
  if (merged.length > 0) out.push(`- Restatements merged: ${merged.join(', ')}`);
  lines.push(...(out.length > 0 ? out : ['- Nothing was resolved, raised or merged.']));
  if (syn?.keyQuestion) lines.push('', '# Key question', '', syn.keyQuestion);
  if (syn?.camps.length) lines.push('', '# Camps', '', ...syn.camps.map((c) => `- ${c.name} (${c.members.join(', ')}): ${c.stance}`));
  return `${lines.join('\n')}\n`;
}
