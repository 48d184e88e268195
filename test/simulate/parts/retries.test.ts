// Retries: Envoy's back-off is uniform in [0, (2^N - 1) x 25 ms], capped at 250 ms; only a caller-side
// L7 proxy retries, and no more than the edge allows.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../sim/index.ts';
import { EndpointKind } from '../../../src/mesh/index.ts';
import { RETRY_BASE, RETRY_MAX, Retries } from '../../../src/simulate/replication/retries.ts';
import { handWorld } from './hand-world.ts';

describe('Retries', () => {
  const w = handWorld({ retries: 2 });
  const edge = w.edges[0]!;

  it('back-off stays within Envoy bounds and reaches them', () => {
    const r = new Retries(w, new RandomStreams('r'));
    for (const [attempt, cap] of [
      [1, RETRY_BASE],
      [2, 3 * RETRY_BASE],
      [3, 7 * RETRY_BASE],
      [6, RETRY_MAX],
    ] as const) {
      let max = 0;
      for (let i = 0; i < 2000; i++) {
        const b = r.backoff(attempt);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(cap);
        max = Math.max(max, b);
      }
      expect(max).toBeGreaterThan(0.95 * cap);
    }
  });

  it('retries below the edge limit, only where the caller side balances per request (an L7 proxy)', () => {
    const r = new Retries(w, new RandomStreams('r'));
    expect(r.mayRetry(edge, 0, EndpointKind.Sidecar)).toBe(true);
    expect(r.mayRetry(edge, 1, EndpointKind.Sidecar)).toBe(true);
    expect(r.mayRetry(edge, 2, EndpointKind.Sidecar)).toBe(false);
    // The edge's service is bound to a waypoint, an L7 proxy: an ambient caller is retried there; a
    // caller outside the mesh is not captured and goes straight to the pods.
    expect(r.mayRetry(edge, 0, EndpointKind.Captured)).toBe(true);
    expect(r.mayRetry(edge, 0, EndpointKind.Plain)).toBe(false);
    const noWaypoint = { ...edge, waypointPods: new Int32Array(0) };
    expect(r.mayRetry(noWaypoint, 0, EndpointKind.Plain)).toBe(false);
    expect(r.mayRetry(noWaypoint, 0, EndpointKind.Captured)).toBe(false);
  });
});
