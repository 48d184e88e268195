// Balancing: a per-connection pick is uniform; LEAST_REQUEST takes the less busy of two random picks, so
// with active counts [busy, idle] it lands on the idle one unless both draws hit the busy one (1/4).
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../sim/index.ts';
import { Balancing } from '../../../src/simulate/replication/balancing.ts';

describe('Balancing', () => {
  it('a single endpoint is always picked', () => {
    const b = new Balancing(3, new RandomStreams('b'));
    expect(b.leastRequest([2])).toBe(2);
    expect(b.perConnection([2])).toBe(2);
  });

  it('per connection: uniform over the endpoints', () => {
    const b = new Balancing(3, new RandomStreams('b'));
    const n = 30_000;
    const hits = [0, 0, 0];
    for (let i = 0; i < n; i++) hits[b.perConnection([0, 1, 2])]!++;
    // Binomial(n, 1/3): 5 standard deviations.
    const sd = Math.sqrt((n * 2) / 9);
    for (const h of hits) expect(Math.abs(h - n / 3)).toBeLessThan(5 * sd);
  });

  it('least request: the idle endpoint 3/4 of the time against a busy one', () => {
    const b = new Balancing(2, new RandomStreams('b'));
    b.active[0] = 5;
    const n = 20_000;
    let idle = 0;
    for (let i = 0; i < n; i++) if (b.leastRequest([0, 1]) === 1) idle++;
    const sd = Math.sqrt(n * 0.75 * 0.25);
    expect(Math.abs(idle - 0.75 * n)).toBeLessThan(5 * sd);
  });
});
