/** The prompt shapes of an LLM call, shared by the prompt builder (experts) and the provider port (llm). */

/**
 * One block of the system prompt. `cache: true` puts a prompt-cache breakpoint after it; `ttl: '1h'`
 * asks for the one-hour cache lifetime (written at 2× input instead of 1.25×) instead of 5 minutes.
 */
export interface SystemBlock {
  text: string;
  cache?: boolean;
  ttl?: '1h';
}

/** A conversation turn. */
export interface Message {
  role: 'user' | 'assistant';
  content: string;
}
