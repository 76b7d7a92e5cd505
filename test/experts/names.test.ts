import { describe, expect, it } from 'vitest';
import { PASTRY_NAMES, isPastryName, nextPastryName } from '../../src/experts/index.ts';

describe('pastry names', () => {
  it('has blue\'s 20 names in order', () => {
    expect(PASTRY_NAMES).toHaveLength(20);
    expect(PASTRY_NAMES.slice(0, 3)).toEqual(['Muffin', 'Cupcake', 'Scone']);
    expect(PASTRY_NAMES[19]).toBe('Religieuse');
  });

  it('gives the first free name, case-insensitively', () => {
    expect(nextPastryName(new Set())).toBe('Muffin');
    expect(nextPastryName(new Set(['muffin', 'CUPCAKE']))).toBe('Scone');
    expect(nextPastryName(new Set(['Cupcake']))).toBe('Muffin');
  });

  it('overflows to Pastry21, Pastry22 …', () => {
    const used = new Set(PASTRY_NAMES);
    expect(nextPastryName(used)).toBe('Pastry21');
    used.add('pastry21');
    expect(nextPastryName(used)).toBe('Pastry22');
  });

  it('recognises pastry names only', () => {
    expect(isPastryName('GALETTE')).toBe(true);
    expect(isPastryName('Pastry23')).toBe(true);
    expect(isPastryName('Pastry3')).toBe(false);
    expect(isPastryName('Kettle')).toBe(false);
  });
});
