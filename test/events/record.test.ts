// The disruption record of one event, driven by hand through a minimal host.
import { describe, expect, it } from 'vitest';
import type { DisruptionHost } from '../../src/events/index.ts';
import { Tracker } from '../../src/events/record.ts';

/** Just what a Tracker reads: the clock, the counters, readiness listeners and latency windows. */
function fakeHost(): DisruptionHost & { now: number } {
  const counters = {
    connectionsReset: 0,
    connectionsDrained: 0,
    pooledConnectionsReset: 0,
    requestsFailed: 0,
    requestsRetried: 0,
    podsRestarted: 0,
    resetsByService: {},
  };
  return {
    now: 0,
    readinessListeners: [],
    counters: () => ({ ...counters }),
    p99Between: () => null,
    readyCount: () => 0,
  } as unknown as DisruptionHost & { now: number };
}

describe('Tracker', () => {
  it('counts two pods that start waiting at the same instant as two (pending time keyed by pod)', () => {
    const host = fakeHost();
    const t = new Tracker(host, 'upgrade', 'upgrade', '');
    host.now = 10;
    const firstPlaced = t.pendingStart(3);
    t.pendingStart(4);
    host.now = 20;
    firstPlaced();
    const rec = t.close(100, 0);
    // Pod 3 waited 10 s (10 -> 20); pod 4 still waits at the end of the run: 90 s (10 -> 100).
    expect(rec.surge.pendingSeconds).toBe(100);
    expect(rec.surge.pendingPods).toBe(2);
  });
});
