/**
 * The marker grammar (ARCHITECTURE §4) and a lenient parser that also reads blue's real
 * variants (blue spec §2.1–§2.3). Anything bracketed that looks like a marker but does not
 * parse becomes a lint finding; nothing is dropped silently.
 */
import { isPastryName } from './names.ts';
import type { EntityRef, LintFinding, Marker, MarkerKind, ParsedResponse } from './types.ts';

/** Most perspectives one response may raise (blue's template, spec §1.6.2). */
export const MAX_PERSPECTIVES = 2;
/** Most tensions one response may raise. */
export const MAX_TENSIONS = 1;

/** Marker words of the grammar, for messages and suggestions. */
export const MARKER_WORDS: readonly string[] = Object.freeze([
  'PERSPECTIVE',
  'TENSION',
  'REFINEMENT',
  'CONCESSION',
  'RESOLVED',
  'ACCEPTED UNRESOLVED',
  'MOVE:CONVERGE',
  'MOVE:DEFEND',
  'MOVE:CHALLENGE',
  'MOVE:BRIDGE',
  'DISSENT',
  'DEFERRED',
  'RE:',
]);

/**
 * blue's marker words that mean one of ours (blue records, issue 8): read as the canonical kind,
 * never reported. `**Move**: [DEFER] T09` takes its ids from right after the bracket.
 */
const VARIANTS: readonly { re: RegExp; kind: MarkerKind }[] = [
  { re: /^\s*(RESOLUTION|RESOLVES?)\b([\s\S]*)$/i, kind: 'resolved' },
  { re: /^\s*(ACCEPT(?:ED|S)?)\b(?!\s+UNRESOLVED)([\s\S]*)$/i, kind: 'accepted' },
  { re: /^\s*(ACKNOWLEDGED|DEFER-TO-RFC|DEFERRED|DEFERS?)(?![\w-])([\s\S]*)$/i, kind: 'deferred' },
  { re: /^\s*(CONCEDE[SD]?)\b([\s\S]*)$/i, kind: 'concession' },
  { re: /^\s*(RE)\s*(:[\s\S]*)$/i, kind: 'crossref' },
];

/** Kinds whose ids may follow the closing bracket (`[DEFER] T09`). */
const TRAILING_IDS = new Set<MarkerKind>(['resolved', 'accepted', 'deferred', 'concession', 'refinement']);

/** A marker found on a line, before bodies are attached. */
interface Hit {
  marker?: Marker;
  line: number;
  /** 0-based index of `[` and of the character after `]` (or end of line). */
  start: number;
  end: number;
}

/**
 * Parses one expert response into markers (in document order) and findings.
 * Rules: markers are recognised anywhere on a line, case-insensitively; fenced code and
 * inline code spans are skipped; links (`[x](url)`), checkboxes and `[1]` are not markers.
 * Each marker's `body` is the text after it up to the next marker, a `---` rule or a heading.
 * Malformed markers are recovered when their kind is clear (and reported as `malformed-marker`).
 * Finding rules: `unknown-marker`, `malformed-marker`, `legacy-marker`, `too-many-perspectives`,
 * `too-many-tensions`, `duplicate-id`, `empty-response`, `no-markers`.
 */
export function parseResponse(text: string): ParsedResponse {
  const findings: LintFinding[] = [];
  if (text.trim() === '') {
    findings.push(finding('empty-response', 'error', 'the response is empty', 1, 1));
    return { markers: [], findings };
  }
  const lines = text.split(/\r?\n/);
  const hits: Hit[] = [];
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const f = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (f) {
      // CommonMark: a closing fence repeats the opening character, at least as long, with no info string.
      if (fence === null) fence = f[1]!;
      else if (f[1]!.startsWith(fence) && f[2]!.trim() === '') fence = null;
      return;
    }
    if (fence === null) hits.push(...scanLine(line, i + 1, findings));
  });
  attachBodies(hits, lines);
  const markers = hits.flatMap((h) => (h.marker ? [h.marker] : []));
  checkQuotas(markers, findings);
  if (markers.length === 0) findings.push(finding('no-markers', 'warning', 'no markers found: nothing in this response can be registered', 1, 1));
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { markers, findings };
}

/** The findings of {@link parseResponse} alone. */
export function lintResponse(text: string): LintFinding[] {
  return parseResponse(text).findings;
}

// --- line scanning -------------------------------------------------------------------------

const KEYWORD_START = /^\s*(PERSPECTIVE|TENSION|REFINEMENT|CONCESSION|RESOLVED|ACCEPTED\s+UNRESOLVED|MOVE\s*:|DISSENT|CONVERGENCE\s+(?:CONFIRMED|PROPOSAL))\b/i;

function scanLine(line: string, lineNo: number, findings: LintFinding[]): Hit[] {
  const text = maskInlineCode(line);
  const hits: Hit[] = [];
  const next = (from: number): number => text.indexOf('[', from);
  let i = next(0);
  while (i !== -1) {
    if (i > 0 && (text[i - 1] === '\\' || text[i - 1] === '!')) {
      i = next(i + 1);
      continue;
    }
    const close = text.indexOf(']', i + 1);
    if (close === -1) {
      if (KEYWORD_START.test(text.slice(i + 1))) {
        findings.push(finding('malformed-marker', 'error', `marker is missing its closing "]": ${clip(line.slice(i))}`, lineNo, i + 1));
        hits.push({ line: lineNo, start: i, end: line.length });
      }
      break;
    }
    const content = line.slice(i + 1, close);
    if (text[close + 1] === '(' || text[close + 1] === '[') {
      i = next(close + 1); // a link or reference link
      continue;
    }
    const hit = classify(content, lineNo, i + 1, findings);
    if (hit === 'none') {
      i = next(i + 1);
      continue;
    }
    let end = close + 1;
    if (hit && hit.refs.length === 0 && TRAILING_IDS.has(hit.kind)) {
      const trailing = new RegExp(String.raw`^\s*:?\s*(?:${REF_SOURCE}(?:\s*(?:,|and|&)\s*)?)+`, 'i').exec(text.slice(end));
      if (trailing) {
        hit.refs = scanRefs(trailing[0], true);
        end += trailing[0].length;
      }
    }
    hits.push({ ...(hit ? { marker: hit } : {}), line: lineNo, start: i, end });
    i = next(end);
  }
  return hits;
}

/** Replaces inline code spans with spaces so their brackets are ignored (positions kept). */
function maskInlineCode(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length));
}

/**
 * Classifies bracket content: a marker, `null` when it is marker-like but yields no marker
 * (unknown or legacy; a finding was added), or `'none'` when it is ordinary text.
 */
function classify(content: string, line: number, column: number, findings: LintFinding[]): Marker | null | 'none' {
  const at = { line, column };
  const add = (rule: string, severity: LintFinding['severity'], message: string): void => {
    findings.push(finding(rule, severity, message, line, column));
  };
  let m: RegExpExecArray | null;
  if ((m = /^\s*(PERSPECTIVE|TENSION)\b([\s\S]*)$/i.exec(content))) {
    return parseRaised(m[1]!.toUpperCase() === 'PERSPECTIVE' ? 'perspective' : 'tension', m[2]!, content, at, add);
  }
  if ((m = /^\s*(REFINEMENT|CONCESSION|RESOLVED)\b([\s\S]*)$/i.exec(content))) {
    const kinds: Record<string, MarkerKind> = { REFINEMENT: 'refinement', CONCESSION: 'concession', RESOLVED: 'resolved' };
    return referring(kinds[m[1]!.toUpperCase()]!, m[2]!, at);
  }
  if ((m = /^\s*ACCEPTED\s+UNRESOLVED\b([\s\S]*)$/i.exec(content))) {
    const marker = referring('accepted', m[1]!, at);
    if (!marker.refs.some((r) => r.type === 'T')) add('malformed-marker', 'error', `[ACCEPTED UNRESOLVED] names no tension; expected [ACCEPTED UNRESOLVED T0001: why]`);
    return marker;
  }
  if ((m = /^\s*MOVE\s*:\s*([A-Za-z][A-Za-z-]*)([\s\S]*)$/i.exec(content))) return parseMove(m[1]!.toUpperCase(), m[2]!, content, at, add);
  for (const v of VARIANTS) {
    if ((m = v.re.exec(content))) return { ...referring(v.kind, m[2]!, at), word: m[1]!.toUpperCase() };
  }
  if ((m = /^\s*DISSENT\b\s*:?\s*([\s\S]*)$/i.exec(content))) return { kind: 'dissent', label: m[1]!.trim(), body: '', refs: scanRefs(m[1]!, false), ...at };
  if (/^\s*CONVERGENCE\s+CONFIRMED\s*$/i.test(content)) {
    add('legacy-marker', 'warning', '[CONVERGENCE CONFIRMED] is the older form; read as [MOVE:CONVERGE]');
    return { kind: 'converge', label: '', body: '', refs: [], ...at };
  }
  if (/^\s*CONVERGENCE\s+PROPOSAL\b/i.test(content)) {
    add('legacy-marker', 'warning', '[CONVERGENCE PROPOSAL] is an older form and is not a convergence signal; use [MOVE:CONVERGE]');
    return null;
  }
  const head = /^\s*([A-Z][A-Z0-9]*(?:[:_-][A-Z][A-Z0-9]*)*)(?=$|[\s:])/.exec(content);
  if (head && head[1]!.replace(/[^A-Z]/g, '').length >= 3) {
    const hint = suggest(head[1]!);
    add('unknown-marker', 'warning', `unknown marker word "${head[1]}" in [${clip(content, 40)}]${hint ? `; did you mean [${hint} …]?` : `; expected one of ${MARKER_WORDS.join(', ')}`}`);
    return null;
  }
  return 'none';
}

type Add = (rule: string, severity: LintFinding['severity'], message: string) => void;
type At = { line: number; column: number };

/** `[PERSPECTIVE P01: label]` / `[TENSION T01: label]`, recovering common mistakes. */
function parseRaised(kind: 'perspective' | 'tension', rest: string, content: string, at: At, add: Add): Marker {
  const letter = kind === 'perspective' ? 'P' : 'T';
  const example = `[${kind.toUpperCase()} ${letter}01: short label]`;
  const marker = (localId: string | undefined, label: string): Marker => ({
    kind,
    ...(localId ? { localId } : {}),
    label: label.trim(),
    body: '',
    refs: [],
    ...at,
  });
  let m: RegExpExecArray | null;
  if ((m = /^\s*([A-Za-z])(\d+)-(?:RESPONSE|RESP|REPLY|FOLLOW-?UP|UPDATE)\s*:?\s*([\s\S]*)$/i.exec(rest)) && m[1]!.toUpperCase() === letter) {
    const id = localIdOf(letter, m[2]!);
    return { ...marker(id, m[3]!), mentions: true, refs: [plainRef(id, letter, m[2]!)] };
  }
  if ((m = /^\s*([A-Za-z])(\d+)\s*:\s*([\s\S]*)$/.exec(rest))) {
    const [, l, digits, label] = m;
    if (l!.toUpperCase() !== letter) add('malformed-marker', 'error', `${kind} id "${l}${digits}" should start with ${letter}; expected ${example}`);
    else if (digits!.length === 4) return { ...marker(`${letter}${digits}`, label!), mentions: true, refs: [plainRef(`${letter}${digits}`, letter, digits!)] };
    else if (digits!.length > 2) add('malformed-marker', 'error', `local id "${l}${digits}" has more than two digits; expected ${example}`);
    if (!label!.trim()) add('malformed-marker', 'error', `${kind} has no label; expected ${example}`);
    return marker(localIdOf(letter, digits!), label!);
  }
  if ((m = /^\s*:\s*([\s\S]*)$/.exec(rest))) {
    add('malformed-marker', 'error', `${kind} has no id; expected ${example}`);
    return marker(undefined, m[1]!);
  }
  if ((m = /^\s*([A-Za-z])(\d+)\b\s*[-—–]*\s*([\s\S]*)$/.exec(rest))) {
    add('malformed-marker', 'error', `no ":" after the ${kind} id in [${clip(content, 40)}]; expected ${example}`);
    return marker(m[1]!.toUpperCase() === letter ? localIdOf(letter, m[2]!) : undefined, m[3]!);
  }
  add('malformed-marker', 'error', `cannot read [${clip(content, 40)}]; expected ${example}`);
  return marker(undefined, rest);
}

function localIdOf(letter: string, digits: string): string {
  return digits.length <= 2 ? `${letter}${digits.padStart(2, '0')}` : `${letter}${digits}`;
}

/** REFINEMENT / CONCESSION / RESOLVED / ACCEPTED UNRESOLVED: an optional id list, then a label. */
function referring(kind: MarkerKind, rest: string, at: At): Marker {
  const { refs, label } = splitIdsAndLabel(rest);
  return { kind, label, body: '', refs, ...at };
}

/**
 * Splits `T06, T01: how`, `on T01 -- how`, `: STRUDEL R1-T01 (why)`, `P0102: how` or a
 * plain label into refs and label. Refs also include ids mentioned in the label text.
 */
function splitIdsAndLabel(rest: string): { refs: EntityRef[]; label: string } {
  let s = rest.trim();
  if (s.startsWith(':')) s = s.slice(1).trim();
  const sep = /\s*(?::|-{2,}|—|–|\()\s*/.exec(s);
  const idPart = sep ? s.slice(0, sep.index) : s;
  let refs: EntityRef[] = [];
  let label = s;
  if (idPart.trim() && isRefList(idPart)) {
    refs = scanRefs(idPart, true);
    label = sep ? s.slice(sep.index + sep[0].length) : '';
    if (sep && sep[0].includes('(')) label = label.replace(/\)\s*$/, '');
    label = label.trim();
  }
  return { refs: dedupeRefs([...refs, ...scanRefs(label, false)]), label };
}

function parseMove(move: string, rest: string, content: string, at: At, add: Add): Marker | null {
  if (move === 'CONVERGE') return { kind: 'converge', label: rest.replace(/^\s*:?\s*/, '').trim(), body: '', refs: [], ...at };
  const moves: Record<string, MarkerKind> = { DEFEND: 'defend', CHALLENGE: 'challenge', BRIDGE: 'bridge', CONCEDE: 'concession', DEFER: 'deferred', ACCEPT: 'accepted' };
  const kind = moves[move];
  if (!kind) {
    add('unknown-marker', 'warning', `unknown move [${clip(content, 40)}]; expected MOVE:CONVERGE, MOVE:DEFEND, MOVE:CHALLENGE or MOVE:BRIDGE`);
    return null;
  }
  const { refs, label } = splitIdsAndLabel(rest);
  if (refs.length === 0 && kind !== 'concession') add('malformed-marker', 'error', `[MOVE:${move}] names no perspective or tension; expected [MOVE:${move} P0001]`);
  if (kind === 'bridge' && refs.length === 1) add('malformed-marker', 'error', '[MOVE:BRIDGE] needs two ids; expected [MOVE:BRIDGE P0001, P0104]');
  return { kind, label, body: '', refs, ...at };
}

// --- entity references ---------------------------------------------------------------------

const REF_SOURCE = String.raw`\b(?:([A-Za-z]+\d*)(?:\s+R(\d{1,2}))?-([PT])(\d{1,4})|([PT])(\d{1,4}))\b`;

/**
 * Finds entity references in `text`: global `P0102`/`T0001`; blue's expert-qualified
 * `MUFFIN-T01`, `MUFFIN R1-T01`, `Muffin-T01`, RFC 0051 `MUFFIN-P0101` (round 1, local P01);
 * `R1-T01`; bare `T01`/`T1`/`P02`. Expert names must be pastry names. With `loose`, the
 * P/T letter may be lowercase (inside marker id lists); in free text it must be uppercase.
 */
export function scanRefs(text: string, loose: boolean): EntityRef[] {
  const re = new RegExp(REF_SOURCE, loose ? 'gi' : 'g');
  const refs: EntityRef[] = [];
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    if (m[5] !== undefined) {
      refs.push(plainRef(raw, m[5], m[6]!));
      continue;
    }
    const name = m[1]!;
    const type = m[3]!.toUpperCase() as 'P' | 'T';
    const digits = m[4]!;
    if (!loose && m[3] !== type) continue;
    const roundOnly = /^R(\d{1,2})$/i.exec(name);
    if (roundOnly) {
      refs.push({ raw, type, round: Number(roundOnly[1]), local: localIdOf(type, digits.slice(-2)) });
    } else if (isPastryName(name)) {
      const round = m[2] !== undefined ? Number(m[2]) : digits.length === 4 ? Number(digits.slice(0, 2)) : undefined;
      const local = digits.length === 4 ? `${type}${digits.slice(2)}` : localIdOf(type, digits);
      refs.push({ raw, type, expert: name.toLowerCase(), ...(round !== undefined ? { round } : {}), local });
    } else {
      refs.push(plainRef(`${m[3]}${digits}`, m[3]!, digits));
    }
  }
  return dedupeRefs(refs);
}

function plainRef(raw: string, letter: string, digits: string): EntityRef {
  const type = letter.toUpperCase() as 'P' | 'T';
  return digits.length === 4 ? { raw, type, global: `${type}${digits}` } : { raw, type, local: localIdOf(type, digits) };
}

/** True when `text` is only references and connectors (`,`, `/`, `&`, `on`, `and`). */
function isRefList(text: string): boolean {
  const stripped = text.replace(new RegExp(REF_SOURCE, 'gi'), ' ');
  return stripped.length < text.length && /^(?:\s|,|\/|&|\bon\b|\band\b)*$/i.test(stripped);
}

function dedupeRefs(refs: EntityRef[]): EntityRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.type}|${r.global ?? ''}|${r.expert ?? ''}|${r.round ?? ''}|${r.local ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// --- bodies and quotas ---------------------------------------------------------------------

const RULE_LINE = /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/;
const HEADING_LINE = /^\s{0,3}#{1,6}\s/;

/** Body = text after the marker on its line (up to the next marker), plus following lines if last. */
function attachBodies(hits: Hit[], lines: string[]): void {
  const hitLines = new Set(hits.map((h) => h.line));
  hits.forEach((hit, k) => {
    if (!hit.marker) return;
    const line = lines[hit.line - 1]!;
    const after = hits[k + 1];
    if (after && after.line === hit.line) {
      hit.marker.body = cleanInline(line.slice(hit.end, after.start));
      return;
    }
    const parts = [cleanInline(line.slice(hit.end))];
    for (let n = hit.line + 1; n <= lines.length; n++) {
      const l = lines[n - 1]!;
      if (hitLines.has(n) || RULE_LINE.test(l) || HEADING_LINE.test(l)) break;
      parts.push(l);
    }
    hit.marker.body = parts.join('\n').trim();
  });
}

/** Drops a dangling emphasis close (`**`) or separator left on the marker's line. */
function cleanInline(text: string): string {
  return /^[\s*_:—–-]*$/.test(text) ? '' : text.trim();
}

function checkQuotas(markers: Marker[], findings: LintFinding[]): void {
  const over = (kind: MarkerKind, max: number, rule: string, noun: string): void => {
    markers
      .filter((m) => m.kind === kind)
      .slice(max)
      .forEach((m) => findings.push(finding(rule, 'warning', `more than ${max} ${noun} in one response (at most ${max} allowed)`, m.line, m.column)));
  };
  over('perspective', MAX_PERSPECTIVES, 'too-many-perspectives', 'perspectives');
  over('tension', MAX_TENSIONS, 'too-many-tensions', 'tension');
  const seen = new Set<string>();
  for (const m of markers) {
    if (!m.localId) continue;
    if (seen.has(m.localId)) findings.push(finding('duplicate-id', 'warning', `local id ${m.localId} is used twice in this response`, m.line, m.column));
    seen.add(m.localId);
  }
}

// --- small helpers -------------------------------------------------------------------------

function finding(rule: string, severity: LintFinding['severity'], message: string, line: number, column: number): LintFinding {
  return { rule, severity, message, line, column };
}

function clip(text: string, max = 60): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Closest marker word within edit distance 2 of `word`, or a grammar word it begins (PERSPECTIV → PERSPECTIVE). */
function suggest(word: string): string | undefined {
  const up = word.toUpperCase();
  let best: { w: string; d: number } | undefined;
  for (const w of MARKER_WORDS) {
    const d = w.startsWith(up) && up.length >= 4 ? 1 : editDistance(up, w);
    if (d <= 2 && (!best || d < best.d)) best = { w, d };
  }
  return best?.w;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
