// A DestinationRule's traffic policy reaches the service it names (import/destination-policy.ts): outlier
// detection, locality load balancing and the circuit breakers meshsim simulates are kept, the rest is named
// in a comment, and values istiod would refuse are dropped so the scenario loads.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { destinationPolicy, parseScenario } from '../../src/scenario/index.ts';
import { app } from './app-manifests.ts';

const base = app('shop', 'api');

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
    loadBalancer: { simple: ROUND_ROBIN, warmup: { duration: 30s }, localityLbSetting: { enabled: true, failover: [{ from: us-east-1, to: us-west-2 }] } }
    connectionPool:
      tcp: { maxConnections: 100, connectTimeout: 1s, maxConnectionDuration: 10m }
      http: { http2MaxRequests: 500, http1MaxPendingRequests: 10, maxRetries: 3, maxRequestsPerConnection: 1, idleTimeout: 1h, h2UpgradePolicy: UPGRADE, maxConcurrentStreams: 64 }
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
    expect(p.balancer).toBe('ROUND_ROBIN');
    expect(p.failover).toEqual([{ from: 'us-east-1', to: 'us-west-2' }]);
    expect(p.maxRequests).toBe(500);
    expect(p.maxConnections).toBe(100);
    expect(p.maxPendingRequests).toBe(10);
    expect(p.maxRetries).toBe(3);
    expect(p.maxRequestsPerConnection).toBe(1);
    expect(p.h2UpgradePolicy).toBe('UPGRADE');
    expect(p.maxConcurrentStreams).toBe(64);
    expect(p.idleTimeout).toBe(3600);
    expect(p.maxConnectionDuration).toBe(600);
    expect(p.retryBudget).toEqual({ percent: 20, minRetryConcurrency: 5 });
    for (const dropped of [
      'outlierDetection.splitExternalLocalOriginErrors',
      'loadBalancer.warmup',
      'connectionPool.tcp.connectTimeout',
      'retryBudget.interval',
    ])
      expect(r.text).toContain(dropped);
    // ISTIO_MUTUAL: what auto mTLS does anyway, except toward a DISABLE PeerAuthentication.
    expect(p.tls).toBe('ISTIO_MUTUAL');
  });

  it('keeps tls.mode DISABLE (plain text from the callers), names SIMPLE, MUTUAL and the other tls fields', () => {
    const dr = (tls: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api.shop.svc.cluster.local
  trafficPolicy:
    tls: ${tls}
`;
    const off = load(dr('{ mode: DISABLE, sni: api.example }'));
    expect(off.s.services.find((x) => x.name === 'api')!.trafficPolicy!.tls).toBe('DISABLE');
    expect(off.r.text).toContain('tls.sni');
    const simple = load(dr('{ mode: SIMPLE }'));
    expect(simple.s.services.find((x) => x.name === 'api')!.trafficPolicy).toBeUndefined();
    expect(simple.r.text).toContain('tls.mode SIMPLE');
  });

  it('keeps a consistent hash by its key, and drops the ring shape and PASSTHROUGH', () => {
    const hash = (lb: string) =>
      load(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api
  trafficPolicy:
    loadBalancer: ${lb}
`);
    const src = hash('{ consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } }');
    expect(src.s.services.find((x) => x.name === 'api')!.trafficPolicy!.balancer).toBe('HASH_SOURCE_IP');
    expect(src.r.text).toContain('loadBalancer.consistentHash.maglev');
    const cookie = hash('{ consistentHash: { httpCookie: { name: user, ttl: 0s } } }');
    expect(cookie.s.services.find((x) => x.name === 'api')!.trafficPolicy!.balancer).toBe('HASH_REQUEST');
    const pass = hash('{ simple: PASSTHROUGH }');
    expect(pass.s.services.find((x) => x.name === 'api')!.trafficPolicy?.balancer).toBeUndefined();
    expect(pass.r.text).toContain('loadBalancer.simple PASSTHROUGH');
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

const web = `---\n${app('front', 'web', 1)}`;

const rule = (ns: string, name: string, host: string, max: number) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec:
  host: "${host}"
  trafficPolicy: { connectionPool: { http: { http2MaxRequests: ${max} } } }
`;

describe('which DestinationRule a service gets (push_context.go destinationRule)', () => {
  const policies = (drs: string) => {
    const { manifests } = parseManifests(`${base}${web}${drs}`, 'm.yaml');
    const r = importScenario(manifests, { sources: ['m.yaml'] });
    const s = parseScenario(r.text, 'm.yaml');
    const max = (name: string) => s.services.find((x) => x.name === name)!.trafficPolicy?.maxRequests;
    return { r, s, api: max('api'), web: max('web'), mesh: s.mesh.trafficPolicy?.maxRequests };
  };

  it("the root namespace's catch-all is the mesh-wide policy; a service's own rule replaces it", () => {
    const p = policies(rule('istio-system', 'all', '*.local', 7) + rule('shop', 'api', 'api', 3));
    expect(p.mesh).toBe(7);
    expect(p.api).toBe(3);
    expect(p.web).toBeUndefined(); // it has none: the mesh-wide one applies
    expect(p.r.text).toContain('the mesh-wide DestinationRule of istio-system');
  });

  it('a rule of its own that sets no policy (only subsets) still shadows the mesh-wide one', () => {
    const subsets = `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api
  subsets: [{ name: v1, labels: { app: api } }]
`;
    const p = policies(rule('istio-system', 'all', '*.local', 7) + subsets);
    const api = p.s.services.find((x) => x.name === 'api')!;
    expect(api.trafficPolicy).toBeDefined();
    expect(destinationPolicy(p.s, api)?.maxRequests).toBeUndefined();
    expect(p.r.text).toContain('its own DestinationRule sets none: not the mesh-wide one');
    // A subset's own policy is named, not simulated.
    const own = policies(
      subsets.replace('labels: { app: api } }', 'labels: { app: api }, trafficPolicy: {} }'),
    );
    expect(own.r.text).toContain(
      "subset trafficPolicy (v1): a subset's cluster is reached only through a weighted split",
    );
    // Without a mesh-wide rule there is nothing to shadow, and nothing is written.
    expect(policies(subsets).s.services.find((x) => x.name === 'api')!.trafficPolicy).toBeUndefined();
  });

  it("a wildcard of the service's namespace beats the root namespace's; the longer wildcard wins", () => {
    const p = policies(
      rule('istio-system', 'all', '*', 7) +
        rule('istio-system', 'shop', '*.shop.svc.cluster.local', 5) +
        rule('shop', 'local', '*.svc.cluster.local', 4),
    );
    expect(p.api).toBe(4);
    expect(p.web).toBeUndefined();
    expect(p.mesh).toBe(7);
    // The root's *.shop rule decides nothing here: shop's own wildcard comes first.
    expect(p.r.text).toContain('DestinationRule istio-system/shop');
    expect(p.r.text).toContain('decides no imported service');
  });

  it('a rule in a third namespace is used only where nothing else decides, and says whose callers it is for', () => {
    const p = policies(rule('front', 'api', 'api.shop.svc.cluster.local', 2));
    expect(p.api).toBe(2);
    expect(p.r.text).toContain('applies in Istio to callers in front only');
    const q = policies(rule('front', 'api', 'api.shop.svc.cluster.local', 2) + rule('shop', 'api', 'api', 3));
    expect(q.api).toBe(3);
  });

  it('a rule for no imported service is named in the header', () => {
    const p = policies(rule('shop', 'gone', 'gone', 9));
    expect(p.api).toBeUndefined();
    expect(p.r.text).toMatch(/read, not used: DestinationRule shop\/gone .*decides no imported service/);
  });
});
