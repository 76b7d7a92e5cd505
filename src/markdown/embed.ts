/** Embeds untrusted Markdown (expert responses, judge prose) under a generated heading. */
import type { Nodes, RootContent } from 'mdast';
import { parseMarkdown } from './processor.ts';

/**
 * Parses `markdown` and shifts every heading down by `by` levels (depth = min(6, depth + by)),
 * so a response's own `# Title` nests under the contribution heading instead of competing
 * with the document's structure. Returns the top-level nodes, positions stripped.
 */
export function embedMarkdown(markdown: string, by: number): RootContent[] {
  const root = parseMarkdown(markdown);
  demote(root, by);
  return root.children;
}

function demote(node: Nodes, by: number): void {
  delete node.position;
  if (node.type === 'heading') {
    node.depth = Math.min(6, node.depth + by) as typeof node.depth;
  }
  if ('children' in node) {
    for (const child of node.children) demote(child, by);
  }
}
