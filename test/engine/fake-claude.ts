/**
 * A fake `claude` for the claude-code provider tests, speaking `-p --output-format stream-json`:
 * experts get the Messages loopback's marker answers, the judge (a system prompt asking for a JSON
 * schema) gets a valid judgement. Each call's argv is appended to $FAKE_CLAUDE_LOG.
 * FAKE_CLAUDE_MODE=logged-out answers like a CLI without a login.
 */
import fs from 'node:fs';
import { answer, validJudgement } from './messages-server.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args[args.indexOf(name) + 1] ?? '';
const prompt = fs.readFileSync(0, 'utf8');
const system = flag('--system-prompt');
if (process.env.FAKE_CLAUDE_LOG) fs.appendFileSync(process.env.FAKE_CLAUDE_LOG, `${JSON.stringify({ args: args.filter((a) => a !== system), system: system.slice(0, 40), stdinChars: prompt.length })}\n`);
const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

out({ type: 'system', subtype: 'init', session_id: 'sess-1', model: flag('--model'), tools: [] });
if (process.env.FAKE_CLAUDE_MODE === 'logged-out') {
  out({ type: 'result', subtype: 'success', is_error: true, result: 'Invalid API key · Please run /login', session_id: 'sess-1', total_cost_usd: 0 });
  process.exit(1);
}
const judge = system.includes('matching this JSON schema');
const expert = /You are ([A-Z][a-z]+) /.exec(system)?.[1]?.toLowerCase() ?? '?';
const round = Number(/## Round (\d+)/.exec(prompt)?.[1] ?? /Round (\d+)\./.exec(prompt)?.[1] ?? -1);
const text = judge ? JSON.stringify(validJudgement()) : answer(expert, round);
out({ type: 'assistant', message: { id: 'msg_1', model: flag('--model'), role: 'assistant', content: [{ type: 'text', text }] }, session_id: 'sess-1' });
out({
  type: 'result',
  subtype: 'success',
  is_error: false,
  result: text,
  session_id: `sess-${expert}-${round}`,
  num_turns: 1,
  total_cost_usd: 0.0125,
  usage: { input_tokens: 90, output_tokens: 30, cache_creation_input_tokens: 500, cache_read_input_tokens: 1000 },
});
