// The shared number rule of the terminal tables and the chart labels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, formatNumber } from '../../src/format/index.ts';

describe('formatNumber', () => {
  it.each([
    [3791.599, '3,792'],
    [1_234_567, '1,234,567'],
    [123.45, '123.5'],
    [12.25, '12.3'],
    [0.06021, '0.0602'],
    [0.2, '0.200'],
    [5, '5'],
    [0, '0'],
    [-2500.4, '-2,500'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('%s -> %s', (x, text) => expect(formatNumber(x)).toBe(text));

  it('never shows more than three decimals for values of 1 and more', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e9, noNaN: true }), (x) => {
        const [, decimals = ''] = formatNumber(x).split('.');
        expect(decimals.length).toBeLessThanOrEqual(2);
      }),
    );
  });
});

describe('count', () => {
  it.each([
    [0, 'simulation', '0 simulations'],
    [1, 'simulation', '1 simulation'],
    [2, 'simulation', '2 simulations'],
    [1200, 'pod', '1,200 pods'],
  ])('%s %s -> %s', (n, noun, text) => expect(count(n, noun)).toBe(text));

  it('takes an irregular plural', () => expect(count(3, 'replica', 'replicas')).toBe('3 replicas'));
});
