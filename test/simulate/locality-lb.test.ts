// Istio locality failover across zones and regions, and locality-weighted `distribute`
// (replication/locality-lb.ts, applied by replication/outliers.ts): the arithmetic by hand, then one
// gateway Envoy's choices on a built world, then end to end.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';
import {
  effective,
  localityWeights,
  priorityLoads,
  rawPriority,
} from '../../src/simulate/replication/locality-lb.ts';
import { templateFor } from '../../src/simulate/world/index.ts';

describe('locality arithmetic', () => {
  const a = { region: 'r1', zone: 'a' };
  const b = { region: 'r1', zone: 'b' };
  const c = { region: 'r2', zone: 'c' };
  const d = { region: 'r3', zone: 'd' };

  it("Istio's priorities: same zone 0, same region 2, elsewhere 3, elsewhere but not the failover region 4", () => {
    expect([a, b, c, d].map((x) => rawPriority(a, x, []))).toEqual([0, 2, 3, 3]);
    expect([a, b, c, d].map((x) => rawPriority(a, x, [{ from: 'r1', to: 'r3' }]))).toEqual([0, 2, 4, 3]);
    // A rule from another region does not apply.
    expect(rawPriority(a, c, [{ from: 'r2', to: 'r3' }])).toBe(3);
  });

  it("Envoy's split by priority health: spill-over, and the rounding remainder to the first healthy one", () => {
    expect(priorityLoads([100, 100], [])).toEqual([100, 0]);
    expect(priorityLoads([70, 100], [])).toEqual([70, 30]);
    expect(priorityLoads([0, 0, 100], [])).toEqual([0, 0, 100]);
    // 60 in all: floor(20 x 100 / 60) = 33 each, 1 left for the first.
    expect(priorityLoads([20, 20, 20], [])).toEqual([34, 33, 33]);
    expect(priorityLoads([0, 0], [])).toEqual([0, 0]);
  });

  it("Istio's locality weights: one locality per entry keeps its weight; a wildcard splits by endpoints, rounded up", () => {
    const places = [a, b, c];
    const to = { 'r1/a/*': 80, 'r2/c': 20 };
    expect(localityWeights({ from: 'r1/a/*', to }, places, [2, 1, 3], [])).toEqual([80, 0, 20]);
    expect(localityWeights({ from: '*', to: { 'r1/*': 100 } }, places, [2, 1, 3], [])).toEqual([67, 34, 0]);
  });

  it("Envoy's effective locality weight: weight x min(1, 1.4 x healthy / hosts)", () => {
    expect(effective(80, 1, 2)).toBeCloseTo(80 * 0.7, 12);
    expect(effective(80, 3, 4)).toBe(80);
    expect(effective(80, 0, 0)).toBe(0);
  });
});

/** Four single-node pools: zones a and b in region r1, c in r2, d in r3; one api replica per zone. */
function text(policy: string, extra = '') {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: locality }
cluster:
  nodePools:
    - { name: a, instanceType: m5.xlarge, count: 1, zones: [a], region: r1 }
    - { name: b, instanceType: m5.xlarge, count: 1, zones: [b], region: r1 }
    - { name: c, instanceType: m5.xlarge, count: 1, zones: [c], region: r2 }
    - { name: d, instanceType: m5.xlarge, count: 1, zones: [d], region: r3 }
namespaces: [{ name: shop }]
mesh: { ingressGateway: { replicas: 1, nodeSelector: { topology.kubernetes.io/zone: a } } }
services:
  - name: api
    namespace: shop
    replicas: 4
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone }]
    serviceTime: 1ms
    trafficPolicy: ${policy}
traffic:
  - { name: web, to: api.shop, rate: 100/s, arrival: constant, via: ingress }
compare: [none]
${extra}simulation: { duration: 40s, warmup: 1s, replications: 1 }
`;
}

function rig(policy: string) {
  const s = parseScenario(text(policy), 'l.yaml');
  const w = buildWorld(s, place(s, 'none'));
  const engine = new Replication(w, 'locality');
  const edge = w.edges[w.entryEdges[0]!]!;
  const client = w.entryClients[0]![0]!;
  const api = [...w.services[0]!.pods];
  const gateway = w.podProxy[edge.gatewayPods[0]!]!;
  const tpl = templateFor(edge, w.podKind[client]!, w.podKind[api[0]!]!);
  const { calls: k, outliers, balancing } = engine;
  const zone = (pod: number) => w.placement.nodes[w.podNode[pod]!]!.zone;
  const inZone = (z: string) => api.find((p) => zone(p) === z)!;
  /** The gateway's attempt to `pod` fails (a 503 past it). */
  const fail = (pod: number, now: number) => {
    const id = k.begin(edge.id, -1, client, now, false, 1);
    k.newAttempt(id);
    k.template[id] = tpl;
    k.dst[id] = pod;
    k.lb[id] = balancing.block(gateway, 0) + balancing.position[pod]!;
    outliers.failed(id, 1, now);
    k.release(id);
  };
  const zonesAllowed = (now: number, key: number) =>
    [...outliers.candidates(api, balancing.block(gateway, 0), gateway, 0, now, key, 0)].map(zone).sort();
  return { w, api, inZone, fail, zonesAllowed, zone };
}

const OD = 'outlierDetection: { consecutive5xxErrors: 1, maxEjectionPercent: 50 }';

describe('failover, one gateway Envoy in zone a (region r1)', () => {
  it('stays in its zone, then fails over to its region, then to every other region alike', () => {
    const r = rig(`{ ${OD} }`);
    expect(r.zonesAllowed(1, 1)).toEqual(['a']);
    r.fail(r.inZone('a'), 1);
    // Only b is left at priority 0 of what is healthy: all of the load goes there (health 140 % -> 100).
    for (let key = 0; key < 50; key++) expect(r.zonesAllowed(1, key)).toEqual(['b']);
    r.fail(r.inZone('b'), 1);
    for (let key = 0; key < 50; key++) expect(r.zonesAllowed(1, key)).toEqual(['c', 'd']);
  });

  it('failover r1 -> r3: with its region ejected it goes to r3, never to r2', () => {
    const r = rig(`{ ${OD}, loadBalancer: { localityLbSetting: { failover: [{ from: r1, to: r3 }] } } }`);
    r.fail(r.inZone('a'), 1);
    r.fail(r.inZone('b'), 1);
    for (let key = 0; key < 50; key++) expect(r.zonesAllowed(1, key)).toEqual(['d']);
  });

  it('is refused with distribute beside it, and a distribute must add up to 100', () => {
    expect(() =>
      parseScenario(
        text(
          '{ loadBalancer: { localityLbSetting: { failover: [{ from: r1, to: r3 }], distribute: [{ from: "*", to: { "r1": 100 } }] } } }',
        ),
        'l.yaml',
      ),
    ).toThrow(/distribute.*either 'distribute' or 'failover'/s);
    expect(() =>
      parseScenario(
        text(
          '{ loadBalancer: { localityLbSetting: { distribute: [{ from: "*", to: { "r2": 80, "r3": 10 } }] } } }',
        ),
        'l.yaml',
      ),
    ).toThrow(/weights adding up to 100, not 90/);
  });
});

const DISTRIBUTE =
  '{ loadBalancer: { localityLbSetting: { distribute: [{ from: "r1/a/*", to: { "r2/c/*": 80, "r3/d/*": 20 } }] } } }';

describe('distribute 80/20 from zone a to zones c and d', () => {
  it('the gateway draws c 80 % and d 20 % of the time, never a or b (no outlier detection needed)', () => {
    const r = rig(DISTRIBUTE);
    const n = 4000;
    let c = 0;
    for (let key = 0; key < n; key++) {
      const z = r.zonesAllowed(1, key);
      expect(z.length).toBe(1);
      expect(['c', 'd']).toContain(z[0]);
      if (z[0] === 'c') c++;
    }
    const sd = Math.sqrt(n * 0.8 * 0.2);
    expect(Math.abs(c - 0.8 * n)).toBeLessThan(4 * sd);
  });

  it('end to end: the replicas in c and d serve 80/20 of the requests within sampling error', () => {
    const s = parseScenario(text(DISTRIBUTE), 'l.yaml');
    const e = new Replication(buildWorld(s, place(s, 'none')), 'locality-e2e');
    e.run();
    const api = [...e.w.services[0]!.pods];
    const zone = (pod: number) => e.w.placement.nodes[e.w.podNode[pod]!]!.zone;
    const cpu = (z: string) => api.filter((p) => zone(p) === z).reduce((sum, p) => sum + e.apps.cpu[p]!, 0);
    expect(cpu('a')).toBe(0);
    expect(cpu('b')).toBe(0);
    const share = cpu('c') / (cpu('c') + cpu('d'));
    // About 4,000 requests: the share's standard deviation is under 0.01, its CPU per request varying.
    expect(Math.abs(share - 0.8)).toBeLessThan(0.05);
  });
});
