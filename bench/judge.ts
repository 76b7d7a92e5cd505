/**
 * The bench's simulated LLM judge: a schema-valid `round_judgement` built from what the judge
 * prompt lists (experts, this round's perspectives, tensions closed this round), so every round
 * pays one real judge call with its latency. It proposes no merges, so the computed gate and the
 * dialogue's length are the same as without a judge.
 */
import type { CompletionRequest } from '../src/llm/port.ts';
import type { RoundJudgement } from '../src/orchestrator/llm-judge.ts';

/** Lines of the judge prompt between `start` and the next line that does not begin with `- `. */
function listAfter(text: string, start: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(start));
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('- ')) break;
    out.push(l.slice(2));
  }
  return out;
}

/** Builds the judgement for one judge request (zero adjustments, one insight, confirmations for closed tensions). */
export function benchJudgement(req: CompletionRequest): RoundJudgement {
  const user = req.messages[0]?.content ?? '';
  const experts = [...user.matchAll(/^=== (.+) ===$/gm)].map((m) => m[1]!);
  const perspectives = listAfter(user, 'Round ').map((l) => /^(P\d+) \([^)]*\): (.*)$/.exec(l)).filter((m) => m !== null);
  const closed = listAfter(user, 'Tensions closed this round:').map((l) => /^(T\d+)/.exec(l)?.[1]).filter((t): t is string => Boolean(t));
  const first = perspectives[0];
  return {
    merges: [],
    clusters: [],
    resolutionChecks: closed.map((tension) => ({ tension, confirmed: true, reason: 'the resolving text answers the tension as stated' })),
    adjustments: experts.map((expert) => ({ expert, wisdom: 0, consistency: 0, truth: 0, relationships: 0, rationale: 'the rubric already fits this response' })),
    synthesis: {
      keyInsights: first ? [`${first[1]}: ${first[2]}`] : [],
      camps: [],
      keyQuestion: '',
      recommendations: [],
      panelAdvice: 'keep the panel; open tensions need their raisers',
    },
  };
}
