// What a headless Service costs the proxies that hold it (mesh/config-size.ts), by hand: a sidecar gets an
// ORIGINAL_DST cluster with no endpoints and, for a TCP port, one listener per pod but its own (istio/istio
// 1.28.0 pilot/pkg/networking/core/cluster.go convertResolution, listener.go
// buildSidecarOutboundListeners); the ingress gateway gets it as EDS. shop: web (2 pods) calls db (5 pods)
// over `protocol`; db calls cache (3 pods).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { configSize, proxyMemory } from '../../src/mesh/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const Mi = 1024 * 1024;

const text = (o: { protocol?: string; db?: string; mesh?: string } = {}) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: headless-config }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: shop, replicas: 2, serviceTime: 1ms, calls: [{ to: db, protocol: ${o.protocol ?? 'tcp'} }] }
  - { name: db, namespace: shop, replicas: 5, serviceTime: 1ms, calls: [{ to: cache }]${o.db ?? ', headless: true'} }
  - { name: cache, namespace: shop, replicas: 3, serviceTime: 1ms }
traffic: [{ name: load, to: shop/web, rate: 10/s }]
${o.mesh ? `mesh: ${o.mesh}\n` : ''}compare: [sidecar]
simulation: { duration: 2s, warmup: 0s, replications: 1 }
`;

function rig(o: Parameters<typeof text>[0] = {}) {
  const s = parseScenario(text(o), 'headless-config.yaml');
  const placement = place(s, 'sidecar');
  return { s, size: (cls: 'sidecar' | 'gateway', owner: string) => configSize(s, placement, cls, owner) };
}

describe("a headless Service in its callers' configuration", () => {
  it('a sidecar holds no endpoint of it but, called over TCP, a listener per pod', () => {
    const { size } = rig();
    // web's sidecar: clusters web, db, cache; endpoints web 2 + cache 3 (none of db's); 5 db listeners.
    expect(size('sidecar', 'shop/web')).toMatchObject({ clusters: 3, endpoints: 5, listeners: 5 });
    // A db pod's sidecar holds no listener for its own address.
    expect(size('sidecar', 'shop/db')).toMatchObject({ clusters: 3, endpoints: 5, listeners: 4 });
    // The gateway cannot use an ORIGINAL_DST cluster: EDS, every endpoint, no listener of its own.
    expect(size('gateway', 'istio-ingress/istio-ingressgateway')).toMatchObject({
      endpoints: 2 + 5 + 3,
      listeners: 0,
    });
  });

  it('called over HTTP only, it costs one wildcard listener (shared) and no endpoints', () => {
    expect(rig({ protocol: 'http1' }).size('sidecar', 'shop/web')).toMatchObject({
      endpoints: 5,
      listeners: 0,
    });
    // With a ClusterIP: its 5 endpoints, no listeners.
    expect(rig({ db: '' }).size('sidecar', 'shop/web')).toMatchObject({ endpoints: 10, listeners: 0 });
  });

  it('each listener costs memoryPerListener, by default a cluster (0.092 Mi)', () => {
    const { s, size } = rig();
    const cost = s.mesh.sidecar.cost;
    const web = size('sidecar', 'shop/web');
    const base = cost.memoryBase + 3 * cost.memoryPerCluster + 5 * cost.memoryPerEndpoint;
    expect(proxyMemory(cost, web, 0)).toBeCloseTo(base + 5 * 0.092 * Mi, 3);
    const custom = rig({ mesh: '{ sidecar: { cost: { memoryPerListener: 10Ki } } }' });
    const c = custom.s.mesh.sidecar.cost;
    expect(proxyMemory(c, custom.size('sidecar', 'shop/web'), 0)).toBeCloseTo(base + 5 * 10 * 1024, 3);
  });
});

describe('what a headless Service refuses', () => {
  const problems = (db: string) => {
    try {
      parseScenario(text({ db }), 'headless-config.yaml');
      return [];
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return e.issues.map((i) => `${i.path} ${i.expected}`);
    }
  };
  it('trafficDistribution, internalTrafficPolicy Local and weighted versions: nothing reads them', () => {
    expect(problems(', headless: true, trafficDistribution: PreferClose')).toEqual([
      'services[1].trafficDistribution nothing on a headless Service (its callers connect to the pods DNS names)',
    ]);
    expect(problems(', headless: true, internalTrafficPolicy: Local')[0]).toMatch(
      /^services\[1\]\.internalTrafficPolicy Cluster or nothing/,
    );
    // (db's replicas also clash with versions, a problem of its own)
    const split = problems(
      ', headless: true, versions: [{ name: v1, weight: 90 }, { name: v2, weight: 10 }]',
    );
    expect(split.filter((p) => p.startsWith('services[1].versions'))).toEqual([
      'services[1].versions[0].weight no weight on a headless Service (a sidecar sends each request to the pod its caller dialled)',
    ]);
    expect(problems(', headless: true, internalTrafficPolicy: Cluster')).toEqual([]);
  });
});
