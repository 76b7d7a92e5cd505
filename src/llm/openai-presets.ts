/** Named base URLs for common OpenAI-compatible servers (each server's documented default). */
export const OPENAI_PRESETS = {
  openai: 'https://api.openai.com/v1',
  ollama: 'http://localhost:11434/v1',
  lmstudio: 'http://localhost:1234/v1',
  vllm: 'http://localhost:8000/v1',
  openrouter: 'https://openrouter.ai/api/v1',
} as const;

/** A preset name. */
export type OpenAiPreset = keyof typeof OPENAI_PRESETS;
