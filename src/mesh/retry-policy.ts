// Envoy's retry conditions (x-envoy-retry-on / RetryPolicy.retry_on) as bit flags, and the default policy
// istiod writes on every HTTP route, which follows the Istio version.
import type { RetryOn } from '../scenario/index.ts';
import { atLeast } from './version.ts';

/** The failures a retrier can see, as bits a policy retries. */
export const RetryBit = {
  /** The connection was refused or reset before the request was sent. */
  BeforeSend: 1,
  /** The stream was reset after the request was sent. */
  AfterSend: 2,
  /** An Envoy further along answered 503 (HTTP). */
  Status503: 4,
  /** The same 503 on a gRPC call: grpc-status 14 UNAVAILABLE. */
  Grpc503: 8,
  /**
   * The called application answered an error of its own because one of its calls failed: a 500
   * (ASSUMPTION: not a gateway error, as outlier detection counts it too; replication/outliers.ts), which
   * only `5xx` retries. A gRPC call's is grpc-status INTERNAL, which none of the modelled conditions does.
   */
  Status500: 16,
} as const;

/**
 * Which failures each condition retries. Only those the simulator can meet have an effect: a connection
 * refused or reset before the request was sent, a reset after it was sent, a 503 answered by an Envoy
 * further along (HTTP, or a gRPC call's grpc-status 14, since Envoy answers a gRPC request's 503 so).
 * refused-stream and cancelled are accepted; the simulator produces no refused stream or cancelled status.
 * After envoyproxy/envoy source/common/router/retry_state_impl.cc
 * (wouldRetryFromReset: reset, 5xx and gateway-error retry every reset; connect-failure only a connection
 * failure; reset-before-request only before the upstream request started; wouldRetryFromHeaders: 5xx and
 * gateway-error retry a 503, 5xx any 5xx such as an application's 500, retriable-status-codes the listed
 * codes, unavailable grpc-status 14).
 * `retriable-status-codes` here means the code list [503] (Istio's default list before 1.24).
 */
const BITS: Record<RetryOn, number> = {
  'connect-failure': RetryBit.BeforeSend,
  'reset-before-request': RetryBit.BeforeSend,
  reset: RetryBit.BeforeSend | RetryBit.AfterSend,
  '5xx':
    RetryBit.BeforeSend | RetryBit.AfterSend | RetryBit.Status503 | RetryBit.Grpc503 | RetryBit.Status500,
  'gateway-error': RetryBit.BeforeSend | RetryBit.AfterSend | RetryBit.Status503 | RetryBit.Grpc503,
  'retriable-status-codes': RetryBit.Status503 | RetryBit.Grpc503,
  'refused-stream': 0,
  unavailable: RetryBit.Grpc503,
  cancelled: 0,
};

/** The failures a list of conditions retries. */
export function retryBits(on: readonly RetryOn[]): number {
  let bits = 0;
  for (const c of on) bits |= BITS[c];
  return bits;
}

/**
 * Istio's default retry policy on a mesh version: retryOn "connect-failure,refused-stream,unavailable,
 * cancelled,retriable-status-codes", 2 retries (istio/istio pilot/pkg/networking/core/route/retry/retry.go,
 * DefaultPolicy, 1.22.0..1.28.0). Its retriable status codes were [503] until 1.24, which made
 * EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY default to true (pilot/pkg/features/pilot.go, 1.24.0;
 * releasenotes/notes/50506.yaml): from then on the list is empty and a 503 is not retried by default
 * (a gRPC call's grpc-status 14 still is, through `unavailable`). No `reset`: a reset after the request
 * was sent is never retried by default.
 */
export function defaultRetryOn(version: string): RetryOn[] {
  const on: RetryOn[] = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];
  if (!atLeast(version, '1.24')) on.push('retriable-status-codes');
  return on;
}
