/**
 * Document model: types, statuses, the status → filename suffix table (ARCHITECTURE §9) and the
 * one pure pair {@link parseName}/{@link formatName}. Reading accepts blue's three historical RFC
 * name forms (bare `NNNN-slug.md`, dot suffix with every token of its dotted era, and
 * `NNNN-{D|A|I|S}-slug.md`); new files use the dot suffix and a transition keeps a file's form.
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

/**
 * Which filename pattern a name uses: `dotted` (`NNNN-slug.<token>.md`), `letter` (blue's RFC 0073
 * `NNNN-{D|A|I|S}-slug.md`) or `bare` (`NNNN-slug.md`, no status in the name).
 */
export type NameForm = 'dotted' | 'letter' | 'bare';

/** Every name form, in the order shown to users. */
export const NAME_FORMS: readonly NameForm[] = ['dotted', 'letter', 'bare'];

/**
 * A parsed document filename. `number` is null for dialogue records; `status` null for bare
 * names. For a letter name `status` is the letter's first reading (`A` → accepted); see
 * {@link nameAdmits} for the statuses a letter stands for.
 */
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

/** Blue's RFC 0073 letters, read: `A` is blue's "approved", which also stood for in-progress. */
const LETTERS: Readonly<Record<string, RfcStatus>> = { D: 'draft', A: 'accepted', I: 'implemented', S: 'superseded' };

/** The letter a status is written as; rejected has none in blue's scheme. */
const LETTER_OF: Readonly<Partial<Record<DocStatus, string>>> = { draft: 'D', accepted: 'A', 'in-progress': 'A', implemented: 'I', superseded: 'S' };

/**
 * Dot tokens read, per type: the tokens written ({@link SUFFIXES}) plus the long and older forms
 * of blue's dotted era (`.approved`, `.superseded`, `.in-progress`, `.implemented`…).
 */
const READ_TOKENS: Readonly<Record<DocType, Readonly<Record<string, DocStatus>>>> = {
  rfc: {
    approved: 'accepted',
    'in-progress': 'in-progress',
    implemented: 'implemented',
    superseded: 'superseded',
    ...tokensOf('rfc'),
  },
  adr: { proposed: 'proposed', approved: 'accepted', superseded: 'superseded', ...tokensOf('adr') },
  dialogue: { published: 'published', ...tokensOf('dialogue') },
};

function tokensOf(type: DocType): Record<string, DocStatus> {
  return Object.fromEntries(Object.entries(SUFFIXES[type]).map(([status, token]) => [token, status as DocStatus]));
}

/**
 * Parses a basename (no folder) of a document of `type`.
 * RFC/ADR: `NNNN-slug.<token>.md`, bare `NNNN-slug.md`, and (RFC only) `NNNN-{D|A|I|S}-slug.md`.
 * Dialogue record: `<id>.dialogue.<token>.md` or bare `<id>.dialogue.md`; slug is the id.
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
    const status = READ_TOKENS[type][rest.slice(dot + 1).toLowerCase()];
    if (!status) return null;
    rest = rest.slice(0, dot);
    return validSlug(rest) ? { type, number, slug: rest, status, form: 'dotted' } : null;
  }
  const letter = /^([DAIS])-(.+)$/.exec(rest);
  if (type === 'rfc' && letter) {
    const slug = letter[2] ?? '';
    return validSlug(slug) ? { type, number, slug, status: LETTERS[letter[1] ?? ''] ?? null, form: 'letter' } : null;
  }
  return validSlug(rest) ? { type, number, slug: rest, status: null, form: 'bare' } : null;
}

function parseDialogueName(basename: string): DocName | null {
  const m = /^(.+)\.dialogue(?:\.([a-z-]+))?\.md$/.exec(basename);
  if (!m || !m[1] || m[1].includes('.')) return null;
  if (m[2] === undefined) return { type: 'dialogue', number: null, slug: m[1], status: null, form: 'bare' };
  const status = READ_TOKENS.dialogue[m[2]];
  return status ? { type: 'dialogue', number: null, slug: m[1], status, form: 'dotted' } : null;
}

function validSlug(slug: string): boolean {
  return slug.length > 0 && !slug.includes('.') && !slug.includes('/');
}

/**
 * True when the name can stand for `status`: a bare name stands for any, a letter for every
 * status written with it (`A`: accepted and in-progress, blue's RFC 0073), a dotted name for its own.
 */
export function nameAdmits(name: DocName, status: DocStatus): boolean {
  if (name.status === null) return true;
  if (name.form === 'letter') return LETTER_OF[status] !== undefined && LETTER_OF[status] === LETTER_OF[name.status];
  return name.status === status;
}

/** True when `status` can be written in `form` for `type` (letters: RFCs only, no rejected). */
export function formCanWrite(type: DocType, form: NameForm, status: DocStatus): boolean {
  if (form !== 'letter') return true;
  return type === 'rfc' && LETTER_OF[status] !== undefined;
}

/**
 * Formats a basename in `form` (default dotted, the canonical `NNNN-slug.<suffix>.md`; dialogue:
 * `<slug>.dialogue.<suffix>.md`). `bare` drops the status; `letter` writes `NNNN-{D|A|I|S}-slug.md`.
 * @throws Error when the status is missing or not a status of the type, the form cannot write it
 *   ({@link formCanWrite}), or the number is not 0..9999 (programming errors: callers validate first).
 */
export function formatName(
  name: { type: DocType; number: number | null; slug: string; status: DocStatus | null },
  form: NameForm = 'dotted',
): string {
  const suffix = name.status ? SUFFIXES[name.type][name.status] : undefined;
  if (!suffix || !name.status) throw new Error(`no filename suffix for ${name.type} status ${String(name.status)}`);
  if (!formCanWrite(name.type, form, name.status)) throw new Error(`${form} names cannot say ${name.type} ${name.status}`);
  if (name.type === 'dialogue') return form === 'bare' ? `${name.slug}.dialogue.md` : `${name.slug}.dialogue.${suffix}.md`;
  const n = name.number ?? -1;
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new Error(`bad document number ${n}`);
  if (form === 'bare') return `${formatNumber(n)}-${name.slug}.md`;
  if (form === 'letter') return `${formatNumber(n)}-${LETTER_OF[name.status] ?? ''}-${name.slug}.md`;
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

/**
 * Relative (posix) path of a new document file from the workspace root, in the default layout
 * (`rfcs/`, `adrs/`, `dialogues/<id>/`); `dir` is the docs root (see layout.ts), `''` by default.
 */
export function documentPath(name: { type: DocType; number: number | null; slug: string; status: DocStatus }, dir = ''): string {
  const base = formatName(name);
  const folder = dir ? `${dir}/${FOLDERS[name.type]}` : FOLDERS[name.type];
  return name.type === 'dialogue' ? `${folder}/${name.slug}/${base}` : `${folder}/${base}`;
}
