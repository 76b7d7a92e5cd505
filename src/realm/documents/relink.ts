/**
 * Links that survive a rename. Blue renamed files on every transition and never touched the links
 * pointing at them (reference §1.3, §8.1.6: RFC 0031's "cross-reference updater" was never built),
 * so its corpus is full of stale links. Here a rename rewrites every inbound relative link of the
 * workspace's Markdown. The links are found in the remark AST (links and definitions, never code
 * or text that merely looks like a path); only the destination's bytes are replaced, so a
 * hand-written file keeps the rest of its bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { parseMarkdown } from '../../markdown/index.ts';
import { decodeSafe, isLocal, linkTarget } from './scan.ts';

/** A file rename; both paths posix, relative to the workspace root. */
export interface Move {
  from: string;
  to: string;
}

/** A byte range of the source to replace. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Folders never searched for Markdown: dependencies, VCS data, and hidden folders other than `.blue`. */
function skipped(name: string): boolean {
  return name === 'node_modules' || (name.startsWith('.') && name !== '.blue');
}

/** Every `.md` file under `root` (posix, relative), in a stable order. */
export function workspaceMarkdown(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !skipped(e.name)) walk(child);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(child);
    }
  };
  walk('');
  return out;
}

/**
 * Rewrites the links of `text` (the Markdown of workspace file `file`) that resolve to a moved
 * file, so they resolve to where it went. A `./` prefix, fragment and query are kept; a link
 * whose text is the old path or file name gets the new one. Returns `text` itself when nothing
 * pointed at a moved file. Pure.
 */
export function rewriteLinks(text: string, file: string, moves: readonly Move[]): string {
  if (!moves.some((m) => text.includes(path.posix.basename(m.from)))) return text; // cheap: most files link elsewhere
  const edits: Edit[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'link' || node.type === 'definition' || node.type === 'image') edits.push(...linkEdits(text, file, node, moves));
    if ('children' in node) for (const c of node.children) visit(c as Nodes);
  };
  visit(parseMarkdown(text));
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

type LinkNode = Extract<Nodes, { type: 'link' | 'definition' | 'image' }>;

function linkEdits(text: string, file: string, node: LinkNode, moves: readonly Move[]): Edit[] {
  const dest = destination(text, node);
  if (!dest) return [];
  const cut = dest.raw.search(/[#?]/);
  const rawPath = cut < 0 ? dest.raw : dest.raw.slice(0, cut);
  if (!isLocal(rawPath)) return [];
  const target = linkTarget(file, decodeSafe(rawPath));
  const move = moves.find((m) => m.from === target);
  if (!move) return [];
  const rel = newPath(file, rawPath, move);
  const edits: Edit[] = [{ start: dest.start, end: dest.start + rawPath.length, text: rel }];
  if (node.type === 'link') edits.push(...labelEdit(text, node, move, rawPath, rel));
  return edits;
}

/**
 * The new destination: a rename within a folder changes only the last segment (the link keeps
 * its own `./` or `../rfcs/` spelling); a move elsewhere gets the relative path from `file`.
 */
function newPath(file: string, rawPath: string, move: Move): string {
  const enc = (p: string): string => (rawPath.includes('%') ? encodeURI(p) : p);
  if (path.posix.dirname(move.from) === path.posix.dirname(move.to)) {
    return rawPath.slice(0, rawPath.lastIndexOf('/') + 1) + enc(path.posix.basename(move.to));
  }
  const rel = path.posix.relative(path.posix.dirname(file), move.to);
  return enc(rawPath.startsWith('./') && !rel.startsWith('.') ? `./${rel}` : rel);
}

/** The link's text, when it is exactly the old path or name (`[rfcs/0001-a.draft.md](…)`). */
function labelEdit(text: string, node: Extract<Nodes, { type: 'link' }>, move: Move, rawPath: string, rel: string): Edit[] {
  const only = node.children.length === 1 ? node.children[0] : undefined;
  if (!only || (only.type !== 'text' && only.type !== 'inlineCode')) return [];
  const start = only.position?.start.offset;
  const end = only.position?.end.offset;
  if (start === undefined || end === undefined) return [];
  const replacements: [string, string][] = [
    [move.from, move.to],
    [rawPath, rel],
    [path.posix.basename(move.from), path.posix.basename(move.to)],
  ];
  const hit = replacements.find(([old]) => only.value === old);
  if (!hit) return [];
  const source = text.slice(start, end);
  const inner = only.type === 'inlineCode' ? source.indexOf(hit[0]) : source === hit[0] ? 0 : -1;
  return inner < 0 ? [] : [{ start: start + inner, end: start + inner + hit[0].length, text: hit[1] }];
}

/** Where the destination of a link or definition starts in the source, and its raw text. */
function destination(text: string, node: LinkNode): { start: number; raw: string } | null {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return null;
  let at: number;
  if (node.type === 'definition') {
    at = labelEnd(text, start, end, ']:');
  } else {
    const last = node.type === 'link' ? node.children[node.children.length - 1] : undefined;
    at = labelEnd(text, last?.position?.end.offset ?? start + (node.type === 'image' ? 2 : 1), end, '](');
  }
  if (at < 0) return null;
  while (at < end && /\s/.test(text[at] ?? '')) at++;
  if (text[at] === '<') {
    const close = text.indexOf('>', at);
    return close < 0 || close > end ? null : { start: at + 1, raw: text.slice(at + 1, close) };
  }
  let i = at;
  let depth = 0;
  for (; i < end; i++) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) break;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && depth-- === 0) break;
  }
  return { start: at, raw: text.slice(at, i) };
}

/** Offset just after the first unescaped `marker` in [from, end), or -1. */
function labelEnd(text: string, from: number, end: number, marker: string): number {
  for (let i = text.indexOf(marker, from); i >= 0 && i < end; i = text.indexOf(marker, i + 1)) {
    if (text[i - 1] !== '\\') return i + marker.length;
  }
  return -1;
}

/**
 * The final text of every workspace Markdown file a set of renames changes: `pending` (texts this
 * operation already changed, keyed by their path after the moves) with links rewritten, plus every
 * other file whose links pointed at a moved file. Keys are paths after the moves. Reads files only.
 */
export function relinkWorkspace(root: string, moves: readonly Move[], pending: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const after = (rel: string): string => moves.find((m) => m.from === rel)?.to ?? rel;
  const seen = new Set<string>();
  for (const rel of workspaceMarkdown(root)) {
    const final = after(rel);
    seen.add(final);
    const before = pending.get(final) ?? fs.readFileSync(path.join(root, rel), 'utf8');
    const text = moves.length > 0 ? rewriteLinks(before, final, moves) : before;
    if (text !== before || pending.has(final)) out.set(final, text);
  }
  for (const [rel, text] of pending) if (!seen.has(rel)) out.set(rel, moves.length > 0 ? rewriteLinks(text, rel, moves) : text);
  return out;
}
