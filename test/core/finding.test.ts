/** core's Finding severities: what the store reads back is one of them, or the read fails loudly. */
import { describe, expect, it } from 'vitest';
import { BlueError, SEVERITIES, parseSeverity } from '../../src/core/index.ts';

describe('parseSeverity', () => {
  it.each(SEVERITIES)('reads back %s', (s) => {
    expect(parseSeverity(s)).toBe(s);
  });

  it.each(['fatal', 'Error', ''])('refuses %j with E_INTERNAL', (s) => {
    expect(() => parseSeverity(s)).toThrow(BlueError);
    expect(() => parseSeverity(s)).toThrow(/is not one of error, warning, note/);
  });
});
