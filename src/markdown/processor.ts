/**
 * The one unified/remark processor of Blue. Every generated document is built as mdast
 * and serialised here, so all files share one style (GFM tables, `-` bullets, `*` emphasis).
 */
import type { Root, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkStringify, {
    bullet: '-',
    emphasis: '*',
    strong: '*',
    fences: true,
    rule: '-',
    listItemIndent: 'one',
    incrementListMarker: true,
  })
  .freeze();

const compactProcessor = unified()
  .use(remarkParse)
  .use(remarkGfm, { tablePipeAlign: false })
  .use(remarkStringify, { bullet: '-', emphasis: '*', strong: '*', fences: true, rule: '-', listItemIndent: 'one' })
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
