// Upstream pools: HBONE streams share pooled connections up to streamsPerConnection; Envoy's HTTP/1.1
// pool opens a connection per request in flight, HTTP/2 one per endpoint; resets count what was open.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HANDSHAKE,
  NEW_CONNECTION,
  REPLACES,
  UpstreamPools,
} from '../../../src/simulate/replication/upstream-pools.ts';

describe('UpstreamPools', () => {
  it('HBONE: a new downstream connection is a new stream; a pooled connection per streamsPerConnection streams', () => {
    const p = new UpstreamPools();
    const pair = p.pair(3, 5, 1, 2);
    expect(p.stream(pair, false, 2, true)).toBe(0);
    expect(p.stream(pair, true, 2, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    expect(p.stream(pair, true, 2, true)).toBe(NEW_CONNECTION);
    expect(p.stream(pair, true, 2, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    expect([p.openOf(pair), p.activeOf(pair)]).toEqual([2, 3]);
    p.streamClosed(3, 5, 1, 2);
    expect(p.activeOf(pair)).toBe(2);
  });

  it('Envoy: HTTP/1.1 needs a connection per request in flight, HTTP/2 one per endpoint', () => {
    const p = new UpstreamPools();
    const h1 = p.pair(0, 1, -1, 1);
    const h2 = p.pair(0, 2, -1, 2);
    expect(p.request(h1, false, true, 0)).toBe(NEW_CONNECTION | HANDSHAKE);
    expect(p.request(h1, false, true, 0)).toBe(NEW_CONNECTION | HANDSHAKE);
    p.requestDone(h1);
    expect(p.request(h1, false, false, 0)).toBe(0); // a pooled connection is free again
    expect(p.request(h2, true, false, 0)).toBe(NEW_CONNECTION);
    expect(p.request(h2, true, false, 0)).toBe(0);
    p.requestDone(-1); // no pair: nothing
    expect(p.reset((o, t, peer) => o === 0 && t === 1 && peer === 1)).toBe(2);
    expect(p.openOf(h1)).toBe(0);
    expect(p.openOf(h2)).toBe(1);
  });

  it('maxRequestsPerConnection: one request in N takes a new connection in place of a closed one', () => {
    const p = new UpstreamPools();
    p.limitRequests();
    const h2 = p.pair(0, 2, -1, 2);
    const flags: number[] = [];
    for (let i = 0; i < 7; i++) {
      flags.push(p.request(h2, true, true, 3));
      p.requestDone(h2);
    }
    const fresh = NEW_CONNECTION | HANDSHAKE;
    expect(flags).toEqual([fresh, 0, 0, fresh | REPLACES, 0, 0, fresh | REPLACES]);
    expect(p.openOf(h2)).toBe(1);
    // 1: no keep-alive, every request on a new connection (each with its handshake).
    const h1 = p.pair(0, 1, -1, 1);
    for (let i = 0; i < 4; i++) {
      expect(p.request(h1, false, true, 1) & NEW_CONNECTION).toBe(NEW_CONNECTION);
      p.requestDone(h1);
    }
    // HTTP/1.1 with requests overlapping: the pool grows to the requests in flight, and the rate of new
    // connections stays one in N over many requests.
    const h = p.pair(1, 1, -1, 1);
    let opened = 0;
    const n = 10;
    for (let i = 0; i < 1000; i++) {
      if (p.request(h, false, false, n) & NEW_CONNECTION) opened++;
      if (i % 3 === 2) for (let j = 0; j < 3; j++) p.requestDone(h);
    }
    expect(p.openOf(h)).toBe(3);
    expect(opened).toBe(100);
  });

  it('HTTP/2 with max_concurrent_streams: another connection per that many requests in flight', () => {
    const p = new UpstreamPools();
    const h2 = p.pair(0, 2, -1, 2);
    const opened = [1, 2, 3, 4, 5].map(() => p.request(h2, true, false, 0, 2) & NEW_CONNECTION);
    expect(opened).toEqual([NEW_CONNECTION, 0, NEW_CONNECTION, 0, NEW_CONNECTION]);
    expect(p.openOf(h2)).toBe(3);
  });

  it('ztunnel keys a pool by source and destination pod (pool.rs WorkloadKey), not by node pair', () => {
    const p = new UpstreamPools();
    // One ztunnel (proxy 3) to one ztunnel (proxy 5): two source pods x two destination pods.
    const pools = [p.pair(3, 5, 0, 6), p.pair(3, 5, 0, 7), p.pair(3, 5, 1, 6), p.pair(3, 5, 1, 7)];
    expect(new Set(pools).size).toBe(4);
    // Each opens its own connection, with its own handshake.
    for (const pool of pools) expect(p.stream(pool, true, 100, true)).toBe(NEW_CONNECTION | HANDSHAKE);
    // An Envoy (no source key) shares its pool to a host among its downstreams.
    expect(p.pair(0, 5, -1, 6)).toBe(p.pair(0, 5, -1, 6));
    expect(p.reset((_o, _t, peer) => peer === 6)).toBe(2);
  });

  it('idleTimeout: a pool idle that long has its connections closed; the next request opens one', () => {
    const p = new UpstreamPools();
    p.limitIdle();
    const h = p.pair(0, 1, -1, 1);
    const fresh = NEW_CONNECTION | HANDSHAKE;
    const T = 0.1;
    // Two in flight at 0: two connections; both done by 0.02.
    expect(p.request(h, false, true, 0, 0, T, 0)).toBe(fresh);
    expect(p.request(h, false, true, 0, 0, T, 0)).toBe(fresh);
    p.requestDone(h, 0.01);
    p.requestDone(h, 0.02);
    // Idle 0.09 s: kept.
    expect(p.request(h, false, true, 0, 0, T, 0.11)).toBe(0);
    expect(p.closedIdle).toBe(0);
    p.requestDone(h, 0.12);
    // Idle 0.1 s: both closed, a new one for this request.
    expect(p.request(h, false, true, 0, 0, T, 0.22)).toBe(fresh);
    expect(p.closedIdle).toBe(2);
    expect(p.openOf(h)).toBe(1);
    // A request in flight keeps the pool open however long it lasts.
    expect(p.request(h, false, true, 0, 0, T, 5)).toBe(fresh);
    expect(p.closedIdle).toBe(0);
  });

  it('maxConnectionDuration: a connection reaching it is replaced at the next request, one per age / open', () => {
    const p = new UpstreamPools();
    p.limitAge();
    const h = p.pair(0, 1, -1, 1);
    const fresh = NEW_CONNECTION | HANDSHAKE;
    expect(p.request(h, false, true, 0, 0, 0, 0, 1)).toBe(fresh);
    p.requestDone(h, 0);
    expect(p.request(h, false, true, 0, 0, 0, 0.9, 1)).toBe(0);
    p.requestDone(h, 0.9);
    expect(p.request(h, false, true, 0, 0, 0, 1.2, 1)).toBe(fresh | REPLACES);
    p.requestDone(h, 1.2);
    expect(p.openOf(h)).toBe(1);
    // Next due at 2.2. Two in flight at 2.0 open a second connection; with two, one renews every 0.5 s.
    expect(p.request(h, false, true, 0, 0, 0, 2.0, 1)).toBe(0);
    expect(p.request(h, false, true, 0, 0, 0, 2.0, 1)).toBe(fresh);
    p.requestDone(h, 2.1);
    p.requestDone(h, 2.1);
    expect(p.request(h, false, true, 0, 0, 0, 2.3, 1)).toBe(fresh | REPLACES);
    p.requestDone(h, 2.3);
    expect(p.request(h, false, true, 0, 0, 0, 2.7, 1)).toBe(0);
    p.requestDone(h, 2.7);
    expect(p.request(h, false, true, 0, 0, 0, 2.8, 1)).toBe(fresh | REPLACES);
    expect(p.openOf(h)).toBe(2);
  });

  it('pools are stable and grow past their initial capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(40), fc.integer({ min: -1, max: 9 }), fc.nat(9)), {
          minLength: 1,
          maxLength: 600,
        }),
        (keys) => {
          const p = new UpstreamPools();
          // The terminator follows from the far end (here: a function of the key).
          const term = (o: number, peer: number) => (o + peer) % 41;
          const ids = keys.map(([o, src, peer]) => p.pair(o, term(o, peer), src, peer));
          keys.forEach(([o, src, peer], i) => {
            const t = term(o, peer);
            expect(p.pair(o, t, src, peer)).toBe(ids[i]);
            expect([p.originatorOf(ids[i]!), p.terminatorOf(ids[i]!), p.peerOf(ids[i]!)]).toEqual([
              o,
              t,
              peer,
            ]);
          });
          expect(p.size).toBe(new Set(keys.map(([o, src, peer]) => `${o}/${src}/${peer}`)).size);
        },
      ),
      { numRuns: 30 },
    );
  });
});
