/** Paths of the real fixtures copied into the repo (`fixtures/`, MIT, see its README). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** `fixtures/blue-dialogues`: blue's dialogue folders. */
export const BLUE_DIALOGUES = path.join(ROOT, 'fixtures/blue-dialogues');

/** The rfc-0058 dialogue folder in blue's layout (responses, prompts, blue's summaries). */
export const RFC_0058 = path.join(BLUE_DIALOGUES, '2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture');

/** `fixtures/blue-records`: recorded inline dialogues (`*.dialogue.recorded.md`). */
export const BLUE_RECORDS = path.join(ROOT, 'fixtures/blue-records');
