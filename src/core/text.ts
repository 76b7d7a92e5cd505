/** Small text helpers shared by every module. */
import { createRequire } from 'node:module';
import stripAnsi from 'strip-ansi';

/** The transliteration table (1 MB) loads on the first non-Latin title only, not at every start. */
let transliterate: ((text: string) => string) | undefined;
function toLatin(text: string): string {
  transliterate ??= (createRequire(import.meta.url)('transliteration') as typeof import('transliteration')).transliterate;
  return transliterate(text);
}

/**
 * Lowercase kebab slug: non-Latin scripts are transliterated first (`数据库` → `shu-ju-ku`),
 * then non-alphanumerics become `-`, runs collapse, ends trimmed, at most `maxLength`
 * characters (cut at a dash when possible). For Latin text the same rule as blue's
 * `title_to_slug`. Returns '' when nothing alphanumeric remains.
 */
export function slugify(title: string, maxLength = 60): string {
  // Only non-Latin text goes through the transliteration table, so Latin slugs never change.
  const plain = stripControls(title); // `ESC[31m` must not leave `31m` in a file name
  const latin = /[^\u0000-\u024f]/.test(plain) ? toLatin(plain) : plain;
  const slug = latin
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  const dash = cut.lastIndexOf('-');
  return (dash > maxLength / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}

/** Normalised label used to detect duplicate perspectives: lowercase, punctuation dropped, spaces folded. */
export function normaliseLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** `muffin` → `Muffin`. */
export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Names of files a dialogue generates beside the experts' `<name>.md`; a seat may not take one. */
const RESERVED_SEAT_NAMES: ReadonlySet<string> = new Set(['summary', 'panel', 'verdict', 'scoreboard', 'tensions', 'dialogue', 'expert-pool', 'recording', 'judge']);

/**
 * Why `name` (lowercase) cannot be a seat name, or undefined when it can. A seat name becomes
 * `round-N/<name>.md` and `<name>.prompt.md`, so it must be a plain file name (letters, digits,
 * `-`, `_`; no dot, slash or space) that no generated file uses.
 */
export function seatNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9_-]{0,47}$/.test(name)) return 'is not a plain name (letters, digits, - and _ only)';
  if (RESERVED_SEAT_NAMES.has(name)) return `is the name of a generated file (${name}.md)`;
  return undefined;
}

/**
 * Removes terminal escape sequences whole (`ESC[31m`, OSC links: strip-ansi) and then every other
 * control character (C0 and C1 such as ESC, BEL, NUL; DEL; a CR not ending a CRLF line), so no
 * generated file or stored text can move a cursor or ring a bell when printed. Tabs, newlines
 * and CRLF line endings are kept.
 */
export function stripControls(text: string): string {
  return stripAnsi(text).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g, '');
}

/** User-typed text (a question, title, constraint) as Blue stores it: LF line ends, no control characters. */
export function cleanUserText(text: string): string {
  return stripControls(text.replace(/\r\n?/g, '\n'));
}
