// What a call and an entry point's requests share: their wire (protocol, sizes, connection) and the
// route's timeouts and retries, with the loader's defaults filled in (normalise/wire.ts).
import type { RetryOn } from './retry-on.ts';
import type { ConnectionSpec, Protocol } from './types.ts';

export interface Wire {
  protocol: Protocol;
  requestSize: number;
  responseSize: number;
  /** Needs L7 processing (routing, retries, authorization): in ambient, only honoured behind a waypoint. */
  l7: boolean;
  connection: ConnectionSpec;
  /** Per-call timeout in seconds (Infinity = none). */
  timeout: number;
  /**
   * Each attempt's timeout in seconds (Infinity = none): a VirtualService's retries.perTryTimeout, kept by
   * the Envoy that retries the call (replication/per-try-timeouts.ts).
   */
  perTryTimeout: number;
  /** Retries after the first attempt (Istio default 2). */
  retries: number;
  /** Envoy's retry back-off base interval in seconds (25 ms unless the route's retries.backoff sets it). */
  retryBackoff: number;
  /** Envoy retry conditions; null: Istio's default for mesh.version (src/mesh/retry-policy.ts). */
  retryOn: RetryOn[] | null;
}
