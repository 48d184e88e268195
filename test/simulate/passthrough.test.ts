// A sidecar not given its callee (scenario/passthrough.ts): under ALLOW_ANY it proxies the call through
// its PassthroughCluster, in plain text to the Service's address, with no retry policy or DestinationRule;
// under REGISTRY_ONLY it refuses it. shop/web calls pay/billing, which is exported only to pay.
import { describe, expect, it } from 'vitest';
import {
  buildTemplates,
  EndpointKind,
  ProtocolClass,
  templateIndex,
  Upstream,
} from '../../src/mesh/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

interface Opts {
  exportTo?: string;
  billing?: string;
  web?: string;
  mesh?: string;
}

const text = (o: Opts) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: passthrough }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
  - { name: pay, labels: { istio-injection: enabled } }
services:
  - { name: web, namespace: shop, replicas: 2, serviceTime: 1ms, calls: [{ to: billing.pay }]${o.web ?? ''} }
  - name: billing
    namespace: pay
    replicas: 3
    serviceTime: 1ms
    annotations: { networking.istio.io/exportTo: "${o.exportTo ?? '.'}" }${o.billing ?? ''}
traffic: [{ name: load, to: shop/web, rate: 100/s, clientMode: sidecar }]
${o.mesh ? `mesh: ${o.mesh}` : ''}
compare: [sidecar, ambient]
simulation: { duration: 6s, warmup: 1s, replications: 1 }
`;

const run = (o: Opts, arch: 'sidecar' | 'ambient' = 'sidecar') =>
  simulateArchitecture(parseScenario(text(o), 'passthrough.yaml'), arch);
const toBilling = (a: ReturnType<typeof run>) => a.edges.find((e) => e.name.endsWith('-> pay/billing'))!;

describe('PassthroughCluster (ALLOW_ANY, the default)', () => {
  it('serves the calls through it, in plain text, and says so', () => {
    const a = run({});
    const e = toBilling(a);
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
    expect(e.rate.mean).toBeGreaterThan(90);
    // Every measured call took it: the count is the edge's calls over the 5 measured seconds.
    expect(e.passthrough!.mean).toBeCloseTo(e.rate.mean * 5, 6);
    expect(e.routes).toEqual(['app -> sidecar (passthrough) -> sidecar -> app']);
    expect(a.warnings.some((w) => w.includes("through the caller's PassthroughCluster"))).toBe(true);
    // Exported, the same call takes the mesh route and counts nothing.
    const mesh = toBilling(run({ exportTo: '*' }));
    expect(mesh.passthrough).toBeUndefined();
    expect(mesh.routes).toEqual(['app -> sidecar -> sidecar -> app']);
  });

  it('reaches the callee in plain text: a STRICT callee refuses every call', () => {
    const a = run({ billing: '\n    mtls: STRICT' });
    const e = toBilling(a);
    expect(e.mtlsRefused!.mean).toBe(e.passthrough!.mean);
    expect(e.failed.mean).toBe(e.passthrough!.mean);
    // No retry policy on the passthrough route: nothing is retried.
    expect(e.retries.mean).toBe(0);
    // Over the mesh route the same STRICT callee is reached over mTLS.
    expect(toBilling(run({ exportTo: '*', billing: '\n    mtls: STRICT' })).failed.mean).toBe(0);
  });

  it("applies no DestinationRule: billing's circuit breaker does not refuse passthrough calls", () => {
    const breaker = '\n    trafficPolicy: { connectionPool: { http: { http2MaxRequests: 1 } } }';
    const slow = (o: Opts) => ({ ...o, billing: `${breaker}`, web: ', concurrency: 64' });
    // 100 calls/s of 1 ms from two sidecars with one request allowed each: some overflow over the mesh
    // route; none through the PassthroughCluster, whose route carries no circuit breaker.
    const mesh = toBilling(run(slow({ exportTo: '*' })));
    expect(mesh.circuitBreakerOverflows!.mean).toBeGreaterThan(0);
    const pass = toBilling(run(slow({})));
    expect(pass.circuitBreakerOverflows!.mean).toBe(0);
    expect(pass.failed.mean).toBe(0);
  });

  it('the template: one-to-one to kube-proxy’s endpoint, no Envoy balancing or retrying, no mTLS', () => {
    const templates = buildTemplates(100);
    const t =
      templates[
        templateIndex(EndpointKind.Sidecar, EndpointKind.Sidecar, false, ProtocolClass.Http1, false, 1)
      ]!;
    expect(t.lbPerRequest).toBe(false);
    expect(t.steps.map((s) => [s.upstream, s.tlsIn, s.plaintextIn])).toEqual([
      [Upstream.OneToOne, false, false],
      [Upstream.Deliver, false, true],
    ]);
    // No step pools per endpoint on the caller's side, so no Envoy retries it (retries.ts retrier).
    expect(t.steps.some((s) => s.upstream === Upstream.PerEndpointPool)).toBe(false);
  });

  it('has its own templates, after the 108 of the mesh: ALLOW_ANY and REGISTRY_ONLY by (dst, waypoint, protocol)', () => {
    const templates = buildTemplates(100);
    const seen = new Set<number>();
    for (const mode of [1, 2])
      for (const d of [EndpointKind.Plain, EndpointKind.Sidecar, EndpointKind.Captured])
        for (const w of [false, true])
          for (const p of [ProtocolClass.Http1, ProtocolClass.Multiplexed, ProtocolClass.Tcp]) {
            const i = templateIndex(EndpointKind.Sidecar, d, w, p, false, mode);
            expect(i).toBeGreaterThanOrEqual(108);
            expect(seen.has(i)).toBe(false);
            seen.add(i);
            expect(templates[i]!.passthrough).toBe(true);
          }
    expect(seen.size).toBe(36);
  });

  it('ambient: ztunnel is given every service, so nothing passes through', () => {
    const e = toBilling(run({}, 'ambient'));
    expect(e.passthrough!.mean).toBe(0);
    expect(e.failed.mean).toBe(0);
  });
});

describe('an entry point whose load generators carry sidecars', () => {
  it('passes through too when their namespace is not given the target', () => {
    const t = text({}).replace('to: shop/web, rate: 100/s', 'to: pay/billing, rate: 100/s');
    const a = simulateArchitecture(parseScenario(t, 'passthrough.yaml'), 'sidecar');
    const e = a.edges.find((x) => x.name === 'load -> pay/billing')!;
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
    expect(e.passthrough!.mean).toBeGreaterThan(400);
  });
});

describe('REGISTRY_ONLY', () => {
  it("the caller's sidecar refuses every call to a service it is not given", () => {
    const a = run({ mesh: '{ outboundTrafficPolicy: REGISTRY_ONLY }' });
    const e = toBilling(a);
    expect(e.registryOnlyRefused!.mean).toBeGreaterThan(400);
    expect(e.failed.mean).toBe(e.registryOnlyRefused!.mean);
    expect(e.routes).toEqual(['app -> sidecar (REGISTRY_ONLY) -> sidecar -> app']);
    expect(a.warnings.some((w) => w.includes('under REGISTRY_ONLY'))).toBe(true);
    // The caller's Sidecar resource says ALLOW_ANY: it passes them through again.
    const allow = run({
      mesh: '{ outboundTrafficPolicy: REGISTRY_ONLY }',
      web: ', outboundTrafficPolicy: ALLOW_ANY',
    });
    expect(toBilling(allow).failed.mean).toBe(0);
    expect(toBilling(allow).passthrough!.mean).toBeGreaterThan(400);
  });
});
