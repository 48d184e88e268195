// Arrivals and applications: round robin over load generators, the arrival gaps, the service time and
// how many calls a request makes (a fractional count is an integer plus a Bernoulli draw).
import { describe, expect, it } from 'vitest';
import { Calendar, RandomStreams } from '../../../sim/index.ts';
import { Applications } from '../../../src/simulate/replication/applications.ts';
import { Arrivals } from '../../../src/simulate/replication/arrivals.ts';
import { handWorld } from './hand-world.ts';

describe('Arrivals', () => {
  it('sends each entry request from its clients in turn; -1 when none runs', () => {
    const w = handWorld();
    w.entryClients = [Int32Array.of(7, 8)];
    const a = new Arrivals(w, new RandomStreams('a'));
    expect([a.client(0), a.client(0), a.client(0)]).toEqual([7, 8, 7]);
    expect(a.gapAfter(0, 0.25)).toBeCloseTo(0.05, 12);
    w.entryClients = [new Int32Array(0)];
    expect(new Arrivals(w, new RandomStreams('a')).client(0)).toBe(-1);
  });
});

describe('Applications', () => {
  it('gives application pods a worker queue of their concurrency, others none', () => {
    const apps = new Applications(handWorld(), new Calendar(), new RandomStreams('x'), () => {});
    expect([0, 1, 2, 3, 4].map((pod) => apps.queues.servers(pod))).toEqual([0, 1, 1, 0, 0]);
    expect(apps.serviceTime(1, 7, 0)).toBe(0.002);
  });

  it('draws an integer count exactly, and a fractional one with the right mean', () => {
    const w = handWorld({ count: 2 });
    // The scratch for a parallel group is sized by the longest call list of a behaviour (a service's
    // own, a version's or a route's).
    w.behaviours[0]!.edgeList = [w.edges[0]!, w.edges[0]!];
    const apps = new Applications(w, new Calendar(), new RandomStreams('x'), () => {});
    expect(apps.drawCount(2, w.edges[0]!.id, 7, 0)).toBe(2);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      // A fresh call key each time: independent draws.
      const c = apps.drawCount(1.25, w.edges[0]!.id, i, 0);
      expect(apps.drawCount(1.25, w.edges[0]!.id, i, 0)).toBe(c); // the same call draws the same count
      expect(c === 1 || c === 2).toBe(true);
      sum += c;
    }
    const sd = Math.sqrt(n * 0.25 * 0.75);
    expect(Math.abs(sum - 1.25 * n)).toBeLessThan(5 * sd);
    // behaviour 0's two calls are entries 0 and 1 of the packed table
    expect(apps.drawCounts(0, 2, 7, 0)).toBe(4);
    expect([apps.counts[0], apps.counts[1]]).toEqual([2, 2]);
  });
});
