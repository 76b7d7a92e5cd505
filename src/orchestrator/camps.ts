/**
 * Deterministic camps of a round (no LLM judge): who signalled convergence, who holds open
 * tensions, who is still exploring — each with who they defended, challenged and conceded to
 * this round, read from the stored references. Nothing is invented.
 */
import { isOpenStatus } from '../core/index.ts';
import { type DialogueData, type RoundSynthesis, display } from './data.ts';

const VERBS = { defend: 'defends', challenge: 'challenges', concession: 'concedes to', bridge: 'bridges to' } as const;

/** The camps of `round`, in the order converging, holding, exploring (empty camps left out). */
export function deterministicCamps(data: DialogueData, round: number): RoundSynthesis['camps'] {
  const panel = (data.panels.get(round) ?? []).map((s) => s.expert);
  const convergers = new Set(data.signals.filter((s) => s.round === round && s.kind === 'converge').map((s) => s.expert));
  const holders = new Map<string, string[]>();
  for (const t of data.tensions.filter((x) => isOpenStatus(x.status))) holders.set(t.raisedBy, [...(holders.get(t.raisedBy) ?? []), t.id]);
  const rel = relations(data, round);
  const stance = (base: string, members: string[]) => {
    const said = members.flatMap((e) => (rel.get(e) ?? []).map((r) => `${display(data, e)} ${r}`));
    return said.length > 0 ? `${base} ${said.join('; ')}.` : base;
  };
  const out: RoundSynthesis['camps'] = [];
  const conv = panel.filter((e) => convergers.has(e));
  const hold = panel.filter((e) => !convergers.has(e) && holders.has(e));
  const rest = panel.filter((e) => !convergers.has(e) && !holders.has(e));
  if (conv.length) out.push({ name: 'Converging', members: conv.map((e) => display(data, e)), stance: stance('Signalled [MOVE:CONVERGE]: no remaining objection.', conv) });
  if (hold.length) out.push({ name: 'Holding open tensions', members: hold.map((e) => display(data, e)), stance: stance(`Still open: ${hold.flatMap((e) => holders.get(e) ?? []).join(', ')}.`, hold) });
  if (rest.length) out.push({ name: 'Exploring', members: rest.map((e) => display(data, e)), stance: stance('No open tension of their own and no convergence signal yet.', rest) });
  return out;
}

/** Per expert: "defends Muffin (P0101)", "concedes to Brioche (T0001)" — this round's cross-expert moves. */
function relations(data: DialogueData, round: number): Map<string, string[]> {
  const owner = (id: string) => data.tensions.find((t) => t.id === id)?.raisedBy ?? data.perspectives.find((p) => p.id === id)?.expert;
  const out = new Map<string, string[]>();
  for (const r of data.refs) {
    const verb = VERBS[r.kind as keyof typeof VERBS];
    if (r.round !== round || !verb || !r.target_id || !r.cross_expert) continue;
    const who = owner(r.target_id);
    if (!who) continue;
    const text = `${verb} ${display(data, who)} (${r.target_id})`;
    const list = out.get(r.expert) ?? [];
    if (!list.includes(text)) out.set(r.expert, [...list, text]);
  }
  return out;
}
