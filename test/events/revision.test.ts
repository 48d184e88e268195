// Which of its owner's pods a placed pod's default spread counts while a rollout runs (revision.ts,
// room.ts ownerPods): the rollout's pods for its new pods and for the replacement of a rolled index, the
// old pods for the replacement of an index not rolled yet; every pod when no rollout runs.
import { describe, expect, it } from 'vitest';
import { ReplicaPlacement } from '../../src/events/replica-placement.ts';
import { beginRevision, endRevision } from '../../src/events/revision.ts';
import { ownerPods } from '../../src/events/room.ts';
import { engineFor, scenario } from './helpers.ts';

const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: revision }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3, zones: [z1] }]
services:
  - { name: api, replicas: 3, serviceTime: 1ms, podAntiAffinity: [kubernetes.io/hostname] }
traffic:
  - { name: web, to: api, rate: 10/s }
compare: [none]
simulation: { duration: 5s, warmup: 1s, replications: 1 }
`);

describe('the pods a placed pod is spread against during a rollout', () => {
  it('its own ReplicaSet: the rollout for its pods and their replacements, the old pods otherwise', () => {
    const e = engineFor(s, 'none');
    const host = e.host;
    const [a, b, c] = e.w.placement.byOwner.get('default/api')!;
    const node = (p: number) => host.podNode[p]!;
    expect(new Set([a, b, c].map((p) => node(p!))).size).toBe(3);
    const every = [a, b, c].map((p) => node(p!)).sort();
    const sorted = (xs: readonly number[] | undefined) => (xs ? [...xs].sort() : xs);
    // No rollout: every pod, and no separate list.
    expect(ownerPods(host, 'default/api', b!, false).revision).toBeUndefined();
    const rolled = beginRevision(host, 'default/api');
    rolled.add(a!); // index a has taken over with its new pod
    expect(sorted(ownerPods(host, 'default/api', b!, true).revision)).toEqual([node(a!)]);
    expect(sorted(ownerPods(host, 'default/api', a!, false).revision)).toEqual([node(a!)]);
    expect(sorted(ownerPods(host, 'default/api', c!, false).revision)).toEqual(sorted([node(b!), node(c!)]));
    // The required anti-affinity and the DoNotSchedule spread still count every pod.
    expect(sorted(ownerPods(host, 'default/api', c!, false).all)).toEqual(every);
    expect(sorted(ownerPods(host, 'default/api', c!, false).live)).toEqual(every);
    endRevision(host, 'default/api', rolled);
    expect(ownerPods(host, 'default/api', c!, true).revision).toBeUndefined();
  });
});

describe("matchLabelKeys [pod-template-hash]: a DoNotSchedule spread over the pod's own ReplicaSet", () => {
  const spread = (keys: string) =>
    scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: match-label-keys }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3, zones: [z1] }]
services:
  - name: api
    replicas: 2
    serviceTime: 1ms
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname${keys} }]
traffic:
  - { name: web, to: api, rate: 10/s }
compare: [none]
simulation: { duration: 5s, warmup: 1s, replications: 1 }
`);

  it("counts the rollout's pods only: with the third node excluded, a new pod may join an old one", () => {
    for (const [keys, expected] of [
      ['', -1],
      [', matchLabelKeys: [pod-template-hash]', 'placed'],
    ] as const) {
      const s = spread(keys);
      expect(s.services[0]!.scheduling?.topologyRules?.[0]).toEqual({
        kind: 'spread',
        topologyKey: 'kubernetes.io/hostname',
        maxSkew: 1,
        ...(keys ? { perRevision: true } : {}),
      });
      const e = engineFor(s, 'none');
      const host = e.host;
      const pods = e.w.placement.byOwner.get('default/api')!;
      const on = pods.map((p) => host.podNode[p]!);
      const third = [0, 1, 2].find((n) => !on.includes(n))!;
      // A rollout of api has begun and bound nothing yet: old pods on two nodes, the third excluded
      // (say it is being drained). Counting every pod, both old nodes hold 1 against the third's 0:
      // nowhere within maxSkew 1. Counting the new ReplicaSet's pods (none), any node is.
      beginRevision(host, 'default/api');
      const placement = new ReplicaPlacement(host, e.w.placement.pods[pods[0]!]!);
      const choice = placement.choose(
        0.1,
        128 * 2 ** 20,
        { cpu: 0, memory: 0 },
        ownerPods(host, 'default/api', pods[0]!, true),
        third,
      );
      if (expected === -1) {
        expect(choice.node).toBe(-1);
        expect(choice.reason).toContain("didn't match pod topology spread constraints");
      } else expect(on).toContain(choice.node);
    }
  });
});
