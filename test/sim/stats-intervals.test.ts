import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  confidenceInterval,
  countInterval,
  Histogram,
  mser5,
  nonNegativeInterval,
  pairedDifference,
  poissonInterval,
  rngFromSeed,
} from '../../sim/index.ts';

describe('pairedDifference', () => {
  it('matches a hand calculation of the paired-t interval', () => {
    // d = [1, 1.5, 0.5, 1.5]: mean 1.125, s^2 = 0.6875 / 3, half = t(0.975, 3) * s / 2 = 0.76174
    const a = [10, 12, 11, 13];
    const b = [11, 13.5, 11.5, 14.5];
    const d = pairedDifference(a, b);
    expect(d.mean).toBeCloseTo(1.125, 12);
    expect(d.half).toBeCloseTo((3.182446305 * Math.sqrt(0.6875 / 3)) / 2, 8);
    expect(d.ci![0]).toBeCloseTo(0.36326, 5);
    expect(d.ci![1]).toBeCloseTo(1.88674, 5);
    expect(d.significant).toBe(true);
    // The same numbers unpaired: the spread between replications hides the difference.
    const ca = confidenceInterval(a);
    const cb = confidenceInterval(b);
    expect(cb.lo).toBeLessThan(ca.hi);
  });

  it('calls an interval spanning zero not significant, and applies the floor', () => {
    const d = pairedDifference([1, 2, 3], [1.1, 1.9, 3.05]);
    expect(d.ci![0]).toBeLessThan(0);
    expect(d.significant).toBe(false);
    // Identical differences have no spread: only the floor (a bucket width) gives the interval its width.
    const same = pairedDifference([1, 1, 1], [1.001, 1.001, 1.001], 0.002);
    expect(same.half).toBe(0.002);
    expect(same.significant).toBe(false);
    expect(pairedDifference([1, 1, 1], [1.01, 1.01, 1.01], 0.002).significant).toBe(true);
  });

  it('gives no interval for one pair', () => {
    const d = pairedDifference([1], [2]);
    expect(d).toMatchObject({ mean: 1, half: null, ci: null, significant: false });
  });
});

describe('intervals of counts and rates', () => {
  it('poissonInterval is close to the exact Garwood limits', () => {
    // scipy.stats.chi2.ppf(0.025, 20) / 2, chi2.ppf(0.975, 22) / 2
    const [lo, hi] = poissonInterval(10);
    expect(lo).toBeCloseTo(4.7954, 1);
    expect(hi).toBeCloseTo(18.3904, 1);
    expect(poissonInterval(0)).toEqual([0, -Math.log(0.025)]);
  });

  it('the issue-13 case 6.5 +- 28.9 no longer goes below zero', () => {
    const c = countInterval([0, 13]);
    expect(c.mean).toBe(6.5);
    expect(c.lo).toBe(0);
    expect(c.hi).toBeGreaterThan(6.5);
  });

  it('count and rate intervals are never negative and always hold the mean (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1e6 }), { minLength: 1, maxLength: 20 }), (xs) => {
        const c = countInterval(xs);
        expect(c.lo).toBeGreaterThanOrEqual(0);
        expect(c.lo).toBeLessThanOrEqual(c.mean);
        expect(c.hi).toBeGreaterThanOrEqual(c.mean);
        expect(c.hi).toBeGreaterThan(0);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (xs) => {
          const r = nonNegativeInterval(xs);
          expect(r.lo).toBeGreaterThanOrEqual(0);
          expect(r.hi).toBeGreaterThanOrEqual(r.lo);
        },
      ),
    );
  });
});

describe('mser5', () => {
  it('truncates a known transient and keeps a stationary series whole', () => {
    const rng = rngFromSeed('mser');
    const noise = () => rng.next() - 0.5;
    // A decaying transient that sinks under the noise after ~40 observations, then stationary around 10.
    const series = Array.from({ length: 500 }, (_, i) => 10 + 50 * Math.exp(-i / 8) + noise());
    const r = mser5(series);
    expect(r.truncate % 5).toBe(0);
    expect(r.truncate).toBeGreaterThanOrEqual(25);
    expect(r.truncate).toBeLessThanOrEqual(100);
    expect(r.settled).toBe(true);
    const flat = Array.from({ length: 500 }, () => 10 + noise());
    expect(mser5(flat).truncate).toBeLessThanOrEqual(50);
  });

  it('says a series that keeps rising never settled', () => {
    const rising = Array.from({ length: 200 }, (_, i) => i);
    expect(mser5(rising).settled).toBe(false);
  });
});

describe('Histogram.bucketWidth', () => {
  it('is at most the precision times the value', () => {
    const h = new Histogram({ lowest: 1e-6, highest: 100, precision: 0.01 });
    for (const x of [1e-5, 0.003, 0.1, 5]) {
      expect(h.bucketWidth(x)).toBeGreaterThan(0);
      expect(h.bucketWidth(x)).toBeLessThanOrEqual(x * 2 * 0.01 + 1e-15);
    }
    expect(h.clamped).toBe(0);
  });
});
