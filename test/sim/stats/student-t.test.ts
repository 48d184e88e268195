import { describe, expect, it } from 'vitest';
import { confidenceInterval, studentT95 } from '../../../sim/index.ts';

describe('studentT95', () => {
  it('is t_{0.975, n-1}', () => {
    expect(studentT95(2)).toBeCloseTo(12.706204736174694, 12);
    expect(studentT95(10)).toBeCloseTo(2.262157162798205, 12);
    expect(studentT95(31)).toBeCloseTo(2.0422724563012378, 12);
    // beyond the table: scipy.stats.t.ppf(0.975, df)
    expect(studentT95(32)).toBeCloseTo(2.039513446396408, 7);
    expect(studentT95(41)).toBeCloseTo(2.021075390306273, 7);
    expect(studentT95(101)).toBeCloseTo(1.9839715185235518, 8);
    expect(studentT95(1001)).toBeCloseTo(1.9623390808264083, 9);
  });
  it('rejects n < 2', () => {
    expect(() => studentT95(1)).toThrow(/n must be an integer >= 2, got 1/);
  });
});

describe('confidenceInterval', () => {
  it('is mean +- t * s / sqrt(n)', () => {
    const ci = confidenceInterval([1, 2, 3, 4]);
    const half = (studentT95(4) * Math.sqrt(5 / 3)) / 2;
    expect(ci.mean).toBe(2.5);
    expect(ci.half).toBeCloseTo(half, 14);
    expect(ci.lo).toBeCloseTo(2.5 - half, 14);
    expect(ci.hi).toBeCloseTo(2.5 + half, 14);
    expect(ci.n).toBe(4);
  });
  it('has half-width 0 for one sample, and refuses none', () => {
    expect(confidenceInterval([7])).toEqual({ mean: 7, half: 0, lo: 7, hi: 7, n: 1 });
    expect(() => confidenceInterval([])).toThrow(/must not be empty/);
  });
});
