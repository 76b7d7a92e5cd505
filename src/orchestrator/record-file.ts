/** The name of a dialogue's record file, in a module of its own so the light listing can use it. */

/** File name of the recorded dialogue inside its folder. */
export function recordFileName(id: string, status: 'recorded' | 'pub' = 'recorded'): string {
  return `${id}.dialogue.${status}.md`;
}
