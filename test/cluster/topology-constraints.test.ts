// Required pod anti-affinity and DoNotSchedule topologySpreadConstraints (topology-constraints.ts).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import type { TopologyRule } from '../../src/scenario/types.ts';
import { frozen, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

function placed(replicas: number, rules: TopologyRule[] | undefined, pools = [pool({ count: 2 })]) {
  const s = frozen(
    scenario({
      pools,
      namespaces: [ns('shop', 'none')],
      services: [
        service('shop/web', { replicas, ...(rules ? { scheduling: { topologyRules: rules } } : {}) }),
      ],
      mesh: noIstiod(),
    }),
  );
  return place(s, 'none');
}

describe('topology rules', () => {
  it('required anti-affinity per hostname: one pod per node, the third unschedulable', () => {
    const p = placed(3, [{ kind: 'anti-affinity', topologyKey: 'kubernetes.io/hostname' }]);
    expect(p.pods.map((x) => x.node)).toEqual([0, 1, -1]);
    expect(p.unschedulable[0]!.reason).toBe(
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
    );
  });

  it('zone spread maxSkew 1: a full zone caps the other at one pod more', () => {
    // Zone a: one 16-CPU node; zone b: one 2-CPU node. Pods of 1 CPU.
    const pools = [
      pool({ name: 'big', count: 1, vcpu: 16, zones: ['a'] }),
      pool({ name: 'small', count: 1, vcpu: 2, zones: ['b'] }),
    ];
    const rule: TopologyRule = { kind: 'spread', topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 };
    const hard = placed(6, [rule], pools);
    expect(hard.pods.map((x) => x.node)).toEqual([0, 1, 0, 1, 0, -1]);
    expect(hard.unschedulable[0]!.reason).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints.",
    );
    // Without it the default spread only scores against the nodes' allocation (node-score.ts): the small
    // node, half full after one pod, takes the second and then only the sixth, when zone a's four pods
    // cost its spread score more (100 x (26 - 17) / 17 = 52, x 2) than its emptier cores gain.
    expect(placed(6, undefined, pools).pods.map((x) => x.node)).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('a tainted zone still counts for the spread (nodeTaintsPolicy Ignore): its 0 pods cap the others', () => {
    // Zones a and b open, zone c's only node tainted NoSchedule. kube-scheduler counts zone c's domain
    // (0 pods) in the minimum, so with maxSkew 1 zones a and b take one pod each and the third stays
    // Pending; leaving zone c out, as meshsim did, put it in zone a.
    const pools = [
      pool({ name: 'a', count: 1, zones: ['a'] }),
      pool({ name: 'b', count: 1, zones: ['b'] }),
      pool({
        name: 'c',
        count: 1,
        zones: ['c'],
        taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      }),
    ];
    const rule: TopologyRule = { kind: 'spread', topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 };
    const p = placed(3, [rule], pools);
    expect(p.pods.map((x) => x.node)).toEqual([0, 1, -1]);
    expect(p.unschedulable[0]!.reason).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match pod topology spread constraints.",
    );
  });

  it('minDomains above the eligible domains makes the minimum 0: one pod per zone of two', () => {
    const pools = [pool({ name: 'a', count: 1, zones: ['a'] }), pool({ name: 'b', count: 1, zones: ['b'] })];
    const rule: TopologyRule = { kind: 'spread', topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 };
    expect(placed(3, [rule], pools).pods.map((x) => x.node)).toEqual([0, 1, 0]);
    const p = placed(3, [{ ...rule, minDomains: 3 }], pools);
    expect(p.pods.map((x) => x.node)).toEqual([0, 1, -1]);
    expect(placed(3, [{ ...rule, minDomains: 2 }], pools).pods.map((x) => x.node)).toEqual([0, 1, 0]);
  });

  it('is parsed from the pod-spec fields (ScheduleAnyway ones apart: they only score)', async () => {
    const { parseScenario } = await import('../../src/scenario/index.ts');
    const text = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: custom, vcpu: 4, memory: 16Gi, count: 2 }]
services:
  - name: web
    podAntiAffinity: [kubernetes.io/hostname]
    topologySpreadConstraints:
      - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, minDomains: 3 }
      - { maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway }
traffic: [{ name: in, to: web, rate: 10/s }]
`;
    const s = parseScenario(text, 't.yaml');
    expect(s.services[0]!.scheduling).toEqual({
      topologyRules: [
        { kind: 'anti-affinity', topologyKey: 'kubernetes.io/hostname' },
        { kind: 'spread', topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, minDomains: 3 },
      ],
      softSpread: [{ topologyKey: 'kubernetes.io/hostname', maxSkew: 2 }],
    });
  });
});
