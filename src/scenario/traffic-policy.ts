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
  /** localityLbSetting.enabled: prefer the caller's zone, fail over by priority (needs outlier detection). */
  localityLb: boolean;
  /** localityLbSetting.failover, when given. */
  failover?: LocalityFailover[];
  /** localityLbSetting.distribute, when given (weights instead of priorities; no outlier detection needed). */
  distribute?: LocalityDistribute[];
}

/** The Service fields that choose how proxies treat its traffic (part of Service). */
export interface ServicePolicies {
  /** istio.io/ingress-use-waypoint on the service, if any (overrides the namespace's). */
  ingressUseWaypoint?: string;
  /** Its DestinationRule's traffic policy (absent: the mesh-wide one, mesh.trafficPolicy). */
  trafficPolicy?: TrafficPolicy;
}

/** The Namespace labels that choose how proxies treat its services' traffic (part of Namespace). */
export interface NamespacePolicies {
  /** istio.io/ingress-use-waypoint on the namespace, if any (a service's own label wins). */
  ingressUseWaypoint?: string;
}
