/**
 * Document model: types, statuses, the status → filename suffix table (ARCHITECTURE §9) and the
 * one pure pair {@link parseName}/{@link formatName}. Reading accepts blue's three historical RFC
 * name forms (bare `NNNN-slug.md`, dot suffix, `NNNN-{D|A|I|S}-slug.md`); writing always uses
 * the dot suffix.
 */

/** Document kinds managed by the realm engine. */
export type DocType = 'rfc' | 'adr' | 'dialogue';

/** RFC lifecycle statuses. */
export type RfcStatus = 'draft' | 'accepted' | 'in-progress' | 'implemented' | 'superseded' | 'rejected';
/** ADR lifecycle statuses. */
export type AdrStatus = 'proposed' | 'accepted' | 'rejected' | 'superseded';
/** Dialogue record statuses. */
export type DialogueStatus = 'recorded' | 'published';
/** Any document status. */
export type DocStatus = RfcStatus | AdrStatus | DialogueStatus;

/** Status → filename suffix, per type (ARCHITECTURE §9). Order is the order shown to users. */
export const SUFFIXES: Readonly<Record<DocType, Readonly<Record<string, string>>>> = {
  rfc: {
    draft: 'draft',
    accepted: 'accepted',
    'in-progress': 'wip',
    implemented: 'impl',
    superseded: 'super',
    rejected: 'rejected',
  },
  adr: { proposed: 'draft', accepted: 'accepted', rejected: 'rejected', superseded: 'super' },
  dialogue: { recorded: 'recorded', published: 'pub' },
};

/** Folder of each type, relative to the workspace root. */
export const FOLDERS: Readonly<Record<DocType, string>> = { rfc: 'rfcs', adr: 'adrs', dialogue: 'dialogues' };

/** Heading word of each type (`# RFC 0001: …`). */
export const TYPE_WORDS: Readonly<Record<DocType, string>> = { rfc: 'RFC', adr: 'ADR', dialogue: 'Dialogue' };

/** Which filename pattern a name was read from. */
export type NameForm = 'suffix' | 'letter' | 'bare';

/** A parsed document filename. `number` is null for dialogue records; `status` null for bare names. */
export interface DocName {
  type: DocType;
  number: number | null;
  slug: string;
  status: DocStatus | null;
  form: NameForm;
}

/** Every status of `type`, in table order. */
export function statusesOf(type: DocType): DocStatus[] {
  return Object.keys(SUFFIXES[type]) as DocStatus[];
}

/** Blue's RFC 0073 letters; `A` (approved) reads as accepted. */
const LETTERS: Readonly<Record<string, RfcStatus>> = { D: 'draft', A: 'accepted', I: 'implemented', S: 'superseded' };

function statusForSuffix(type: DocType, suffix: string): DocStatus | null {
  for (const [status, s] of Object.entries(SUFFIXES[type])) if (s === suffix) return status as DocStatus;
  return null;
}

/**
 * Parses a basename (no folder) of a document of `type`.
 * RFC/ADR: `NNNN-slug.<suffix>.md`, bare `NNNN-slug.md`, and (RFC only) `NNNN-{D|A|I|S}-slug.md`.
 * Dialogue record: `<id>.dialogue.<suffix>.md` or bare `<id>.dialogue.md`; slug is the id.
 * Returns null for anything else (including `*.plan.md` companions). Pure.
 */
export function parseName(type: DocType, basename: string): DocName | null {
  if (type === 'dialogue') return parseDialogueName(basename);
  if (basename.endsWith('.plan.md')) return null;
  const numbered = /^(\d{4})-(.+)\.md$/.exec(basename);
  if (!numbered) return null;
  const number = Number(numbered[1]);
  let rest = numbered[2] ?? '';
  const dot = rest.lastIndexOf('.');
  if (dot > 0) {
    const status = statusForSuffix(type, rest.slice(dot + 1));
    if (!status) return null;
    rest = rest.slice(0, dot);
    return validSlug(rest) ? { type, number, slug: rest, status, form: 'suffix' } : null;
  }
  const letter = /^([DAIS])-(.+)$/.exec(rest);
  if (type === 'rfc' && letter) {
    const slug = letter[2] ?? '';
    return validSlug(slug) ? { type, number, slug, status: LETTERS[letter[1] ?? ''] ?? null, form: 'letter' } : null;
  }
  return validSlug(rest) ? { type, number, slug: rest, status: null, form: 'bare' } : null;
}

function parseDialogueName(basename: string): DocName | null {
  const m = /^(.+)\.dialogue(?:\.([a-z]+))?\.md$/.exec(basename);
  if (!m || !m[1] || m[1].includes('.')) return null;
  if (m[2] === undefined) return { type: 'dialogue', number: null, slug: m[1], status: null, form: 'bare' };
  const status = statusForSuffix('dialogue', m[2]);
  return status ? { type: 'dialogue', number: null, slug: m[1], status, form: 'suffix' } : null;
}

function validSlug(slug: string): boolean {
  return slug.length > 0 && !slug.includes('.') && !slug.includes('/');
}

/**
 * Formats the canonical basename `NNNN-slug.<suffix>.md` (dialogue: `<slug>.dialogue.<suffix>.md`).
 * @throws Error when the status is missing or not a status of the type, or the number is not 0..9999
 *   (a programming error: callers validate user input first).
 */
export function formatName(name: { type: DocType; number: number | null; slug: string; status: DocStatus | null }): string {
  const suffix = name.status ? SUFFIXES[name.type][name.status] : undefined;
  if (!suffix) throw new Error(`no filename suffix for ${name.type} status ${String(name.status)}`);
  if (name.type === 'dialogue') return `${name.slug}.dialogue.${suffix}.md`;
  const n = name.number ?? -1;
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new Error(`bad document number ${n}`);
  return `${formatNumber(n)}-${name.slug}.${suffix}.md`;
}

/** `7` → `0007`. */
export function formatNumber(n: number): string {
  return String(n).padStart(4, '0');
}

/**
 * Reads a status word as written by users or headers: case-insensitive, spaces/underscores
 * as dashes (`In Progress` → `in-progress`), `approved` as accepted (blue's alias, RFC 0073).
 * Returns null when it is not a status of `type`.
 */
export function parseStatusWord(type: DocType, word: string): DocStatus | null {
  let w = word.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (w === 'approved') w = 'accepted';
  if (w === 'inprogress') w = 'in-progress';
  return (statusesOf(type) as string[]).includes(w) ? (w as DocStatus) : null;
}

/** Title Case header word: `in-progress` → `In Progress`. */
export function statusTitle(status: DocStatus): string {
  return status
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(' ');
}

/** Relative (posix) path of a document file from the workspace root. */
export function documentPath(name: DocName | { type: DocType; number: number | null; slug: string; status: DocStatus }): string {
  const base = formatName(name);
  return name.type === 'dialogue' ? `${FOLDERS.dialogue}/${name.slug}/${base}` : `${FOLDERS[name.type]}/${base}`;
}
