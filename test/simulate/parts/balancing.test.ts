// Balancing: a per-connection pick is uniform; LEAST_REQUEST takes the less busy of two random picks
// (with replacement, strict <, the first drawn wins ties), from the picking Envoy's own counts: with
// [busy, idle] it lands on the idle one unless both draws hit the busy one (1/4); another Envoy's busy
// requests do not count (least_request_lb.cc, rq_active_ per Envoy).
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../sim/index.ts';
import { Balancing } from '../../../src/simulate/replication/balancing.ts';
import { handWorld } from './hand-world.ts';

// Hand world: service 0 `shop/api` has pods 1 and 2; web-0's sidecar is proxy 0, the waypoint proxy 4.
const w = handWorld();
const API = 0;
const rng = new RandomStreams('b').stream('draws');

describe('Balancing', () => {
  it('a single endpoint is always picked', () => {
    const b = new Balancing(w, new RandomStreams('b'));
    expect(b.pick([2], b.block(0, API), 1, 0)).toBe(2);
    expect(b.perConnection([2], rng)).toBe(2);
  });

  it('per connection: uniform over the endpoints', () => {
    const b = new Balancing(w, new RandomStreams('b'));
    const n = 30_000;
    const hits = [0, 0, 0];
    for (let i = 0; i < n; i++) hits[b.perConnection([0, 1, 2], b.endpointPick.at(i))]!++;
    // Binomial(n, 1/3): 5 standard deviations.
    const sd = Math.sqrt((n * 2) / 9);
    for (const h of hits) expect(Math.abs(h - n / 3)).toBeLessThan(5 * sd);
  });

  it("least request: the idle endpoint 3/4 of the time against one busy in the Envoy's own view", () => {
    const b = new Balancing(w, new RandomStreams('b'));
    const sidecar = b.block(0, API);
    b.active[sidecar + b.position[1]!] = 5;
    const n = 20_000;
    let idle = 0;
    for (let i = 0; i < n; i++) if (b.leastRequest([1, 2], sidecar, rng) === 2) idle++;
    const sd = Math.sqrt(n * 0.75 * 0.25);
    expect(Math.abs(idle - 0.75 * n)).toBeLessThan(5 * sd);
  });

  it("another Envoy's active requests do not count: ties, and the first drawn wins them (1/2)", () => {
    const b = new Balancing(w, new RandomStreams('b'));
    const waypoint = b.block(4, API);
    const sidecar = b.block(0, API);
    expect(waypoint).not.toBe(sidecar);
    // The waypoint has 5 requests on pod 1; the sidecar has none anywhere.
    b.active[waypoint + b.position[1]!] = 5;
    const n = 20_000;
    let one = 0;
    for (let i = 0; i < n; i++) if (b.leastRequest([1, 2], sidecar, rng) === 1) one++;
    const sd = Math.sqrt(n * 0.25);
    expect(Math.abs(one - 0.5 * n)).toBeLessThan(5 * sd);
  });

  it('per connection from a node: still uniform; the draw ranks endpoints nearest first', () => {
    const b = new Balancing(w, new RandomStreams('b'));
    // From node 2 (zone b), pod 2 (node 2) is nearer than pod 1 (node 1, zone a), whatever the list order.
    expect(b.perConnection([1, 2], { next: () => 0.1 }, 2)).toBe(2);
    expect(b.perConnection([1, 2], { next: () => 0.9 }, 2)).toBe(1);
    expect(b.perConnection([2, 1], { next: () => 0.1 }, 1)).toBe(1);
    const n = 20_000;
    let near = 0;
    for (let i = 0; i < n; i++) if (b.perConnection([1, 2], b.endpointPick.at(i), 2) === 2) near++;
    expect(Math.abs(near - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
  });

  it('the same call and attempt make the same pick (common random numbers), another call its own', () => {
    const b = new Balancing(w, new RandomStreams('b'));
    const c = new Balancing(w, new RandomStreams('b'));
    const pods = [1, 2];
    const picks = (x: Balancing) =>
      Array.from({ length: 64 }, (_, key) => x.perConnection(pods, x.endpointPick.at(key)));
    // Drawing other decisions in between changes nothing.
    c.perConnection(pods, c.waypointPick.at(5));
    expect(picks(c)).toEqual(picks(b));
    expect(new Set(picks(b)).size).toBe(2);
  });

  it('a retry avoids the hosts already tried (previous_hosts), re-picking up to 5 more times', () => {
    const b = new Balancing(w, new RandomStreams('b'));
    const n = 6400;
    let again = 0;
    let first = 0;
    for (let key = 0; key < n; key++) {
      const d = b.pick([1, 2], b.block(0, API), key, 1, 1);
      if (d === 1) again++;
      b.done(b.picked, d);
      const e = b.pick([1, 2], b.block(0, API), key, 0);
      if (e === 1) first++;
      b.done(b.picked, e);
    }
    // Counts tie at 0, so each pick is pod 1 with probability 1/2: back on the tried host only after
    // six picks in a row land there (1/64); without a tried host, half the time.
    const p = 1 / 64;
    expect(Math.abs(again - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    expect(Math.abs(first - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
  });

  it('counts a request on its Envoy and releases it', () => {
    const b = new Balancing(w, new RandomStreams('b'));
    // Kept where some service has a circuit breaker (circuit-breakers.ts turns it on).
    b.trackRequests();
    const block = b.block(0, API);
    const dst = b.pick([1, 2], block, 1, 0);
    const slot = b.picked;
    expect(slot).toBe(block + b.position[dst]!);
    expect(b.active[slot]).toBe(1);
    expect(b.active.reduce((a, x) => a + x, 0)).toBe(1);
    // The Envoy's outstanding requests to the cluster, which its max_requests limits.
    const other = b.pick([1, 2], block, 2, 0);
    const slot2 = b.picked;
    expect(b.requests[block]).toBe(2);
    b.done(slot2, other);
    expect(b.requests[block]).toBe(1);
    b.done(slot, dst);
    b.done(-1, -1);
    expect(b.active.every((x) => x === 0)).toBe(true);
    expect(b.requests.every((x) => x === 0)).toBe(true);
  });
});
