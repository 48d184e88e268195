// A DestinationRule traffic policy with Envoy's and meshConfig's defaults filled in. A service's own
// policy replaces the mesh-wide one whole: Istio does not merge DestinationRules of the service's
// namespace and the root namespace (ENABLE_DESTINATION_RULE_INHERITANCE, off by default).
import {
  DEFAULT_LOCALITY_LB,
  DEFAULT_OUTLIER_DETECTION,
  ISTIO_MIN_RETRY_CONCURRENCY,
  ISTIO_RETRY_BUDGET_PERCENT,
} from '../defaults.ts';
import type { RawScenario } from '../schema/index.ts';
import type { Balancer, RetryBudget, TrafficPolicy } from '../traffic-policy.ts';

type RawPolicy = NonNullable<RawScenario['services'][number]['trafficPolicy']>;

export function normaliseTrafficPolicy(raw: RawPolicy): TrafficPolicy {
  const od = raw.outlierDetection;
  const d = DEFAULT_OUTLIER_DETECTION;
  const baseEjectionTime = od?.baseEjectionTime ?? d.baseEjectionTime;
  const lb = raw.loadBalancer?.localityLbSetting;
  const maxRequests = raw.connectionPool?.http?.http2MaxRequests;
  const maxConnections = raw.connectionPool?.tcp?.maxConnections;
  const maxPending = raw.connectionPool?.http?.http1MaxPendingRequests;
  const maxRetries = raw.connectionPool?.http?.maxRetries;
  const perConnection = raw.connectionPool?.http?.maxRequestsPerConnection;
  const h2 = raw.connectionPool?.http?.h2UpgradePolicy;
  const streams = raw.connectionPool?.http?.maxConcurrentStreams;
  // istiod takes http.idleTimeout, else tcp.idleTimeout, as the cluster's common_http_protocol_options
  // idle_timeout (istio/istio 1.28.0 cluster_traffic_policy.go applyConnectionPool); 0 disables it (Envoy).
  const idle = raw.connectionPool?.http?.idleTimeout ?? raw.connectionPool?.tcp?.idleTimeout;
  return {
    outlierDetection: od
      ? {
          consecutive5xxErrors: od.consecutive5xxErrors ?? d.consecutive5xxErrors,
          consecutiveGatewayErrors: od.consecutiveGatewayErrors ?? d.consecutiveGatewayErrors,
          interval: od.interval ?? d.interval,
          baseEjectionTime,
          // Envoy: max_ejection_time defaults to the larger of 300 s and base_ejection_time.
          maxEjectionTime: Math.max(d.maxEjectionTime, baseEjectionTime),
          maxEjectionPercent: od.maxEjectionPercent ?? d.maxEjectionPercent,
        }
      : null,
    ...balancerOf(raw.loadBalancer),
    localityLb: lb?.enabled ?? DEFAULT_LOCALITY_LB,
    ...(maxRequests !== undefined && maxRequests > 0 ? { maxRequests } : {}),
    ...(maxConnections !== undefined && maxConnections > 0 ? { maxConnections } : {}),
    ...(maxPending !== undefined && maxPending > 0 ? { maxPendingRequests: maxPending } : {}),
    ...(maxRetries !== undefined && maxRetries > 0 ? { maxRetries } : {}),
    ...(perConnection !== undefined && perConnection > 0 ? { maxRequestsPerConnection: perConnection } : {}),
    ...(raw.retryBudget && raw.connectionPool ? { retryBudget: retryBudget(raw.retryBudget) } : {}),
    ...(h2 === 'UPGRADE' || h2 === 'DO_NOT_UPGRADE' ? { h2UpgradePolicy: h2 } : {}),
    ...(streams !== undefined && streams > 0 ? { maxConcurrentStreams: streams } : {}),
    ...(idle !== undefined && idle > 0 ? { idleTimeout: idle } : {}),
    ...(raw.connectionPool?.tcp?.maxConnectionDuration !== undefined
      ? { maxConnectionDuration: raw.connectionPool.tcp.maxConnectionDuration }
      : {}),
    ...(raw.connectionPool?.http?.useClientProtocol ? { useClientProtocol: true as const } : {}),
    ...(raw.tls ? { tls: raw.tls.mode } : {}),
    ...(lb?.failover && lb.failover.length > 0
      ? { failover: lb.failover.map((f) => ({ from: f.from, to: f.to })) }
      : {}),
    ...(lb?.distribute && lb.distribute.length > 0
      ? { distribute: lb.distribute.map((d) => ({ from: d.from, to: { ...d.to } })) }
      : {}),
  };
}

/**
 * istiod's retry budget: percent 0.2 unless given (xdstype.Percent{Value: 0.2}, which Envoy reads as 0.2
 * %, though the comment beside it says 20 %), minRetryConcurrency 3 unless given (> 0); istio/istio 1.28.0
 * pilot/pkg/networking/core/cluster_traffic_policy.go applyRetryBudget. istiod applies it only within
 * applyConnectionPool, which returns early for a policy without a connectionPool: a retryBudget alone
 * sets nothing.
 */
function retryBudget(raw: NonNullable<RawPolicy['retryBudget']>): RetryBudget {
  const min = raw.minRetryConcurrency;
  return {
    percent: raw.percent ?? ISTIO_RETRY_BUDGET_PERCENT,
    minRetryConcurrency: min !== undefined && min > 0 ? min : ISTIO_MIN_RETRY_CONCURRENCY,
  };
}

/**
 * The balancer istiod sets (istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go
 * applyLoadBalancer, ApplyRingHashLoadBalancer): LEAST_CONN, LEAST_REQUEST and UNSPECIFIED are
 * LEAST_REQUEST (defaultLBAlgorithm), kept implicit; a consistentHash makes a RING_HASH or MAGLEV cluster.
 */
function balancerOf(raw: RawPolicy['loadBalancer']): { balancer?: Balancer } {
  if (raw?.simple === 'ROUND_ROBIN' || raw?.simple === 'RANDOM') return { balancer: raw.simple };
  const h = raw?.consistentHash;
  if (!h) return {};
  return { balancer: h.useSourceIp ? 'HASH_SOURCE_IP' : 'HASH_REQUEST' };
}
