/** Child process for the concurrency test: creates one RFC in argv[2] titled argv[3], prints its number. */
import { createRfc } from '../../src/realm/documents/index.ts';
import { openDocIndex } from '../../src/realm/documents/queries.ts';

const [root, title] = process.argv.slice(2);
if (!root || !title) throw new Error('usage: create-worker <root> <title>');
const index = openDocIndex(root);
const out = createRfc(root, index, title, '2026-03-01', { now: new Date(0).toISOString() });
index.close();
process.stdout.write(`${out.number}\n`);
