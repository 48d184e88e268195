// Whether and when a failed attempt is retried: Envoy's retry state machine under the call's policy
// (Istio's default per mesh.version, src/mesh/retry-policy.ts, unless the call names its own retryOn).
//   - Only an Envoy that routes the call over HTTP on the caller's side retries it (the caller's sidecar,
//     or the waypoint an ambient caller goes through): ztunnel and kube-proxy are L4 and retry nothing,
//     an application is not modelled as retrying, and Envoy's TCP proxy has no request retries.
//   - It retries only a failure further along its path: a retrier that died, or a failure before it (the
//     caller's ztunnel in front of a waypoint), leaves nobody to retry.
//   - What it sees decides: a connection refused or reset before the request was sent (connect-failure),
//     a reset after it was sent (only `reset`, `5xx`, `gateway-error` retry that; Istio's default does
//     not), or a 503 answered by another Envoy further along (retriable-status-codes [503] before 1.24;
//     `unavailable` for gRPC), or an error the called application answered (a 500: `5xx` only).
//     ASSUMPTION: a ztunnel between the retrier and the failure is transparent
//     (a refused or reset connection behind it is seen as the same failure of the tunnel).
//   - A 503 the retrier answers itself (no healthy upstream) is a local reply, never retried
//     (envoyproxy/envoy source/common/router/router.cc sendNoHealthyUpstreamResponse).
//   - A call's own timeout is not retried; an attempt's per-try timeout is a reset after the request was
//     sent (per-try-timeouts.ts), which Istio's default conditions do not retry either.
// envoyproxy/envoy source/common/router/retry_state_impl.cc (wouldRetryFromReset, wouldRetryFromHeaders);
// istio/istio pilot/pkg/networking/core/route/retry/retry.go (DefaultPolicy).
import type { RandomStreams } from '../../../sim/index.ts';
import { RetryBit } from '../../mesh/index.ts';
import type { Edge, World } from '../world/index.ts';
import { KeyedRng } from './keyed-random.ts';
import * as kinds from './kinds.ts';

/** What the retrier sees of a failure (RetryBit flags: one of them). */
export const BEFORE_SEND = RetryBit.BeforeSend;
export const AFTER_SEND = RetryBit.AfterSend;
export const STATUS_503 = RetryBit.Status503;
export const STATUS_500 = RetryBit.Status500;
const GRPC_503 = RetryBit.Grpc503;
const PER_ENDPOINT_POOL = kinds.PER_ENDPOINT_POOL;
const DST_POD = kinds.DST_POD;

export class Retries {
  /** Per route template: the step of the Envoy that retries its calls, -1 when none does. */
  readonly retrier: Int32Array;
  /** Keyed by the call (keyed-random.ts). */
  private readonly rng: KeyedRng;

  constructor(w: World, streams: RandomStreams) {
    // The Envoy that picks the endpoint per request on the caller's side is the one whose router retries.
    this.retrier = Int32Array.from(w.templates, (t) =>
      t.steps.findIndex((st) => st.upstream === PER_ENDPOINT_POOL && st.attach !== DST_POD),
    );
    this.rng = new KeyedRng(streams, 'retry-backoff');
  }

  /**
   * Whether a call over `edge` on route `tpl` that made `attempt` retries is retried after a failure at
   * step `at` (the number of steps: at the callee's pod), seen by its retrier as `seen`.
   */
  mayRetry(edge: Edge, attempt: number, tpl: number, at: number, seen: number): boolean {
    if (attempt >= edge.retries) return false;
    const r = this.retrier[tpl]!;
    if (r < 0 || at <= r) return false;
    // A gRPC call's 503 is grpc-status 14; its application's error is INTERNAL, retried by none of them.
    const bit = edge.grpc ? (seen === STATUS_503 ? GRPC_503 : seen === STATUS_500 ? 0 : seen) : seen;
    return (edge.retryOn & bit) !== 0;
  }

  /**
   * The wait before retry number `attempt` (1 for the first) of the call over `edge` with key `key`:
   * Envoy's back-off (config.route.v3.RetryPolicy.RetryBackOff, D) is uniform in [0, (2^N - 1) x base],
   * capped at max interval 10 x base; base is the call's retryBackoff (scenario/defaults.ts
   * DEFAULT_RETRY_BACKOFF, 25 ms, unless the route's retries.backoff sets it).
   * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
   */
  backoff(edge: Edge, attempt: number, key: number): number {
    const base = edge.retryBackoff;
    return this.rng.at(key, attempt).next() * Math.min(10 * base, (2 ** attempt - 1) * base);
  }
}
