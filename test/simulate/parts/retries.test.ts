// Retries: Envoy's back-off is uniform in [0, (2^N - 1) x 25 ms], capped at 250 ms; only a caller-side
// Envoy routing HTTP retries, only failures past it, only those its policy names (Istio's default per
// version: connect-failure yes, reset after send no, 503 only before 1.24), no more than the edge allows.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../sim/index.ts';
import {
  defaultRetryOn,
  EndpointKind,
  ProtocolClass,
  retryBits,
  templateIndex,
} from '../../../src/mesh/index.ts';
import { DEFAULT_RETRY_BACKOFF as RETRY_BASE } from '../../../src/scenario/index.ts';
import { AFTER_SEND, BEFORE_SEND, Retries, STATUS_503 } from '../../../src/simulate/replication/retries.ts';
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
      [6, 10 * RETRY_BASE],
    ] as const) {
      let max = 0;
      for (let i = 0; i < 2000; i++) {
        const b = r.backoff(edge, attempt, i);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(cap);
        max = Math.max(max, b);
      }
      expect(max).toBeGreaterThan(0.95 * cap);
    }
  });

  it("a route's retries.backoff scales every bound", () => {
    const r = new Retries(w, new RandomStreams('r'));
    const slow = { ...edge, retryBackoff: 0.1 };
    for (let i = 0; i < 200; i++) {
      expect(r.backoff(slow, 1, i)).toBeCloseTo(4 * r.backoff(edge, 1, i), 12);
      expect(r.backoff(slow, 6, i)).toBeLessThanOrEqual(1);
    }
  });

  // Route templates of the hand world's edge (HTTP/1.1, callee bound to a waypoint).
  const H = ProtocolClass.Http1;
  const sidecarToSidecar = templateIndex(EndpointKind.Sidecar, EndpointKind.Sidecar, true, H);
  const ambientViaWaypoint = templateIndex(EndpointKind.Captured, EndpointKind.Captured, true, H);
  const plainToSidecar = templateIndex(EndpointKind.Plain, EndpointKind.Sidecar, true, H);
  const sidecarToAmbient = templateIndex(EndpointKind.Sidecar, EndpointKind.Captured, true, H);
  const tcpSidecars = templateIndex(EndpointKind.Sidecar, EndpointKind.Sidecar, false, ProtocolClass.Tcp);

  it('the retrier is the caller-side Envoy that routes HTTP: sidecar at step 0, waypoint at step 1', () => {
    const r = new Retries(w, new RandomStreams('r'));
    expect(r.retrier[sidecarToSidecar]).toBe(0);
    expect(r.retrier[sidecarToAmbient]).toBe(0);
    // app -> ztunnel -> waypoint -> ztunnel -> app: the waypoint retries; ztunnel does not.
    expect(r.retrier[ambientViaWaypoint]).toBe(1);
    // Nobody: a client outside the mesh calling a sidecar pod, and raw TCP through sidecars.
    expect(r.retrier[plainToSidecar]).toBe(-1);
    expect(r.retrier[tcpSidecars]).toBe(-1);
  });

  it("Istio's default policy (1.28): connect failures after the retrier, below the limit; no reset after send, no 503", () => {
    const r = new Retries(w, new RandomStreams('r'));
    const n = w.templates[sidecarToSidecar]!.steps.length;
    expect(r.mayRetry(edge, 0, sidecarToSidecar, 1, BEFORE_SEND)).toBe(true);
    expect(r.mayRetry(edge, 1, sidecarToSidecar, n, BEFORE_SEND)).toBe(true);
    expect(r.mayRetry(edge, 2, sidecarToSidecar, n, BEFORE_SEND)).toBe(false);
    // A reset after the request was sent: not under connect-failure, refused-stream, unavailable,
    // cancelled, retriable-status-codes.
    expect(r.mayRetry(edge, 0, sidecarToSidecar, n, AFTER_SEND)).toBe(false);
    // From 1.24 the default retriable status codes are empty: a relayed 503 is not retried.
    expect(r.mayRetry(edge, 0, sidecarToSidecar, n, STATUS_503)).toBe(false);
    // The retrier itself died (step 0), or the failure was in front of the waypoint (its ztunnel).
    expect(r.mayRetry(edge, 0, sidecarToSidecar, 0, BEFORE_SEND)).toBe(false);
    expect(r.mayRetry(edge, 0, ambientViaWaypoint, 0, BEFORE_SEND)).toBe(false);
    expect(r.mayRetry(edge, 0, ambientViaWaypoint, 1, BEFORE_SEND)).toBe(false);
    expect(r.mayRetry(edge, 0, ambientViaWaypoint, 2, BEFORE_SEND)).toBe(true);
    // No Envoy on the caller's side: nobody retries.
    expect(r.mayRetry(edge, 0, plainToSidecar, 1, BEFORE_SEND)).toBe(false);
    expect(r.mayRetry(edge, 0, tcpSidecars, 1, BEFORE_SEND)).toBe(false);
  });

  it('before 1.24 the default retries a relayed 503; gRPC retries it as UNAVAILABLE in every version', () => {
    const r = new Retries(w, new RandomStreams('r'));
    const n = w.templates[sidecarToSidecar]!.steps.length;
    const old = { ...edge, retryOn: retryBits(defaultRetryOn('1.23')) };
    expect(r.mayRetry(old, 0, sidecarToSidecar, n, STATUS_503)).toBe(true);
    expect(r.mayRetry(old, 0, sidecarToSidecar, n, AFTER_SEND)).toBe(false);
    const grpc = { ...edge, grpc: true };
    expect(r.mayRetry(grpc, 0, sidecarToSidecar, n, STATUS_503)).toBe(true);
  });

  it('a call may name its own conditions: reset retries after send, reset-before-request only before', () => {
    const r = new Retries(w, new RandomStreams('r'));
    const n = w.templates[sidecarToSidecar]!.steps.length;
    const reset = { ...edge, retryOn: retryBits(['reset']) };
    expect(r.mayRetry(reset, 0, sidecarToSidecar, n, AFTER_SEND)).toBe(true);
    const before = { ...edge, retryOn: retryBits(['reset-before-request']) };
    expect(r.mayRetry(before, 0, sidecarToSidecar, n, AFTER_SEND)).toBe(false);
    expect(r.mayRetry(before, 0, sidecarToSidecar, n, BEFORE_SEND)).toBe(true);
    const none = { ...edge, retryOn: retryBits([]) };
    expect(r.mayRetry(none, 0, sidecarToSidecar, n, BEFORE_SEND)).toBe(false);
  });
});
