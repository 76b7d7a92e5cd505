/** Escaped text is memoised by its context: the same value escapes as its place requires, in any order. */
import { describe, expect, it } from 'vitest';
import { heading, p, table } from '../../src/markdown/builders.ts';
import { stringifyMarkdown } from '../../src/markdown/processor.ts';

const VALUE = 'a | b *c* [TENSION T0101: x]';

describe('text escaping memo', () => {
  it('escapes a value for each context it appears in, whatever came first', () => {
    const para = () => stringifyMarkdown([p(VALUE)]);
    const cell = () => stringifyMarkdown([table([null], ['H'], [[VALUE]])]);
    const head = () => stringifyMarkdown([heading(2, VALUE)]);
    const first = [para(), cell(), head()];
    const again = [head(), cell(), para()].reverse();
    expect(again).toEqual(first);
    expect(first[0]).toBe('a | b \\*c\\* [TENSION T0101: x]\n');
    expect(first[1]).toContain('| a \\| b \\*c\\* [TENSION T0101: x] |');
    expect(first[2]).toBe('## a | b \\*c\\* [TENSION T0101: x]\n');
  });
});
