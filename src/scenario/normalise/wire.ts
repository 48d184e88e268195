// Defaults shared by calls and entry points.
import {
  DEFAULT_BODY,
  DEFAULT_KEEPALIVE_POOL,
  DEFAULT_LONG_LIVED_LIFETIME,
  DEFAULT_LONG_LIVED_POOL,
} from '../assumptions.ts';
import { DEFAULT_RETRIES, DEFAULT_RETRY_BACKOFF } from '../defaults.ts';
import type { RetryOn } from '../retry-on.ts';
import type { RawConnection } from '../schema/connection.ts';
import type { ConnectionSpec, Protocol } from '../types.ts';

export interface RawWire {
  protocol: Protocol;
  requestSize?: number | undefined;
  responseSize?: number | undefined;
  l7: boolean;
  connection?: RawConnection | undefined;
  timeout?: number | undefined;
  perTryTimeout?: number | undefined;
  retryBackoff?: number | undefined;
  retries?: number | undefined;
  retryOn?: RetryOn[] | undefined;
}

export function normaliseConnection(raw: RawConnection | undefined): ConnectionSpec {
  const type = raw?.type ?? 'keepalive';
  if (type === 'long-lived') {
    return {
      type,
      poolSize: raw?.poolSize ?? DEFAULT_LONG_LIVED_POOL,
      lifetime: structuredClone(raw?.lifetime ?? DEFAULT_LONG_LIVED_LIFETIME),
    };
  }
  // per-request keeps no pool: 0 says so (every request opens its own connection).
  if (type === 'per-request') return { type, poolSize: 0 };
  return { type, poolSize: raw?.poolSize ?? DEFAULT_KEEPALIVE_POOL };
}

export function normaliseWire(raw: RawWire) {
  return {
    protocol: raw.protocol,
    requestSize: raw.requestSize ?? DEFAULT_BODY,
    responseSize: raw.responseSize ?? DEFAULT_BODY,
    l7: raw.l7,
    connection: normaliseConnection(raw.connection),
    // Istio sets no route timeout by default, and `0s` disables one: both mean no timeout.
    timeout: raw.timeout === undefined || raw.timeout === 0 ? Number.POSITIVE_INFINITY : raw.timeout,
    // Unset or 0: none (Envoy's per_try_timeout; Istio sets it from a VirtualService's retries).
    perTryTimeout:
      raw.perTryTimeout === undefined || raw.perTryTimeout === 0
        ? Number.POSITIVE_INFINITY
        : raw.perTryTimeout,
    retries: raw.retries ?? DEFAULT_RETRIES,
    retryBackoff: raw.retryBackoff ?? DEFAULT_RETRY_BACKOFF,
    // null: Istio's default conditions for mesh.version (src/mesh/retry-policy.ts).
    retryOn: raw.retryOn ? [...raw.retryOn] : null,
  };
}
