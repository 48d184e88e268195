// TripleIndex numbers triples densely in order of first sight, as a Map of their string keys would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TripleIndex } from '../../sim/index.ts';

describe('TripleIndex', () => {
  it('numbers triples in order of first sight and finds them again, through rehashes', () => {
    const int = fc.integer({ min: -1, max: 2 ** 31 - 2 });
    const small = fc.integer({ min: -1, max: 5 });
    const triple = fc.oneof(fc.tuple(small, small, small), fc.tuple(int, int, int));
    fc.assert(
      fc.property(fc.array(triple, { maxLength: 300 }), (triples) => {
        const index = new TripleIndex(4);
        const model = new Map<string, number>();
        for (const [a, b, c] of triples) {
          const key = `${a},${b},${c}`;
          const expected = model.get(key) ?? model.size;
          model.set(key, expected);
          expect(index.intern(a, b, c)).toBe(expected);
        }
        expect(index.size).toBe(model.size);
        for (const [key, n] of model) {
          const [a, b, c] = key.split(',').map(Number) as [number, number, number];
          expect(index.get(a, b, c)).toBe(n);
        }
        expect(index.get(-1, -1, 2 ** 31 - 2)).toBe(model.get(`-1,-1,${2 ** 31 - 2}`) ?? -1);
      }),
      { numRuns: 200 },
    );
  });
});
