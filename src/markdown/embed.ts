/** Embeds untrusted Markdown (expert responses, judge prose) under a generated heading. */
import type { Definition, Nodes, Paragraph, RootContent } from 'mdast';
import { parseMarkdown } from './processor.ts';

/**
 * Parses `markdown` and shifts every heading down by `by` levels (depth = min(6, depth + by)),
 * so a response's own `# Title` nests under the contribution heading instead of competing
 * with the document's structure. Link definitions become literal text: one response must not
 * turn brackets elsewhere in the document (markers such as `[MOVE:CONVERGE]`) into links.
 * Returns the top-level nodes, positions stripped.
 */
export function embedMarkdown(markdown: string, by: number): RootContent[] {
  const root = parseMarkdown(markdown);
  demote(root, by);
  return root.children.map((node) => (node.type === 'definition' ? literalDefinition(node) : node));
}

function literalDefinition(node: Definition): Paragraph {
  const title = node.title ? ` "${node.title}"` : '';
  return { type: 'paragraph', children: [{ type: 'text', value: `[${node.label ?? node.identifier}]: ${node.url}${title}` }] };
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
