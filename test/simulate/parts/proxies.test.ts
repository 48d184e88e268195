// Proxies: FIFO over workers by the workload-vector recursion, CPU clipped to the measured window, the
// open-connection time integral. Hand calculations on a hand-built world.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../sim/index.ts';
import { Proxies } from '../../../src/simulate/replication/proxies.ts';
import { handWorld } from './hand-world.ts';

const build = (o = {}) => new Proxies(handWorld(o), new RandomStreams('p'));

describe('Proxies.take', () => {
  it('runs FIFO over its workers: the worker free soonest takes the request', () => {
    const px = build({ workers: 2, warmup: 0, duration: 100 });
    // Three requests of 1 s CPU at t = 0 on proxy 0 (2 workers): start at 0, 0 and 1.
    expect(px.take(0, 0, 1, 0)).toBe(0);
    expect(px.take(0, 0, 1, 0)).toBe(0);
    expect(px.take(0, 0, 1, 0)).toBe(1);
    // A fourth at t = 0.5 waits for the second worker (free at 1).
    expect(px.take(0, 0, 1, 0.5)).toBe(1);
    expect(px.requests[0]).toBe(4);
    expect(px.waitSum[0]).toBeCloseTo(1 + 0.5, 12);
    expect(px.waitMax[0]).toBe(1);
    expect(px.cpu[0]).toBe(4);
    // Other proxies are untouched.
    expect(px.requests[1]).toBe(0);
  });

  it('counts only the CPU inside the measured window, and requests started in it', () => {
    const px = build({ workers: 1, warmup: 1, duration: 3 });
    px.take(0, 0, 2, 0); // busy 0..2: 1 s inside [1, 3); started before the warm-up
    px.take(0, 0, 2, 0); // busy 2..4: 1 s inside
    expect(px.cpu[0]).toBe(2);
    expect(px.requests[0]).toBe(1);
    expect(px.waitSum[0]).toBe(2);
  });

  it('a throttled worker (speed below 1) holds the worker longer for the same CPU', () => {
    const px = build({ workers: 1, speed: 0.5, warmup: 0, duration: 100 });
    expect(px.take(0, 0, 1, 0)).toBe(0);
    // The first request holds the worker for 1 / 0.5 = 2 s.
    expect(px.take(0, 0, 1, 0)).toBe(2);
    expect(px.cpu[0]).toBe(2);
  });
});

describe('Proxies open connections', () => {
  it('integrates connections over time from the start of the measured window', () => {
    const px = build();
    px.changeOpen(1, 2, 0);
    px.startMeasuring(1);
    px.changeOpen(1, -1, 3); // 2 open from 1 to 3: 4 connection-seconds
    px.stopMeasuring(5); // 1 open from 3 to 5: 2 more
    expect(px.open[1]).toBe(1);
    expect(px.openArea[1]).toBe(6);
  });
});
