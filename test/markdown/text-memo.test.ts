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

describe('text escaping memo bound', () => {
  it('holds at most TEXT_MEMO_CHARS characters however many distinct paragraphs pass through', async () => {
    const { TEXT_MEMO_CHARS, textMemoChars } = await import('../../src/markdown/processor.ts');
    const long = 'word '.repeat(400);
    for (let i = 0; i < 3000; i++) stringifyMarkdown([p(`${i} ${long}`)]);
    expect(textMemoChars()).toBeGreaterThan(TEXT_MEMO_CHARS / 2);
    expect(textMemoChars()).toBeLessThanOrEqual(TEXT_MEMO_CHARS);
  });

  it('still escapes a value correctly once the memo holds it unchanged', () => {
    const plain = 'nothing here needs an escape at all';
    expect(stringifyMarkdown([p(plain)])).toBe(`${plain}\n`);
    expect(stringifyMarkdown([p(plain)])).toBe(`${plain}\n`);
    expect(stringifyMarkdown([p(VALUE)])).toBe('a | b \\*c\\* [TENSION T0101: x]\n');
  });
});
