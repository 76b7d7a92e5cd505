/** Child process for the concurrency test: creates one RFC in argv[2] titled argv[3], prints its number. */
import { createRfc } from '../../src/realm/documents/index.ts';
import { openDatabase } from '../../src/store/db.ts';

const [root, title] = process.argv.slice(2);
if (!root || !title) throw new Error('usage: create-worker <root> <title>');
const db = openDatabase(root);
const out = createRfc(root, db, title, '2026-03-01', { now: new Date(0).toISOString() });
db.close();
process.stdout.write(`${out.number}\n`);
