import { quantile as exactQuantile } from 'd3-array';
import { describe, expect, it } from 'vitest';
import {
  boundedPareto,
  constant,
  type Distribution,
  empirical,
  exponential,
  lognormal,
  lognormalFromMeanP99,
  lognormalFromMedianP99,
  normal,
  normalQuantile,
  RandomStreams,
  uniform,
} from '../../sim/index.ts';

const N = 200_000;

/** Sample mean within 5 standard errors, and sample quantiles close to the analytic quantiles. */
function checkSamples(d: Distribution, name: string): void {
  const rng = new RandomStreams('distributions').stream(name);
  const xs = new Float64Array(N);
  let sum = 0;
  for (let i = 0; i < N; i++) {
    xs[i] = d.sample(rng);
    sum += xs[i]!;
  }
  const mean = sum / N;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const se = Math.sqrt(ss / (N - 1) / N);
  expect(Math.abs(mean - d.mean), `${name} mean ${mean} vs ${d.mean}`).toBeLessThanOrEqual(5 * se + 1e-12);
  xs.sort();
  for (const p of [0.1, 0.5, 0.9, 0.99]) {
    const q = d.quantile(p);
    // the empirical CDF at the analytic quantile is within 5 binomial standard errors of p
    const below = lowerBound(xs, q) / N;
    const tol = 5 * Math.sqrt((p * (1 - p)) / N) + 1e-9;
    if (d.kind !== 'constant') expect(Math.abs(below - p), `${name} F(q(${p}))`).toBeLessThanOrEqual(tol);
    expect(exactQuantile(xs, p)).toBeCloseTo(q, 0);
  }
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('distributions: samples match mean and quantiles', () => {
  const cases: [string, Distribution][] = [
    ['constant', constant(3)],
    ['uniform', uniform(2, 5)],
    ['exponential', exponential(0.5)],
    ['normal', normal(10, 2)],
    ['lognormal', lognormal(0, 0.5)],
    ['lognormalFromMeanP99', lognormalFromMeanP99(2, 8)],
    ['lognormalFromMedianP99', lognormalFromMedianP99(1, 5)],
    ['boundedPareto', boundedPareto(1.5, 1, 100)],
    ['boundedPareto alpha 1', boundedPareto(1, 1, 50)],
    [
      'empirical',
      empirical([
        [0, 1],
        [50, 2],
        [90, 4],
        [99, 10],
        [100, 12],
      ]),
    ],
  ];
  for (const [name, d] of cases) it(name, () => checkSamples(d, name));
});

describe('distributions: analytic properties', () => {
  it('the normal quantile matches known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('lognormal fits hit their targets', () => {
    const a = lognormalFromMeanP99(2e-3, 9e-3);
    expect(a.mean).toBeCloseTo(2e-3, 15);
    expect(a.quantile(0.99) / 9e-3).toBeCloseTo(1, 12);
    const b = lognormalFromMedianP99(1e-3, 4e-3);
    expect(b.quantile(0.5) / 1e-3).toBeCloseTo(1, 12);
    expect(b.quantile(0.99) / 4e-3).toBeCloseTo(1, 12);
  });

  it('picks the smaller sigma of the two roots', () => {
    // both roots give the same mean and p99; the smaller sigma has the thinner tail beyond p99
    const d = lognormalFromMeanP99(1, 3);
    expect(d.quantile(0.999)).toBeLessThan(6);
  });

  it('quantiles are monotone and span the support', () => {
    expect(uniform(2, 5).quantile(0)).toBe(2);
    expect(uniform(2, 5).quantile(1)).toBe(5);
    expect(boundedPareto(2, 1, 10).quantile(0)).toBe(1);
    expect(boundedPareto(2, 1, 10).quantile(1)).toBeCloseTo(10, 10);
    expect(
      empirical([
        [0, 1],
        [100, 3],
      ]).quantile(0.25),
    ).toBe(1.5);
    expect(exponential(2).quantile(0.5)).toBeCloseTo(2 * Math.LN2, 14);
  });

  it('describe() is plain text naming the family and parameters', () => {
    expect(exponential(0.002).describe()).toBe('exponential(mean=0.002)');
    expect(lognormalFromMedianP99(1, 5).describe()).toMatch(/^lognormal\(mu=0, sigma=0\.6918.*median=1/);
    expect(
      empirical([
        [0, 1],
        [100, 3],
      ]).describe(),
    ).toBe('empirical(p0=1, p100=3; mean=2)');
  });
});

describe('distributions: invalid parameters are rejected with a clear message', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => constant(Number.NaN), /constant: value must be a finite number, got NaN/],
    [() => uniform(3, 1), /uniform: max must be .*>= min \(3\), got 1/],
    [() => exponential(0), /exponential: mean must be a finite number > 0, got 0/],
    [() => exponential(-1), /exponential: mean .* got -1/],
    [() => normal(0, -1), /normal: sd must be a finite number >= 0, got -1/],
    [() => lognormal(0, -0.1), /lognormal: sigma must be .* got -0.1/],
    [() => lognormalFromMeanP99(0, 1), /lognormalFromMeanP99: mean must be a finite number > 0, got 0/],
    [
      () => lognormalFromMeanP99(2, 1),
      /lognormalFromMeanP99: p99 must be a finite number > mean \(2\), got 1/,
    ],
    [
      () => lognormalFromMeanP99(1, 20),
      /lognormalFromMeanP99: p99 must be <= 14\.9.*no lognormal has this mean/,
    ],
    [() => lognormalFromMedianP99(2, 2), /lognormalFromMedianP99: p99 must be .*> median \(2\), got 2/],
    [() => boundedPareto(0, 1, 2), /boundedPareto: alpha must be a finite number > 0, got 0/],
    [() => boundedPareto(1, 0, 2), /boundedPareto: min must be/],
    [() => boundedPareto(1, 2, 2), /boundedPareto: max must be a finite number > min \(2\), got 2/],
    [() => empirical([[0, 1]]), /empirical: table must be an array of >= 2 points/],
    [
      () =>
        empirical([
          [10, 1],
          [100, 2],
        ]),
      /empirical: table\[0\] percentile must be 0, got 10/,
    ],
    [
      () =>
        empirical([
          [0, 1],
          [90, 2],
        ]),
      /empirical: last percentile must be 100, got 90/,
    ],
    [
      () =>
        empirical([
          [0, 1],
          [50, 2],
          [50, 3],
          [100, 4],
        ]),
      /table\[2\] percentile must be greater than the previous one \(50\)/,
    ],
    [
      () =>
        empirical([
          [0, 2],
          [100, 1],
        ]),
      /table\[1\] value must be >= the previous value \(2\), got 1/,
    ],
    [
      () =>
        empirical([
          [0, 1],
          [120, 2],
        ]),
      /table\[1\] percentile must be in \[0, 100\], got 120/,
    ],
    [() => exponential(1).quantile(1.5), /quantile: p must be in \[0, 1\], got 1.5/],
  ];
  for (const [make, message] of bad) {
    it(String(message), () => {
      expect(make).toThrow(RangeError);
      expect(make).toThrow(message);
    });
  }
});
