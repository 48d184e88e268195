import { describe, expect, it } from 'vitest';
import { TimeSeries } from '../../../sim/index.ts';

describe('TimeSeries', () => {
  it('sums values into bins and ignores values outside the range', () => {
    const ts = new TimeSeries(10, 1, 3);
    ts.add(10, 2);
    ts.add(10.999, 4);
    ts.add(12.5);
    ts.add(9.99, 100);
    ts.add(13, 100);
    expect([...ts.values]).toEqual([6, 0, 1]);
    expect([...ts.counts]).toEqual([2, 0, 1]);
    expect([...ts.means()]).toEqual([3, Number.NaN, 1]);
    expect(ts.time(2)).toBe(12);
    expect([...new TimeSeries(0, 0.5, 2).rates()]).toEqual([0, 0]);
  });
  it('rates are per unit time', () => {
    const ts = new TimeSeries(0, 0.5, 1);
    ts.add(0.1);
    ts.add(0.2);
    expect(ts.rates()[0]).toBe(4);
  });
  it('validates its shape', () => {
    expect(() => new TimeSeries(0, 0, 1)).toThrow(/step must be > 0/);
    expect(() => new TimeSeries(0, 1, 1.5)).toThrow(/length must be an integer/);
  });
});
