// A DestinationRule's traffic policy as meshsim models it (normalised: Envoy's defaults filled in).

/** Envoy outlier detection as Istio configures it from a DestinationRule (seconds, counts, percent). */
export interface OutlierDetection {
  /** Ejects after this many 5xx in a row (0: off). */
  consecutive5xxErrors: number;
  /** Ejects after this many 502/503/504 or connection failures in a row (0: off). */
  consecutiveGatewayErrors: number;
  /** How often ejected hosts are checked for return. */
  interval: number;
  /** An ejection lasts this long times the host's ejection count (capped at maxEjectionTime). */
  baseEjectionTime: number;
  maxEjectionTime: number;
  /** An ejection happens only while at most this share of the hosts would be ejected. */
  maxEjectionPercent: number;
}

/** Envoy's retry_budget as istiod fills it in (cluster_traffic_policy.go applyRetryBudget). */
export interface RetryBudget {
  /** Envoy's budget_percent, a percentage (Istio's default 0.2 is 0.2 %). */
  percent: number;
  minRetryConcurrency: number;
}

/** localityLbSetting.failover: callers in region `from` fail over to region `to` before any other. */
export interface LocalityFailover {
  from: string;
  to: string;
}

/** localityLbSetting.distribute: callers in locality `from` send `to[locality]` % to each locality. */
export interface LocalityDistribute {
  from: string;
  to: Record<string, number>;
}

export interface TrafficPolicy {
  outlierDetection: OutlierDetection | null;
  /**
   * connectionPool.http.http2MaxRequests, when set (> 0): Envoy's max_requests circuit breaker, the
   * requests each Envoy may have outstanding to the service's cluster at once (every HTTP version).
   */
  maxRequests?: number;
  /**
   * connectionPool.tcp.maxConnections and http.http1MaxPendingRequests, when set (> 0): each Envoy's
   * connections to the cluster, and HTTP/1.1 requests waiting for one (replication/circuit-breakers.ts).
   */
  maxConnections?: number;
  maxPendingRequests?: number;
  /**
   * connectionPool.http.maxRetries, when set (> 0): Envoy's max_retries circuit breaker, the retries each
   * Envoy may have outstanding to the cluster at once (unset: 2^32 - 1, Istio's default).
   */
  maxRetries?: number;
  /**
   * trafficPolicy.retryBudget, applied only beside a connectionPool (as istiod 1.28.0 does): the retries
   * outstanding may be `percent` % of the cluster's active and pending requests, at least
   * `minRetryConcurrency`. It replaces maxRetries.
   */
  retryBudget?: RetryBudget;
  /**
   * connectionPool.http.idleTimeout, else tcp.idleTimeout, when set (> 0): seconds an upstream connection
   * of the service's Envoys stays open without a request (Envoy's default: an hour, which no run reaches).
   */
  idleTimeout?: number;
  /**
   * connectionPool.tcp.maxConnectionDuration, when set: seconds an upstream connection of the service's
   * Envoys lives before it drains and another takes its place.
   */
  maxConnectionDuration?: number;
  /** connectionPool.http.maxRequestsPerConnection, when set (> 0): requests per upstream connection. */
  maxRequestsPerConnection?: number;
  /**
   * connectionPool.http.maxConcurrentStreams, when set (> 0): streams per upstream HTTP/2 connection
   * (Envoy's max_concurrent_streams, which istiod sets only on an HTTP/2 cluster).
   */
  maxConcurrentStreams?: number;
  /** connectionPool.http.h2UpgradePolicy, when not DEFAULT (then meshConfig's decides). */
  h2UpgradePolicy?: 'UPGRADE' | 'DO_NOT_UPGRADE';
  /** connectionPool.http.useClientProtocol, when true: never upgraded. */
  useClientProtocol?: true;
  /**
   * tls.mode, when set: DISABLE, its callers' Envoys (sidecars, the ingress gateway) send it plain text
   * instead of mTLS (istio/istio 1.28.0 pilot/pkg/networking/core/cluster_tls.go applyUpstreamTLSSettings:
   * no TLS context), so its sidecars, if STRICT, refuse them; ISTIO_MUTUAL, mTLS even where its
   * PeerAuthentication is DISABLE (which then refuses it). An ambient callee is reached over HBONE either
   * way ("HBONE or plain, depending on backend support", the same function).
   */
  tls?: 'DISABLE' | 'ISTIO_MUTUAL';
  /**
   * loadBalancer.simple or consistentHash, when not Istio's default LEAST_REQUEST (replication/
   * balancing.ts): ROUND_ROBIN, RANDOM, a consistent hash of the caller's IP (useSourceIp), or of a value
   * each request carries (a header, cookie or query parameter).
   */
  balancer?: Balancer;
  /** localityLbSetting.enabled: prefer the caller's zone, fail over by priority (needs outlier detection). */
  localityLb: boolean;
  /** localityLbSetting.failover, when given. */
  failover?: LocalityFailover[];
  /** localityLbSetting.distribute, when given (weights instead of priorities; no outlier detection needed). */
  distribute?: LocalityDistribute[];
}

/** An Envoy load balancer other than LEAST_REQUEST (TrafficPolicy.balancer). */
export type Balancer = 'ROUND_ROBIN' | 'RANDOM' | 'HASH_SOURCE_IP' | 'HASH_REQUEST';

/** The Service fields that choose how proxies treat its traffic (part of Service). */
export interface ServicePolicies {
  /** istio.io/ingress-use-waypoint on the service, if any (overrides the namespace's). */
  ingressUseWaypoint?: string;
  /** Its DestinationRule's traffic policy (absent: the mesh-wide one, mesh.trafficPolicy). */
  trafficPolicy?: TrafficPolicy;
  /** mtls.mode of a PeerAuthentication selecting its pods (absent: its namespace's, scenario/peer-authentication.ts). */
  mtls?: MtlsMode;
}

/** The Namespace labels that choose how proxies treat its services' traffic (part of Namespace). */
export interface NamespacePolicies {
  /** istio.io/ingress-use-waypoint on the namespace, if any (a service's own label wins). */
  ingressUseWaypoint?: string;
  /** mtls.mode of the namespace's PeerAuthentication without a selector (absent: the mesh-wide one). */
  mtls?: MtlsMode;
}

/**
 * A PeerAuthentication's mtls.mode: what a meshed workload's sidecar accepts. PERMISSIVE takes mTLS and plain
 * text, STRICT only mTLS, DISABLE only plain text (UNSET inherits).
 */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
