/**
 * What promoting a dialogue hands the documents engine: shared by `blue dialogue promote` and the
 * MCP `dialogue_promote` tool so both promote the same way.
 */
import path from 'node:path';
import { recordFileName } from './artifacts.ts';
import { expertContributions } from './contributions.ts';
import type { DialogueData } from './data.ts';
import type { DialogueSource } from './dialogue.ts';
import { verdictView } from './views.ts';

/**
 * The promotion input of a loaded dialogue (structurally the documents engine's `PromotionInput`).
 * @param date ISO date `YYYY-MM-DD` of the promotion, from the injected clock.
 */
export function promotionInput(data: DialogueData, date: string) {
  return {
    dialogueId: data.dialogue.id,
    recordFile: path.posix.join(data.dialogue.dir, recordFileName(data.dialogue.id)),
    verdict: verdictView(data),
    date,
    contracts: touchedContracts(data.dialogue.sources),
    constraints: data.constraints.map((c) => c.text),
    contributions: expertContributions(data),
  };
}

/** Realm contracts among the dialogue's sources (`…/domains/<d>/contracts/<c>.yaml` → `<d>/<c>`). */
function touchedContracts(sources: readonly DialogueSource[]): string[] {
  return sources.flatMap((s) => {
    const m = /domains\/([^/]+)\/contracts\/([^/]+)\.ya?ml$/.exec(s.path.split(path.sep).join('/'));
    return m ? [`${m[1]}/${m[2]}`] : [];
  });
}
