/**
 * The one unified/remark processor of Blue. Every generated document is built as mdast
 * and serialised here, so all files share one style (GFM tables, `-` bullets, `*` emphasis).
 */
import type { Root, RootContent } from 'mdast';
import { LRUCache } from 'lru-cache';
import { type Handle, defaultHandlers } from 'mdast-util-to-markdown';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

/**
 * Dialogue markers (`[PERSPECTIVE P01: …]`, `[MOVE:CONVERGE]`) stay unescaped in text so
 * recorded responses read — and grep — as the experts wrote them. Only a whole marker not
 * followed by `:`, `(` or `[` is unescaped, and embedded definitions are made literal
 * (embed.ts), so an unescaped marker can never become a link.
 */
const MARKER_HEAD = String.raw`[ \t]*(?:(?:PERSPECTIVE|TENSION|REFINEMENT|CONCESSION|CONCEDE[SD]?|RESOLVED|RESOLUTION|RESOLVES?|ACCEPTED|ACCEPTS?|ACKNOWLEDGED|DISSENT|CONVERGENCE)\b|(?:DEFER-TO-RFC|DEFERRED|DEFERS?)(?![\w-])|(?:MOVE|RE)[ \t]*:)`;
/** Every marker head the parser reads (experts/markers.ts: the grammar and blue's variants), in any case. */
const ESCAPED_MARKER = new RegExp(String.raw`\\\[(${MARKER_HEAD}[^\]\n]*)\](?![:([])`, 'gi');
const escapedText: Handle = (node, parent, state, info) => defaultHandlers.text(node, parent, state, info).replace(ESCAPED_MARKER, '[$1]');

/**
 * Escaped text by everything escaping (`state.safe`) reads: the constructs it sits in, its
 * siblings' types, the characters around it, the value. Documents are rewritten after every round with mostly the same cells (tensions,
 * scoreboards), and escaping (`safe`) is most of their serialisation cost. Bounded by the
 * characters it holds, not its entries: values run from one word to whole paragraphs.
 */
export const TEXT_MEMO_CHARS = 2_000_000;
/** Stands for "escaped the same as the value": most text needs no escape, so the key alone holds it. */
const UNCHANGED = true;
const TEXT_MEMO = new LRUCache<string, string | typeof UNCHANGED>({
  maxSize: TEXT_MEMO_CHARS,
  sizeCalculation: (out, key) => key.length + (out === UNCHANGED ? 0 : out.length),
});

const text: Handle = (node, parent, state, info) => {
  const value = (node as { value: string }).value;
  const siblings = parent?.children ?? [];
  const at = state.indexStack.at(-1) ?? -1;
  const around = `${siblings[at - 1]?.type ?? ''},${siblings[at + 1]?.type ?? ''}`;
  const key = `${state.stack.join(',')}\u0000${around}\u0000${info.before}\u0000${info.after}\u0000${value}`;
  const hit = TEXT_MEMO.get(key);
  if (hit !== undefined) return hit === UNCHANGED ? value : hit;
  const out = escapedText(node, parent, state, info);
  TEXT_MEMO.set(key, out === value ? UNCHANGED : out);
  return out;
};

/** Characters the escaped-text memo holds (keys and stored values), ≤ {@link TEXT_MEMO_CHARS}. */
export function textMemoChars(): number {
  return TEXT_MEMO.calculatedSize;
}

const STYLE = { bullet: '-', emphasis: '*', strong: '*', fences: true, rule: '-', listItemIndent: 'one', handlers: { text } } as const;

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkStringify, { ...STYLE, incrementListMarker: true })
  .freeze();

const compactProcessor = unified()
  .use(remarkParse)
  .use(remarkGfm, { tablePipeAlign: false })
  .use(remarkStringify, STYLE)
  .freeze();

/** Parses Markdown (GFM) into an mdast root. Positions are kept (1-based lines). */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}

/**
 * Serialises an mdast root (or a list of top-level nodes) to Markdown ending in one newline.
 * `compact` leaves tables unpadded (prompts: padding only costs tokens).
 */
export function stringifyMarkdown(tree: Root | RootContent[], opts: { compact?: boolean } = {}): string {
  const root: Root = Array.isArray(tree) ? { type: 'root', children: tree } : tree;
  return (opts.compact ? compactProcessor : processor).stringify(root);
}
