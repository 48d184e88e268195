// A DestinationRule's traffic policy reaches the service it names (import/destination-policy.ts): outlier
// detection, locality load balancing and the circuit breakers meshsim simulates are kept, the rest is named
// in a comment, and values istiod would refuse are dropped so the scenario loads.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const base = `apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ port: 80, name: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: c, image: x }]
`;

function load(dr: string) {
  const { manifests } = parseManifests(`${base}---\n${dr}`, 'shop.yaml');
  const r = importScenario(manifests, { sources: ['shop.yaml'] });
  return { r, s: parseScenario(r.text, 'shop.yaml') };
}

describe('import of a DestinationRule traffic policy', () => {
  it('keeps outlier detection, locality load balancing and circuit breakers; names the rest', () => {
    const { r, s } = load(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api.shop.svc.cluster.local
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 1m, maxEjectionPercent: 50, splitExternalLocalOriginErrors: true }
    loadBalancer: { simple: LEAST_REQUEST, localityLbSetting: { enabled: true, failover: [{ from: us-east-1, to: us-west-2 }] } }
    connectionPool:
      tcp: { maxConnections: 100, connectTimeout: 1s }
      http: { http2MaxRequests: 500, http1MaxPendingRequests: 10, maxRetries: 3, maxRequestsPerConnection: 1, idleTimeout: 1h }
    retryBudget: { percent: 20, minRetryConcurrency: 5, interval: 1s }
    tls: { mode: ISTIO_MUTUAL }
`);
    const p = s.services.find((x) => x.name === 'api')!.trafficPolicy!;
    expect(p.outlierDetection).toMatchObject({
      consecutive5xxErrors: 3,
      interval: 5,
      baseEjectionTime: 60,
      maxEjectionPercent: 50,
    });
    expect(p.localityLb).toBe(true);
    expect(p.failover).toEqual([{ from: 'us-east-1', to: 'us-west-2' }]);
    expect(p.maxRequests).toBe(500);
    expect(p.maxConnections).toBe(100);
    expect(p.maxPendingRequests).toBe(10);
    expect(p.maxRetries).toBe(3);
    expect(p.maxRequestsPerConnection).toBe(1);
    expect(p.retryBudget).toEqual({ percent: 20, minRetryConcurrency: 5 });
    for (const dropped of [
      'outlierDetection.splitExternalLocalOriginErrors',
      'loadBalancer.simple',
      'connectionPool.tcp.connectTimeout',
      'connectionPool.http.idleTimeout',
      'retryBudget.interval',
      'tls',
    ])
      expect(r.text).toContain(dropped);
  });

  it('drops what istiod would refuse, so the scenario loads', () => {
    const { r, s } = load(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api
  trafficPolicy:
    outlierDetection: { maxEjectionPercent: 150, interval: soon }
    loadBalancer:
      localityLbSetting:
        failover: [{ from: a, to: b }]
        distribute: [{ from: "a/*", to: { "a/z1": 60, "a/z2": 60 } }]
    connectionPool: { http: { http2MaxRequests: 0 } }
`);
    expect(s.services.find((x) => x.name === 'api')!.trafficPolicy?.outlierDetection ?? null).toBeNull();
    expect(s.services.find((x) => x.name === 'api')!.trafficPolicy?.maxRequests).toBeUndefined();
    expect(r.text).toContain('outlierDetection.maxEjectionPercent');
    expect(r.text).toContain('localityLbSetting.distribute (an invalid entry)');
    // 0 is Istio's unset: nothing to keep, nothing dropped.
    expect(r.text).not.toContain('connectionPool.http.http2MaxRequests');
  });
});
