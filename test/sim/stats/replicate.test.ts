import { describe, expect, it } from 'vitest';
import { deriveSeed, replicate } from '../../../sim/index.ts';

describe('replicate', () => {
  it("gives replication i the seed deriveSeed(master, 'replication', i)", () => {
    const seeds = replicate(99, 3, (seed, i) => [seed, i] as const);
    expect(seeds).toEqual([0, 1, 2].map((i) => [deriveSeed(99, 'replication', i), i]));
    expect(new Set(seeds.map(([s]) => s)).size).toBe(3);
  });
  it('rejects n < 1', () => {
    expect(() => replicate(1, 0, () => 0)).toThrow(/n must be an integer >= 1/);
  });
});
