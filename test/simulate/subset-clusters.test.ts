// A service whose versions are split by weight is a cluster per subset in each Envoy (balancing.ts):
// what Envoy keeps per cluster is kept per subset. Checked against Erlang's loss formula for the
// max_requests circuit breaker (each subset an M/G/N/N system of its own), and by hand for outlier
// detection's max ejection percent (a share of the subset's hosts, not the service's).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';
import { templateFor } from '../../src/simulate/world/index.ts';
import { erlangB } from '../helpers/queueing.ts';

const scenario = (
  api: string,
  policy: string,
  waypoint: boolean,
  webReplicas: number,
) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: subsets }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4, zones: [a, b] }]
namespaces:
  - name: default
    labels: { ${waypoint ? 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp' : 'istio-injection: enabled'} }
${waypoint ? 'waypoints: [{ name: wp, namespace: default, replicas: 1 }]\n' : ''}services:
  - { name: web, replicas: ${webReplicas}, serviceTime: 1ms, calls: [{ to: api }] }
  - name: api
    ${api}
    serviceTime: 100ms
    cpuFraction: 0.01
    trafficPolicy: ${policy}
traffic: [{ name: load, to: web, rate: 200/s, arrival: poisson }]
compare: [${waypoint ? 'ambient' : 'sidecar'}]
simulation: { duration: 31s, warmup: 1s, replications: 1 }
`;
const SPLIT = 'versions: [{ name: v1, replicas: 2, weight: 1 }, { name: v2, replicas: 2, weight: 1 }]';
const UNSPLIT = 'versions: [{ name: v1, replicas: 2 }, { name: v2, replicas: 2 }]';

function engine(api: string, policy: string, waypoint = false, webReplicas = 1) {
  const s = parseScenario(scenario(api, policy, waypoint, webReplicas), 'subsets.yaml');
  return new Replication(buildWorld(s, place(s, waypoint ? 'ambient' : 'sidecar')), 'subsets');
}

describe('subset clusters: max_requests per subset (Erlang B per subset)', () => {
  const refused = (api: string, waypoint = false, webReplicas = 1) => {
    const e = engine(api, '{ connectionPool: { http: { http2MaxRequests: 10 } } }', waypoint, webReplicas);
    e.run();
    const edge = e.w.edges.findIndex((x) => x.from >= 0);
    return e.recorder.edgeOverflows[edge]! / e.recorder.edgeCalls[edge]!;
  };

  it('one cluster at 20 erlangs refuses B(10, 20) = 53.8 %; two subsets at 10 each refuse B(10, 10) = 21.5 %', () => {
    const one = refused(UNSPLIT);
    const two = refused(SPLIT);
    expect(one).toBeGreaterThan(erlangB(10, 20) - 0.03);
    expect(one).toBeLessThan(erlangB(10, 20) + 0.03);
    expect(erlangB(10, 10)).toBeCloseTo(0.215, 3);
    expect(two).toBeGreaterThan(erlangB(10, 10) - 0.03);
    expect(two).toBeLessThan(erlangB(10, 10) + 0.03);
  });

  it("a subset's own limit: v2 allows 5, so half the calls meet B(10, 10) and half B(5, 10) = 56.4 %", () => {
    const own =
      'versions: [{ name: v1, replicas: 2, weight: 1 }, { name: v2, replicas: 2, weight: 1, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 5 } } } }]';
    const mixed = refused(own);
    const b = 0.5 * erlangB(10, 10) + 0.5 * erlangB(5, 10);
    expect(erlangB(5, 10)).toBeCloseTo(0.564, 3);
    expect(mixed).toBeGreaterThan(b - 0.03);
    expect(mixed).toBeLessThan(b + 0.03);
  });

  it('behind one waypoint, four callers meet in its two subset clusters: B(10, 10) again', () => {
    const two = refused(SPLIT, true, 4);
    expect(two).toBeGreaterThan(erlangB(10, 10) - 0.03);
    expect(two).toBeLessThan(erlangB(10, 10) + 0.03);
  });
});

describe('subset clusters: outlier detection by hand', () => {
  // v1 has three pods, v2 one; 50 % may be ejected.
  const od =
    '{ outlierDetection: { consecutive5xxErrors: 2, maxEjectionPercent: 50 }, loadBalancer: { localityLbSetting: { enabled: false } } }';
  const rig = (split: boolean, v2Policy = '') => {
    const versions = `versions: [{ name: v1, replicas: 3${split ? ', weight: 3' : ''} }, { name: v2, replicas: 1${split ? ', weight: 1' : ''}${v2Policy} }]`;
    const e = engine(versions, od);
    const w = e.w;
    const edge = w.edges.find((x) => x.from >= 0)!;
    const web = w.services[edge.from]!.pods[0]!;
    const api = [...w.services[edge.to]!.pods];
    const proxy = w.podProxy[web]!;
    const base = e.balancing.block(proxy, edge.to);
    const first = w.versionSplit[edge.to]?.first ?? 0;
    const blockOf = (pod: number) =>
      split ? e.balancing.subsetBlock(base, edge.to, w.podVersion[pod]! - first) : base;
    const fail = (pod: number) => {
      const k = e.calls;
      const id = k.begin(edge.id, -1, web, 1, false, 1);
      k.newAttempt(id);
      k.template[id] = templateFor(edge, w.podKind[web]!, w.podKind[pod]!);
      k.dst[id] = pod;
      k.step[id] = 2;
      k.lb[id] = blockOf(pod) + e.balancing.position[pod]!;
      e.outliers.failed(id, 3, 1);
      k.release(id);
    };
    const allowed = (pod: number) => e.outliers.candidates(api, blockOf(pod), proxy, edge.to, 1, 7, 0);
    const v2 = api.find((p) => w.versions[w.podVersion[p]!]!.name === 'v2')!;
    const v1 = api.find((p) => w.versions[w.podVersion[p]!]!.name === 'v1')!;
    return { e, api, fail, allowed, v1, v2 };
  };

  it("v2's only pod is one of four hosts in one cluster (25 %: ejected), all of its subset's (100 %: not)", () => {
    const one = rig(false);
    one.fail(one.v2);
    one.fail(one.v2);
    expect(one.allowed(one.v2)).not.toContain(one.v2);
    const two = rig(true);
    two.fail(two.v2);
    two.fail(two.v2);
    expect(two.allowed(two.v2)).toContain(two.v2);
    expect(two.e.outliers.overflows).toBe(1);
    // One of v1's three is 33 % of its subset: ejected, and v2's count is not v1's.
    two.fail(two.v1);
    two.fail(two.v1);
    expect(two.allowed(two.v1)).not.toContain(two.v1);
    expect(two.e.outliers.ejections).toBe(1);
  });

  it("a subset's own maxEjectionPercent: v2 at 100 % ejects its only pod, where the rule's 50 % would not", () => {
    const two = rig(
      true,
      ', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2, maxEjectionPercent: 100 } }',
    );
    two.fail(two.v2);
    two.fail(two.v2);
    expect(two.allowed(two.v2)).not.toContain(two.v2);
    expect(two.e.outliers.ejections).toBe(1);
  });

  it('keeps a block per subset for every Envoy that balances the service', () => {
    const two = rig(true);
    const blocks = two.e.balancing.blocksOf(two.e.w.edges.find((x) => x.from >= 0)!.to);
    const one = rig(false);
    const single = one.e.balancing.blocksOf(one.e.w.edges.find((x) => x.from >= 0)!.to);
    expect(blocks.length).toBe(2 * single.length);
    expect(new Set(blocks.map((b) => b.block)).size).toBe(blocks.length);
  });
});
