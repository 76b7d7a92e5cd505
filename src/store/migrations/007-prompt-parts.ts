import type { Migration } from './index.ts';

const HEAD = `'<!-- system[0]: shared prefix, identical for every expert this round (cached) -->' || char(10) || char(10)`;
const TAIL = `char(10) || char(10) || '<!-- system[1]: persona -->'`;
/** 1-based position of the shared part's first character, and of the first character after it. */
const START = `(instr(prompt, ${HEAD}) + length(${HEAD}))`;
const END = `instr(prompt, ${TAIL})`;
const SHARED = `substr(prompt, ${START}, ${END} - ${START})`;
const SPLITTABLE = `instr(prompt, ${HEAD}) > 0 AND ${END} > ${START}`;

/**
 * Prompts stored once: a round's shared prefix goes to `prompt_parts` under its SHA-256
 * (`blue_sha256`, registered by `migrate`), and each response keeps only its own part with
 * `prompt_at`, the character offset where the shared part is spliced back. Existing rows move:
 * the audit rendering marks the prefix with its two comments (experts/prompt.ts).
 */
export const m007PromptParts: Migration = {
  version: 7,
  name: 'prompt-parts',
  sql: `
CREATE TABLE prompt_parts (
  hash TEXT PRIMARY KEY,
  text TEXT NOT NULL
);
ALTER TABLE responses ADD COLUMN prompt_part TEXT REFERENCES prompt_parts(hash);
ALTER TABLE responses ADD COLUMN prompt_at INTEGER;
INSERT OR IGNORE INTO prompt_parts (hash, text) SELECT blue_sha256(${SHARED}), ${SHARED} FROM responses WHERE ${SPLITTABLE};
UPDATE responses SET prompt_part = blue_sha256(${SHARED}), prompt_at = ${START} - 1, prompt = substr(prompt, 1, ${START} - 1) || substr(prompt, ${END})
  WHERE ${SPLITTABLE};
`,
};
