// A DestinationRule's traffic policy as far as meshsim models it: outlier detection, locality load
// balancing and circuit breakers (Istio networking.v1 TrafficPolicy.outlierDetection,
// loadBalancer.localityLbSetting: enabled, failover, distribute; connectionPool). Checked as istiod checks
// them (istio/istio 1.28.0 pkg/config/validation/agent/validation.go ValidateLocalityLbSetting): failover
// and distribute exclude each other, a distribute's weights are 1..100 and add up to 100, a failover goes
// from one region to another.
import { z } from 'zod';
import { bool, duration, durationWithin, int, list, num, obj, oneOf, str } from './fields.ts';

const outlierDetection = obj({
  consecutive5xxErrors: int(0, 1_000_000).optional(),
  consecutiveGatewayErrors: int(0, 1_000_000).optional(),
  interval: duration().optional(),
  baseEjectionTime: duration().optional(),
  maxEjectionPercent: int(0, 100).optional(),
});

/** A locality `region/zone/subzone`, each part optional from the right, `*` matching any. */
const locality = () => str();

const localityLbSetting = obj({
  enabled: bool().optional(),
  failover: list(obj({ from: str(), to: str() })).optional(),
  distribute: list(
    obj({
      from: locality(),
      to: z.record(locality(), int(1, 100), { error: 'a map of locality to weight (1..100)' }),
    }),
  ).optional(),
}).superRefine((lb, ctx) => {
  if ((lb.failover?.length ?? 0) > 0 && (lb.distribute?.length ?? 0) > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['distribute'],
      message: "either 'distribute' or 'failover' (istiod refuses both)",
    });
  lb.distribute?.forEach((d, i) => {
    const total = Object.values(d.to).reduce((a, b) => a + b, 0);
    if (total !== 100)
      ctx.addIssue({
        code: 'custom',
        path: ['distribute', i, 'to'],
        message: `weights adding up to 100, not ${total}`,
      });
  });
  lb.failover?.forEach((f, i) => {
    if (f.from === f.to)
      ctx.addIssue({
        code: 'custom',
        path: ['failover', i, 'to'],
        message: `a region other than '${f.from}'`,
      });
  });
});

// connectionPool: its circuit breakers http2MaxRequests (Envoy's max_requests), tcp.maxConnections and
// http.http1MaxPendingRequests (max_connections, max_pending_requests), http.maxRetries (max_retries),
// and http.maxRequestsPerConnection; 0 is unset, as in Istio. They are int32 in Istio's API (the CRD's
// `format: int32`, istio/istio 1.28.0 manifests/charts/base/files/crd-all.gen.yaml); a retry budget's
// minRetryConcurrency is a uint32.
export const INT32_MAX = 2_147_483_647;
const UINT32 = 4_294_967_295;
const connectionPool = obj({
  tcp: obj({
    maxConnections: int(0, INT32_MAX).optional(),
    idleTimeout: duration().optional(),
    // The CRD's rule: at least 1ms (istio/istio 1.28.0 crd-all.gen.yaml).
    maxConnectionDuration: durationWithin(0.001, Number.POSITIVE_INFINITY, 'at least 1ms').optional(),
  }).optional(),
  http: obj({
    idleTimeout: duration().optional(),
    http2MaxRequests: int(0, INT32_MAX).optional(),
    http1MaxPendingRequests: int(0, INT32_MAX).optional(),
    maxRetries: int(0, INT32_MAX).optional(),
    maxRequestsPerConnection: int(0, INT32_MAX).optional(),
    maxConcurrentStreams: int(0, INT32_MAX).optional(),
    h2UpgradePolicy: oneOf(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
    useClientProtocol: bool().optional(),
  }).optional(),
});

// retryBudget (networking.v1 TrafficPolicy.RetryBudget): Envoy's retry_budget, whose budget_percent is a
// Percent in [0, 100] (envoyproxy/envoy api/envoy/type/v3/percent.proto; Envoy refuses more).
const retryBudget = obj({
  percent: num(0, 100).optional(),
  minRetryConcurrency: int(0, UINT32).optional(),
});

// loadBalancer (networking.v1 LoadBalancerSettings): simple or consistentHash, not both (the CRD's
// oneOf). PASSTHROUGH (Envoy's ORIGINAL_DST cluster) is refused by the loader: meshsim routes to the
// service's endpoints, not to the address the client dialled. Of a consistent hash, the key's source (a
// header, cookie or query parameter of each request, or the caller's IP); the ring's shape (ringHash,
// maglev, minimumRingSize) is not taken, since meshsim's hash is even (src/simulate/replication/
// balancing.ts), nor a cookie's path and ttl.
export const LB_SIMPLE = [
  'UNSPECIFIED',
  'LEAST_CONN',
  'RANDOM',
  'PASSTHROUGH',
  'ROUND_ROBIN',
  'LEAST_REQUEST',
] as const;
const consistentHash = obj({
  httpHeaderName: str().optional(),
  httpCookie: obj({ name: str() }).optional(),
  useSourceIp: bool().optional(),
  httpQueryParameterName: str().optional(),
});

// tls (networking.v1 ClientTLSSettings): ISTIO_MUTUAL, what Istio's auto mTLS does anyway, or DISABLE, plain
// text from the callers' Envoys; SIMPLE and MUTUAL originate TLS with the user's certificates, not simulated.
const tls = obj({ mode: oneOf(['DISABLE', 'ISTIO_MUTUAL']) });

export const trafficPolicy = obj({
  outlierDetection: outlierDetection.optional(),
  tls: tls.optional(),
  connectionPool: connectionPool.optional(),
  retryBudget: retryBudget.optional(),
  loadBalancer: obj({
    simple: oneOf(LB_SIMPLE).optional(),
    consistentHash: consistentHash.optional(),
    localityLbSetting: localityLbSetting.optional(),
  })
    .superRefine((lb, ctx) => {
      if (lb.simple !== undefined && lb.consistentHash !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['consistentHash'],
          message: "either 'simple' or 'consistentHash' (one of them, as Istio's API says)",
        });
      if (lb.simple === 'PASSTHROUGH')
        ctx.addIssue({
          code: 'custom',
          path: ['simple'],
          message:
            'a balancer meshsim simulates (LEAST_REQUEST, ROUND_ROBIN, RANDOM): PASSTHROUGH sends to the address the client dialled (ORIGINAL_DST), which meshsim does not model',
        });
      const h = lb.consistentHash;
      if (h) {
        const keys = [
          h.httpHeaderName,
          h.httpCookie,
          h.useSourceIp || undefined,
          h.httpQueryParameterName,
        ].filter((x) => x !== undefined).length;
        if (keys !== 1)
          ctx.addIssue({
            code: 'custom',
            path: ['consistentHash'],
            message:
              'exactly one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName (the hash key)',
          });
      }
    })
    .optional(),
});
