// A headless Service (clusterIP: None): the caller's application connects to a pod its DNS answer names
// and every request on that connection goes there, whatever proxies are on the way (mesh/route.ts
// headlessTemplate, world/edges.ts). Checked against queueing theory and by hand.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication, simulateArchitecture } from '../../src/simulate/index.ts';

// One web pod calls api over one HTTP/2 connection: 50 calls/s, exponential 10 ms at pods serving one
// request at a time (mu = 100/s), for 480 s (24,000 calls: the mean wait's standard error is about
// 0.5 ms, its waits being correlated over about 0.1 s).
const pinned = (headless: boolean, concurrency = 1) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: headless }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - name: web
    serviceTime: 0.1ms
    calls: [{ to: api, protocol: http2, connection: { type: keepalive, poolSize: 1 } }]
  - name: api
    replicas: 4
    concurrency: ${concurrency}
    serviceTime: { exponential: { mean: 10ms } }
    cpuFraction: 0.01${headless ? '\n    headless: true' : ''}
traffic: [{ name: load, to: web, rate: 50/s, arrival: poisson }]
compare: [sidecar]
simulation: { duration: 481s, warmup: 1s, replications: 1 }
`;

function callToApi(headless: boolean, arch: 'none' | 'sidecar', concurrency = 1) {
  const s = parseScenario(pinned(headless, concurrency), 'headless.yaml');
  const r = new Replication(buildWorld(s, place(s, arch)), 'headless');
  r.run();
  const edge = r.w.edges.findIndex((x) => x.from >= 0);
  expect(r.recorder.edgeCalls[edge]).toBeGreaterThan(23_000);
  return { mean: r.recorder.edgeHist[edge]!.mean, r, edge };
}

describe('a headless Service: the application picks the pod, per connection', () => {
  it("a sidecar keeps every request of the caller's one connection on one pod: M/M/1 at rho 0.5", () => {
    // Pinned to one pod, all 50/s queue there: mean wait rho / (mu - lambda) = 0.5 / 50 = 10 ms over the
    // same calls with room for all of them; spread by the sidecar (LEAST_REQUEST over 4 pods, 12.5/s
    // each) they hardly wait.
    const free = callToApi(true, 'sidecar', 1000).mean;
    const wait = callToApi(true, 'sidecar').mean - free;
    expect(wait).toBeGreaterThan(0.0085);
    expect(wait).toBeLessThan(0.0115);
    expect(callToApi(false, 'sidecar').mean - free).toBeLessThan(0.002);
  });

  it('without a mesh the connection is pinned as well: headless changes nothing there', () => {
    // kube-proxy picks per connection too: one connection, one pod, either way.
    const plain = callToApi(false, 'none').mean;
    const headless = callToApi(true, 'none').mean;
    expect(Math.abs(headless - plain)).toBeLessThan(0.001);
  });
});

// web (2 pods) -> api (2 pods) in a namespace where api is headless; mesh and modes vary.
const mixed = (o: {
  arch: 'sidecar' | 'ambient' | 'as-labelled';
  api: string;
  ns?: string;
  waypoints?: string;
}) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: headless-tls }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces:
  - { name: shop, labels: { ${o.ns ?? (o.arch === 'sidecar' ? 'istio-injection: enabled' : 'istio.io/dataplane-mode: ambient')} } }
${o.waypoints ?? ''}
services:
  - { name: web, namespace: shop, replicas: 2, serviceTime: 1ms, calls: [{ to: api }]${o.arch === 'as-labelled' ? ', sidecarPods: 2' : ''} }
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms${o.api.includes('headless: false') ? '' : ', headless: true'}${o.api.replace(', headless: false', '')} }
traffic: [{ name: load, to: shop/web, rate: 100/s }]
compare: [${o.arch}]
simulation: { duration: 6s, warmup: 1s, replications: 1 }
`;

const runMixed = (o: Parameters<typeof mixed>[0]) =>
  simulateArchitecture(parseScenario(mixed(o), 'headless-tls.yaml'), o.arch);
const toApi = (a: ReturnType<typeof runMixed>) => a.edges.find((e) => e.name.endsWith('-> shop/api'))!;

describe("a headless Service's mTLS: what istiod infers from its pods", () => {
  it('every pod has a sidecar: mTLS, which a STRICT callee accepts', () => {
    const e = toApi(runMixed({ arch: 'sidecar', api: ', mtls: STRICT' }));
    expect(e.rate.mean).toBeGreaterThan(90);
    expect(e.failed.mean).toBe(0);
    expect(e.routes).toEqual(['app -> sidecar (headless) -> sidecar -> app']);
  });

  it('one pod without a sidecar: the sidecar sends plain text to every pod, and STRICT refuses it', () => {
    // A migration to ambient caught half-way (as-labelled): web's pods keep their sidecars; of api's, one
    // has its sidecar and ztunnel captures the other. web's sidecars infer "disable" and send plain text
    // to both.
    const strict = toApi(runMixed({ arch: 'as-labelled', api: ', sidecarPods: 1, mtls: STRICT' }));
    expect(strict.routes.sort()).toEqual([
      'app -> sidecar (headless) -> sidecar -> app',
      'app -> sidecar (headless) -> ztunnel -> app',
    ]);
    expect(strict.rate.mean).toBeGreaterThan(90);
    expect(strict.mtlsRefused!.mean).toBe(strict.failed.mean);
    expect(strict.failed.mean).toBeCloseTo(strict.rate.mean * 5, 6);
    // PERMISSIVE accepts plain text: nothing fails.
    expect(toApi(runMixed({ arch: 'as-labelled', api: ', sidecarPods: 1' })).failed.mean).toBe(0);
    // With a ClusterIP the sidecar sends mTLS to the sidecar pod and HBONE to the captured one.
    const vip = toApi(
      runMixed({ arch: 'as-labelled', api: ', sidecarPods: 1, mtls: STRICT, headless: false' }),
    );
    expect(vip.failed.mean).toBe(0);
  });
});

describe('a headless Service behind a waypoint (ambient)', () => {
  const bound = (forWhat: string, headless = true) =>
    toApi(
      runMixed({
        arch: 'ambient',
        api: headless ? '' : ', headless: false',
        ns: 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp',
        waypoints: `waypoints: [{ name: wp, namespace: shop, for: ${forWhat} }]`,
      }),
    );

  it('a waypoint for services is bypassed: callers address the pods, and results say so', () => {
    const e = bound('service');
    expect(e.routes).toEqual(['app -> ztunnel -> ztunnel -> app']);
    expect(e.waypointBypassed.mean).toBeCloseTo(e.rate.mean * 5, 6);
    // The same Service with a ClusterIP goes through it.
    const vip = bound('service', false);
    expect(vip.routes).toEqual(['app -> ztunnel -> waypoint -> ztunnel -> app']);
    expect(vip.waypointBypassed.mean).toBe(0);
  });

  it('a waypoint for workloads (or all) is taken: ztunnel sends pod-addressed traffic to it', () => {
    for (const f of ['workload', 'all']) {
      const e = bound(f);
      expect(e.routes).toEqual(['app -> ztunnel -> waypoint -> ztunnel -> app']);
      expect(e.waypointBypassed.mean).toBe(0);
    }
  });
});

// web's sidecar retries a per-try timeout (20 ms, retryOn reset, 2 retries) of its calls to api, whose
// two pods are v1 (1 ms) and v2 (100 ms: every attempt there times out). web uses its 8 long-lived
// connections in turn, each dialled to one of the two pods.
const slowPod = (headless: boolean) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: headless-retries }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - name: web
    serviceTime: 1ms
    calls: [{ to: api, perTryTimeout: 20ms, retries: 2, retryOn: [reset], connection: { type: long-lived, poolSize: 8 } }]
  - name: api
    serviceTime: 1ms
    concurrency: 1000
    versions: [{ name: v1, replicas: 1 }, { name: v2, replicas: 1, serviceTime: 100ms }]${headless ? '\n    headless: true' : ''}
traffic: [{ name: load, to: web, rate: 100/s }]
compare: [sidecar]
simulation: { duration: 11s, warmup: 1s, replications: 1 }
`;

describe("a sidecar's retries to a headless Service's pod", () => {
  const run = (headless: boolean) =>
    simulateArchitecture(parseScenario(slowPod(headless), 'headless-retries.yaml'), 'sidecar').edges.find(
      (e) => e.name === 'default/web -> default/api',
    )!;

  it('stay on the pod the connection dialled: a slow pod fails its calls after every retry', () => {
    const e = run(true);
    // The calls on connections pinned to v2 time out three times each; those on v1 pass at once (the
    // few retries more are of calls still retrying when the run ends).
    expect(e.failed.mean).toBeGreaterThan(100);
    expect(e.retries.mean - 2 * e.failed.mean).toBeGreaterThanOrEqual(0);
    expect(e.retries.mean - 2 * e.failed.mean).toBeLessThan(20);
    // With a ClusterIP, Envoy's retry goes to another pod (previous_hosts) and every call succeeds.
    const vip = run(false);
    expect(vip.failed.mean).toBe(0);
    expect(vip.retries.mean).toBeGreaterThan(100);
  });
});
