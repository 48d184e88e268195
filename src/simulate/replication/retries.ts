// Whether and when a failed attempt is retried. Istio's default retry policy retries connect-failure,
// refused-stream, unavailable and 503 (which Envoy returns for a reset before the response); only an
// Envoy on the caller's side (sidecar or waypoint) retries, so a pure L4 path has nobody to retry and the
// failure reaches the application. Timeouts are not retried (no per-try timeout by default).
// https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
import type { RandomStreams, Rng } from '../../../sim/index.ts';
import { type Edge, lbPerRequest, type World } from '../world/index.ts';

/**
 * Envoy's retry back-off (config.route.v3.RetryPolicy, D): base interval 25 ms, max interval 10x base;
 * retry N waits a uniform random time in [0, (2^N - 1) x base], capped at the max interval.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
export const RETRY_BASE = 0.025;
export const RETRY_MAX = 10 * RETRY_BASE;

export class Retries {
  private readonly w: World;
  private readonly rng: Rng;

  constructor(w: World, streams: RandomStreams) {
    this.w = w;
    this.rng = streams.stream('retry-backoff');
  }

  /** Whether a call over `edge` from a pod of kind `srcKind` that made `attempt` retries may retry. */
  mayRetry(edge: Edge, attempt: number, srcKind: number): boolean {
    return attempt < edge.retries && lbPerRequest(this.w, edge, srcKind);
  }

  /** The wait before retry number `attempt` (1 for the first). */
  backoff(attempt: number): number {
    return this.rng.next() * Math.min(RETRY_MAX, (2 ** attempt - 1) * RETRY_BASE);
  }
}
