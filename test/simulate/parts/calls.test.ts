// The call table: ids are handed out lowest first and recycled, a new attempt clears what the last one
// held, and growing keeps every field of the calls in flight.
import { describe, expect, it } from 'vitest';
import { CallTable } from '../../../src/simulate/calls.ts';
import { ON_THE_WAY_IN } from '../../../src/simulate/replication/kinds.ts';

describe('CallTable', () => {
  it('hands out ids lowest first and recycles released ones', () => {
    const k = new CallTable(4);
    expect([k.alloc(), k.alloc(), k.alloc()]).toEqual([0, 1, 2]);
    k.release(1);
    expect(k.alloc()).toBe(1);
    expect(k.live).toBe(3);
    expect(Array.from(k.inUse)).toEqual([1, 1, 1, 0]);
  });

  it('begins a call and clears an attempt', () => {
    const k = new CallTable(2);
    const id = k.begin(3, -1, 7, 1.5, true);
    expect([k.edge[id], k.parent[id], k.src[id], k.start[id], k.measured[id], k.timer[id]]).toEqual([
      3, -1, 7, 1.5, 1, -1,
    ]);
    k.phase[id] = 2;
    k.doomed[id] = 1;
    k.fresh[id] = 5;
    k.pool[id] = 9;
    k.dst[id] = 4;
    k.net[id] = 0.1;
    k.newAttempt(id);
    expect([k.phase[id], k.doomed[id], k.fresh[id], k.pool[id], k.pool2[id], k.dst[id], k.net[id]]).toEqual([
      ON_THE_WAY_IN,
      0,
      0,
      -1,
      -1,
      -1,
      0,
    ]);
  });

  it('grows by doubling and keeps the calls in flight', () => {
    const k = new CallTable(2);
    const ids = Array.from({ length: 9 }, (_, i) => k.begin(i, -1, i, i, false));
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(k.capacity).toBe(16);
    expect(ids.map((id) => k.edge[id])).toEqual(ids);
    expect(k.live).toBe(9);
  });
});
