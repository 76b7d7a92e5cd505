/**
 * The claude-code adapter: each call is one headless Claude Code run (`claude -p --output-format
 * stream-json --verbose`) on the user's own Claude login, no API key. The prompt goes on stdin, the
 * system prompt replaces Claude Code's own, the built-in tools are disallowed and one turn is allowed. Usage and cost are what the CLI
 * reports in its `result` line. Transient failures go through the one retry policy; a missing or
 * logged-out `claude` is a one-line `E_LLM` / `E_LLM_AUTH` error (provider unavailable).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BlueError } from '../core/index.ts';
import { type CompletionRequest, type CompletionResult, type LlmProvider, type StructuredRequest, type Usage } from './port.ts';
import { withBudget } from './budget.ts';
import type { RetryVendor } from './retry.ts';
import { cancelledError } from './sleep.ts';
import { structuredWithRetry, toInputSchema } from './structured.ts';
import { type AdapterOptions, retryLoopOf, withRetries } from './retry-loop.ts';
import { estimateTokens } from './tokens.ts';

/** No SDK errors here: a failed run is a plain Error (retried) or a BlueError (final). */
class NoSdkError extends Error {
  status: number | undefined = undefined;
  headers: Headers | undefined = undefined;
  error: unknown = undefined;
}

const CLAUDE_CODE_VENDOR: RetryVendor = {
  name: 'Claude Code',
  keyVar: 'your Claude login (claude, then /login)',
  baseUrlVar: 'the claude CLI',
  modelExamples: 'sonnet, opus, claude-sonnet-5-5',
  errors: { APIError: NoSdkError, APIConnectionError: NoSdkError, APIConnectionTimeoutError: NoSdkError, APIUserAbortError: NoSdkError },
};

/** Options of {@link createClaudeCodeProvider}. */
export interface ClaudeCodeProviderOptions extends AdapterOptions {
  /** The executable (default `claude`), looked up on `env.PATH`. `maxRetries` defaults to 2. */
  command?: string;
  /** Environment of the child (PATH, HOME: where the login lives). */
  env: Record<string, string | undefined>;
}

/** The CLI's final `result` line (the fields Blue reads). */
interface ResultLine {
  type: 'result';
  subtype?: string;
  is_error?: boolean;
  result?: string;
  total_cost_usd?: number;
  session_id?: string;
  usage?: { input_tokens?: number; output_tokens?: number; cache_creation_input_tokens?: number; cache_read_input_tokens?: number };
}

/**
 * Finds `command` on `PATH` (or as a path).
 * @throws BlueError `E_LLM` (provider unavailable) when it is not there.
 */
export function findExecutable(command: string, env: Record<string, string | undefined>): string {
  const candidates = command.includes('/') ? [command] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, command));
  const found = candidates.find((f) => {
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  });
  if (!found) throw new BlueError('E_LLM', `the ${command} CLI is not on PATH; install Claude Code and log in (claude, then /login)`, { expected: 'a logged-in `claude` on PATH' });
  return found;
}

/**
 * Builds the provider (`name: 'claude-code'`).
 * @throws BlueError `E_LLM` (provider unavailable) when `claude` is not on PATH.
 */
export function createClaudeCodeProvider(opts: ClaudeCodeProviderOptions): LlmProvider {
  const executable = findExecutable(opts.command ?? 'claude', opts.env);
  const now = opts.now ?? Date.now;
  const loop = retryLoopOf(opts, { vendor: CLAUDE_CODE_VENDOR, defaultMaxRetries: 2 });

  async function run(req: CompletionRequest, instruction?: string): Promise<CompletionResult> {
    return withBudget(req, opts, async (charge) => {
      const started = now();
      return await withRetries(req, loop, async (retries) => {
        const line = await attempt(executable, opts.env, req, instruction);
        charge(line.total_cost_usd ?? 0);
        return {
          text: line.result ?? '',
          usage: usageOf(line),
          stopReason: 'end_turn',
          requestId: line.session_id ?? '',
          model: req.model,
          latencyMs: now() - started,
          costUsd: line.total_cost_usd ?? 0,
          ...(line.total_cost_usd === undefined ? { costUnknown: true } : {}),
          retries,
        };
      });
    });
  }

  return {
    name: 'claude-code',
    complete: (req) => run(req),
    completeStructured: <T>(req: StructuredRequest<T>) => {
      const instruction = `Answer with one JSON object (no prose, no code fence) matching this JSON schema:\n${JSON.stringify(toInputSchema(req.schema))}`;
      return structuredWithRetry(req, (r) => run(r, instruction));
    },
  };
}

/** Claude Code's built-in tools: an expert answers from its prompt alone, in one turn. */
const NO_TOOLS = 'Bash Edit MultiEdit Write Read Glob Grep LS WebFetch WebSearch Task NotebookEdit TodoWrite';

/** One headless run. Throws a BlueError for a fatal answer, a plain Error for a transient one (retried). */
function attempt(executable: string, env: Record<string, string | undefined>, req: CompletionRequest, instruction: string | undefined): Promise<ResultLine> {
  const system = [...req.system.map((b) => b.text), ...(instruction ? [instruction] : [])].join('\n\n');
  const prompt = req.messages.map((m) => (m.role === 'user' ? m.content : `(your earlier answer)\n${m.content}`)).join('\n\n');
  const args = ['-p', '--output-format', 'stream-json', '--verbose', '--model', req.model, '--system-prompt', system, '--max-turns', '1', '--disallowedTools', NO_TOOLS];
  return new Promise<ResultLine>((resolve, reject) => {
    const child = spawn(executable, args, { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], ...(req.signal ? { signal: req.signal } : {}) });
    let buffer = '';
    let stderr = '';
    let result: ResultLine | undefined;
    let chars = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        const event = parseLine(line);
        if (event?.type === 'result') result = event as ResultLine;
        else if (event?.type === 'assistant' && req.onProgress) {
          chars += textOf(event).length;
          req.onProgress(estimateTokens(chars));
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (err) => reject(req.signal?.aborted ? cancelledError() : err));
    child.on('close', (code) => {
      const last = parseLine(buffer.trim());
      if (last?.type === 'result') result = last as ResultLine;
      if (req.signal?.aborted) return reject(cancelledError());
      if (result && !result.is_error) return resolve(result);
      const said = (result?.result ?? stderr).trim().split('\n')[0] ?? '';
      if (/log ?in|logged out|not authenticated|invalid api key|authentication|oauth/i.test(said)) {
        return reject(new BlueError('E_LLM_AUTH', `claude is not logged in (${said}); run claude and /login`));
      }
      reject(new Error(`claude exited ${code ?? 'by signal'}${said ? `: ${said}` : ''}`));
    });
    child.stdin.on('error', () => undefined); // a child that exits early closes its stdin
    child.stdin.end(prompt);
  });
}

function parseLine(line: string): { type?: string } | undefined {
  if (!line) return undefined;
  try {
    return JSON.parse(line) as { type?: string };
  } catch {
    return undefined;
  }
}

function textOf(event: { type?: string }): string {
  const content = (event as { message?: { content?: { type: string; text?: string }[] } }).message?.content ?? [];
  return content.map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('');
}

function usageOf(line: ResultLine): Usage {
  const u = line.usage ?? {};
  return { inputTokens: u.input_tokens ?? 0, outputTokens: u.output_tokens ?? 0, cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0, cacheReadInputTokens: u.cache_read_input_tokens ?? 0 };
}
