import { describe, expect, it } from 'vitest';
import { Welford } from '../../../sim/index.ts';

describe('Welford', () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];
  it('gives count, mean, sample variance, sd, min, max', () => {
    const w = new Welford();
    for (const x of xs) w.add(x);
    expect(w.count).toBe(8);
    expect(w.mean).toBe(5);
    expect(w.variance).toBeCloseTo(32 / 7, 14);
    expect(w.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect([w.min, w.max]).toEqual([2, 9]);
  });
  it('merge equals adding everything to one', () => {
    const a = new Welford();
    const b = new Welford();
    const all = new Welford();
    xs.forEach((x, i) => {
      (i < 3 ? a : b).add(x);
      all.add(x);
    });
    a.merge(b);
    a.merge(new Welford());
    expect(a.count).toBe(all.count);
    expect(a.mean).toBeCloseTo(all.mean, 14);
    expect(a.variance).toBeCloseTo(all.variance, 13);
    expect([a.min, a.max]).toEqual([all.min, all.max]);
  });
  it('is stable for large offsets', () => {
    const w = new Welford();
    for (const x of [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]) w.add(x);
    expect(w.variance).toBeCloseTo(30, 6);
  });
  it('has variance 0 with fewer than two values', () => {
    const w = new Welford();
    expect(w.variance).toBe(0);
    w.add(3);
    expect(w.variance).toBe(0);
  });
});
