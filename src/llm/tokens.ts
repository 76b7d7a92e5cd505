/**
 * Token estimates from characters. One constant for every estimate in Blue (progress counts,
 * fake usage, cache-minimum checks); billing always uses the provider's reported usage.
 */

/** Rough characters per token of English prose and Markdown on current tokenizers. */
export const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `chars` characters: `ceil(chars / CHARS_PER_TOKEN)`. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
