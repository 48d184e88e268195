import { quantile as exactQuantile } from 'd3-array';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram, RandomStreams, type Rng } from '../../../sim/index.ts';

const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];

function expectQuantilesWithin(h: Histogram, xs: number[], precision = 0.01): void {
  const sorted = Float64Array.from(xs).sort();
  for (const q of QS) {
    const exact = exactQuantile(sorted, q)!;
    const got = h.quantile(q);
    expect(Math.abs(got - exact) / exact, `q=${q}: ${got} vs ${exact}`).toBeLessThanOrEqual(precision);
  }
}

const generators: Record<string, (r: Rng) => number> = {
  // spans 1 us .. 100 s evenly in log
  logUniform: (r) => 1e-6 * 1e8 ** r.next(),
  exponential: (r) => 1e-3 * -Math.log(1 - r.next()) + 1e-6,
  lognormalish: (r) => Math.exp(Math.log(2e-3) + 1.5 * (r.next() + r.next() + r.next() - 1.5)),
  bimodal: (r) => (r.next() < 0.9 ? 1e-4 : 30) * (1 + r.next()),
};

describe('Histogram', () => {
  for (const [name, gen] of Object.entries(generators)) {
    it(`quantiles within 1 % of d3-array's on ${name} data`, () => {
      const rng = new RandomStreams('histogram').stream(name);
      for (const n of [1, 2, 7, 100, 50_000]) {
        const h = new Histogram();
        const xs = Array.from({ length: n }, () => gen(rng));
        for (const x of xs) h.record(x);
        expectQuantilesWithin(h, xs);
        expect(h.count).toBe(n);
        expect(h.min).toBe(Math.min(...xs));
        expect(h.max).toBe(Math.max(...xs));
        expect(h.mean).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / n, 10);
      }
    });
  }

  it('quantiles within 1 % for arbitrary samples in [1e-6, 100] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 100, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (xs) => {
          const h = new Histogram();
          for (const x of xs) h.record(x);
          expectQuantilesWithin(h, xs);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('honours a finer precision', () => {
    const rng = new RandomStreams('fine').stream('x');
    const xs = Array.from({ length: 5000 }, () => generators.logUniform!(rng));
    const h = new Histogram({ precision: 0.001 });
    for (const x of xs) h.record(x);
    expectQuantilesWithin(h, xs, 0.001);
  });

  it('merge(a, b) has the same counts as the histogram of the union', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-8, max: 1e5, noNaN: true })),
        fc.array(fc.double({ min: 1e-8, max: 1e5, noNaN: true })),
        (as, bs) => {
          const a = new Histogram();
          const b = new Histogram();
          const u = new Histogram();
          for (const x of as) a.record(x);
          for (const x of bs) b.record(x);
          for (const x of [...as, ...bs]) u.record(x);
          a.merge(b);
          expect(a.toJSON().counts).toEqual(u.toJSON().counts);
          expect(a.count).toBe(u.count);
          expect(a.clamped).toBe(u.clamped);
          expect(a.min).toBe(u.min);
          expect(a.max).toBe(u.max);
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });

  it('refuses to merge different layouts', () => {
    expect(() => new Histogram().merge(new Histogram({ precision: 0.001 }))).toThrow(/same lowest/);
  });

  it('clamps values outside [lowest, highest] into the end buckets and counts them', () => {
    const h = new Histogram({ lowest: 1e-3, highest: 1 });
    h.record(1e-6);
    h.record(5);
    h.record(0.5);
    expect(h.clamped).toBe(2);
    expect(h.count).toBe(3);
    expect(h.quantile(0)).toBe(1e-6); // min is exact
    expect(h.quantile(1)).toBe(5); // and so is max
    expect(h.bucketCount(0)).toBe(1);
  });

  it('recordN counts n copies', () => {
    const a = new Histogram();
    const b = new Histogram();
    a.recordN(0.25, 3);
    for (let i = 0; i < 3; i++) b.record(0.25);
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('round-trips through JSON (sparse counts)', () => {
    const h = new Histogram();
    for (const x of [1e-5, 2e-3, 2e-3, 7]) h.record(x);
    const j = JSON.parse(JSON.stringify(h));
    expect(j.counts.length).toBe(3);
    const back = Histogram.fromJSON(j);
    expect(back.toJSON()).toEqual(h.toJSON());
    expect(back.quantile(0.5)).toBe(h.quantile(0.5));
    const empty = Histogram.fromJSON(JSON.parse(JSON.stringify(new Histogram())));
    expect(empty.count).toBe(0);
    expect(empty.min).toBe(Number.POSITIVE_INFINITY);
  });

  it('cdf() is monotone, ends at 1, and can be sampled at n points', () => {
    const h = new Histogram();
    const rng = new RandomStreams(3).stream('cdf');
    for (let i = 0; i < 1000; i++) h.record(generators.exponential!(rng));
    const c = h.cdf();
    for (let i = 1; i < c.length; i++) {
      expect(c[i]![0]).toBeGreaterThan(c[i - 1]![0]);
      expect(c[i]![1]).toBeGreaterThan(c[i - 1]![1]);
    }
    expect(c.at(-1)).toEqual([h.max, 1]);
    const p = h.cdf(5);
    expect(p.map(([, f]) => f)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(p[2]![0]).toBe(h.quantile(0.5));
  });

  it('reset empties it; an empty histogram has NaN quantiles and mean', () => {
    const h = new Histogram();
    h.record(1);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean).toBeNaN();
    expect(h.cdf()).toEqual([]);
  });

  it('validates options and q', () => {
    expect(() => new Histogram({ lowest: 0 })).toThrow(/lowest must be a finite number > 0, got 0/);
    expect(() => new Histogram({ lowest: 1, highest: 1 })).toThrow(/highest must be finite and > lowest/);
    expect(() => new Histogram({ precision: 0.7 })).toThrow(/precision must be in/);
    const h = new Histogram();
    h.record(1);
    expect(() => h.quantile(1.1)).toThrow(/q must be in \[0, 1\], got 1.1/);
  });
});
