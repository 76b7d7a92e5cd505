/** Small text helpers shared by every module. */

/**
 * Lowercase kebab slug: non-alphanumerics become `-`, runs collapse, ends trimmed,
 * at most `maxLength` characters (cut at a dash when possible). Same rule as blue's
 * `title_to_slug`. Returns '' when nothing alphanumeric remains.
 */
export function slugify(title: string, maxLength = 60): string {
  const slug = title
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
