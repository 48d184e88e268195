// trafficDistribution's tiers (replication/locality.ts): PreferSameNode before the zone, and Istio's
// region before the rest where kube-proxy goes straight to every endpoint. Two regions: zone a1 of region
// r1 has two nodes, b1 one, and region r2 one node in c2; an api pod on each node, the caller in a1.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

const text = (distribution: string, kubernetes = '1.34') => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: tiers }
cluster:
  kubernetesVersion: "${kubernetes}"
  nodePools:
    - { name: a1, instanceType: m5.xlarge, count: 2, zones: [a1], region: r1 }
    - { name: b1, instanceType: m5.xlarge, count: 1, zones: [b1], region: r1 }
    - { name: c2, instanceType: m5.xlarge, count: 1, zones: [c2], region: r2 }
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - name: web
    replicas: 1
    serviceTime: 1ms
    nodeSelector: { topology.kubernetes.io/zone: a1 }
    calls: [{ to: api }]
  - name: api
    replicas: 4
    serviceTime: 1ms
    trafficDistribution: ${distribution}
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule }]
traffic: [{ name: load, to: web, rate: 10/s }]
compare: [sidecar]
simulation: { duration: 2s, warmup: 1s, replications: 1 }
`;

function rig(distribution: string) {
  const s: Scenario = parseScenario(text(distribution), 'tiers.yaml');
  const w = buildWorld(s, place(s, 'sidecar'));
  const e = new Replication(w, 'tiers');
  const api = s.services.findIndex((x) => x.name === 'api');
  const pods = [...w.placement.byOwner.get('default/api')!];
  const web = w.placement.byOwner.get('default/web')![0]!;
  const node = (p: number) => w.placement.pods[p]!.node;
  const zone = (p: number) => w.placement.nodes[node(p)]!.zone;
  const region = (p: number) => w.placement.nodes[node(p)]!.region;
  /** What each chooser may send web's call to now. */
  const choices = (istio: boolean) => [...e.locality.endpoints(api, web, istio)].sort((a, b) => a - b);
  return { e, pods, web, node, zone, region, choices };
}

describe('trafficDistribution tiers', () => {
  it('PreferSameNode: the caller node, then its zone, then Istio its region, kube-proxy every endpoint', () => {
    const { e, pods, web, node, zone, region, choices } = rig('PreferSameNode');
    expect(new Set(pods.map(node)).size).toBe(4);
    const onNode = pods.filter((p) => node(p) === node(web));
    const inZone = pods.filter((p) => zone(p) === 'a1' && node(p) !== node(web));
    const inRegion = pods.filter((p) => zone(p) === 'b1');
    const far = pods.filter((p) => region(p) === 'r2');
    expect([onNode.length, inZone.length, inRegion.length, far.length]).toEqual([1, 1, 1, 1]);
    for (const istio of [true, false]) expect(choices(istio)).toEqual(onNode);
    e.pods.setReady(onNode[0]!, false);
    for (const istio of [true, false]) expect(choices(istio)).toEqual(inZone);
    e.pods.setReady(inZone[0]!, false);
    expect(choices(true)).toEqual(inRegion);
    expect(choices(false)).toEqual([...inRegion, ...far].sort((a, b) => a - b));
  });

  it('PreferClose and PreferSameZone: the caller zone, then Istio its region', () => {
    for (const d of ['PreferClose', 'PreferSameZone']) {
      const { e, pods, zone, choices } = rig(d);
      const a1 = pods.filter((p) => zone(p) === 'a1');
      expect(choices(true)).toEqual(a1);
      expect(choices(false)).toEqual(a1);
      for (const p of a1) e.pods.setReady(p, false);
      expect(choices(true)).toEqual(pods.filter((p) => zone(p) === 'b1'));
      expect(choices(false)).toEqual(pods.filter((p) => zone(p) !== 'a1'));
    }
  });

  it('PreferSameNode and PreferSameZone need Kubernetes 1.34 (PreferSameTrafficDistribution)', () => {
    expect(() => parseScenario(text('PreferSameNode', '1.33'), 'tiers.yaml')).toThrow(
      /trafficDistribution.*PreferClose under Kubernetes 1\.33/s,
    );
    expect(() => parseScenario(text('PreferClose', '1.33'), 'tiers.yaml')).not.toThrow();
  });
});
