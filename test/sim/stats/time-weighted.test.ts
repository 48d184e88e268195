import { describe, expect, it } from 'vitest';
import { TimeWeighted } from '../../../sim/index.ts';

describe('TimeWeighted', () => {
  it('averages a step function exactly', () => {
    const tw = new TimeWeighted(0, 1);
    tw.set(2, 3); // 1 on [0,2]
    tw.add(3, -3); // 3 on [2,3], then 0
    expect(tw.value).toBe(0);
    expect(tw.mean(4)).toBeCloseTo((2 + 3) / 4, 15);
    expect(tw.integral(4)).toBe(5);
  });
  it('reset starts a new window keeping the value', () => {
    const tw = new TimeWeighted(0, 2);
    tw.set(5, 4);
    tw.reset(10);
    expect(tw.mean(10)).toBe(4);
    tw.set(12, 0);
    expect(tw.mean(14)).toBe(2);
  });
});
