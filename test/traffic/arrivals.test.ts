import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../sim/index.ts';
import type { EntryPoint } from '../../src/scenario/index.ts';
import { interarrival, makeDistribution } from '../../src/traffic/index.ts';

const entry = (arrival: EntryPoint['arrival'], rate: number) => ({ arrival, rate }) as EntryPoint;

describe('arrival processes', () => {
  it('constant arrivals land exactly on multiples of the period, with no drift over a long run', () => {
    const gap = interarrival(entry({ kind: 'constant' }, 100), 1000);
    const rng = new RandomStreams(1).stream('a');
    let t = 0;
    let n = 0;
    while (t < 1000) {
      t += gap(t, rng);
      n++;
      expect(Math.abs(t * 100 - Math.round(t * 100))).toBeLessThan(1e-6);
    }
    // 100/s for 1000 s: the 100,000th arrival is exactly at 1000 s, not one more before it.
    expect(n).toBe(100_000);
  });

  it('Poisson arrivals have exponential gaps with mean 1 / rate', () => {
    const gap = interarrival(entry({ kind: 'poisson' }, 50), 100);
    const rng = new RandomStreams(7).stream('a');
    let sum = 0;
    let sq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const g = gap(0, rng);
      sum += g;
      sq += g * g;
    }
    const mean = sum / n;
    // Standard error of the mean: 0.02 / sqrt(n) = 4.5e-5; the coefficient of variation of an exponential is 1.
    expect(Math.abs(mean - 0.02)).toBeLessThan(4 * 4.5e-5);
    expect(Math.sqrt(sq / n - mean * mean) / mean).toBeCloseTo(1, 1);
  });

  it('a ramp raises the rate linearly from `from` to `to` over the run', () => {
    const gap = interarrival(entry({ kind: 'ramp', from: 10, to: 1000 }, 10), 100);
    const rng = new RandomStreams(3).stream('a');
    let early = 0;
    let late = 0;
    for (let t = 0; t < 100; ) {
      t += gap(t, rng);
      if (t < 10) early++;
      else if (t >= 90 && t < 100) late++;
    }
    // Expected about (10 + 109) / 2 * 10 = 595 in the first 10 s and (901 + 1000) / 2 * 10 = 9505 in the last.
    expect(early).toBeGreaterThan(450);
    expect(early).toBeLessThan(750);
    expect(late).toBeGreaterThan(9000);
    expect(late).toBeLessThan(10000);
  });
});

describe('distribution specs', () => {
  it('build the kernel distribution they name, with the same parameters', () => {
    expect(makeDistribution({ kind: 'constant', value: 0.002 }).mean).toBe(0.002);
    expect(makeDistribution({ kind: 'exponential', mean: 0.004 }).mean).toBeCloseTo(0.004, 12);
    expect(makeDistribution({ kind: 'uniform', min: 1, max: 3 }).mean).toBe(2);
    const ln = makeDistribution({ kind: 'lognormal-median-p99', median: 0.002, p99: 0.008 });
    expect(ln.quantile(0.5)).toBeCloseTo(0.002, 9);
    expect(ln.quantile(0.99)).toBeCloseTo(0.008, 9);
    const emp = makeDistribution({
      kind: 'empirical',
      table: [
        [0, 1],
        [50, 2],
        [100, 4],
      ],
    });
    expect(emp.quantile(0.5)).toBeCloseTo(2, 12);
  });
});
