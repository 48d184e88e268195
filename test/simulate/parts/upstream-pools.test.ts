// Upstream pools: HBONE streams share pooled connections up to streamsPerConnection; Envoy's HTTP/1.1
// pool opens a connection per request in flight, HTTP/2 one per endpoint; resets count what was open.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HANDSHAKE,
  NEW_CONNECTION,
  UpstreamPools,
} from '../../../src/simulate/replication/upstream-pools.ts';

describe('UpstreamPools', () => {
  it('HBONE: a new downstream connection is a new stream; a pooled connection per streamsPerConnection streams', () => {
    const p = new UpstreamPools(10);
    const pair = p.pair(3, 5);
    expect(p.stream(pair, false, 2, true)).toBe(0);
    expect(p.stream(pair, true, 2, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    expect(p.stream(pair, true, 2, true)).toBe(NEW_CONNECTION);
    expect(p.stream(pair, true, 2, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    expect([p.open[pair], p.active[pair]]).toEqual([2, 3]);
    p.streamClosed(3, 5);
    expect(p.active[pair]).toBe(2);
  });

  it('Envoy: HTTP/1.1 needs a connection per request in flight, HTTP/2 one per endpoint', () => {
    const p = new UpstreamPools(10);
    const h1 = p.pair(0, 1);
    const h2 = p.pair(0, 2);
    expect(p.request(h1, false, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    expect(p.request(h1, false, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    p.requestDone(h1);
    expect(p.request(h1, false, false)).toBe(0); // a pooled connection is free again
    expect(p.request(h2, true, false)).toBe(NEW_CONNECTION);
    expect(p.request(h2, true, false)).toBe(0);
    p.requestDone(-1); // no pair: nothing
    expect(p.reset((o, t) => o === 0 && t === 1)).toBe(2);
    expect(p.open[h1]).toBe(0);
    expect(p.open[h2]).toBe(1);
  });

  it('pairs are stable and grow past their initial capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { minLength: 1, maxLength: 600 }), (pairs) => {
        const p = new UpstreamPools(41);
        const ids = pairs.map(([o, t]) => p.pair(o, t));
        pairs.forEach(([o, t], i) => {
          expect(p.pair(o, t)).toBe(ids[i]);
          expect([p.originator[ids[i]!], p.terminator[ids[i]!]]).toEqual([o, t]);
        });
        expect(p.size).toBe(new Set(pairs.map(([o, t]) => o * 41 + t)).size);
      }),
      { numRuns: 30 },
    );
  });
});
