// A rollout's new pods go where kube-scheduler puts them (room.ts, replica-placement.ts): they are spread
// against each other (a new ReplicaSet, revision.ts), pods still starting included, on the room the old
// pods leave once they are gone.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

const rollout = (nodes: number) =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: replacement-placement }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: ${nodes} }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: 50/s, arrival: constant }
lifecycle: { podStartup: 10s, terminationGrace: 30s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: 1, maxUnavailable: 0 }
compare: [sidecar]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);

describe('where a rollout puts its new pods', () => {
  it("3 nodes, 2 pods: a rollout's new pods are spread against each other, not against the old revision", () => {
    const e = engineFor(rollout(3), 'sidecar');
    const pods = e.w.placement.byOwner.get('app/api')!;
    // istiod on node 0, api-0 and the load's client on node 1, api-1 on node 2.
    expect(pods.map((p) => e.w.placement.pods[p]!.node)).toEqual([1, 2]);
    e.run();
    // The rollout's pods belong to a new ReplicaSet, and kube-scheduler's default spread selects by the
    // ReplicaSet (revision.ts): the first new pod has no sibling yet, so resources alone decide (node 2
    // 688, node 1 687, node 0 681 of 700) and it goes beside the old api-1. The second sees the first
    // on node 2 (spread 77 against 100) and goes to node 1. Counting the old pods too sent the first to
    // node 0, the only node without one.
    expect(pods.map((p) => e.pods.node[p])).toEqual([2, 1]);
    expect(pods.map((p) => e.pods.gen[p])).toEqual([1, 1]);
    expect(e.disruption[0]!.podsRestarted).toBe(2);
    expect(conserved(e)).toBe(true);
  });

  it("a pod evicted from a dead node goes to the node without one of its owner's pods, not the emptiest", () => {
    const e = engineFor(
      scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: eviction-placement }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
services:
  - { name: api, replicas: 3, serviceTime: 1ms, resources: { requests: { cpu: 100m } } }
  - { name: batch, replicas: 1, serviceTime: 1ms, resources: { requests: { cpu: 1 } } }
traffic:
  - { name: web, to: api, rate: 20/s, timeout: 1s }
events:
  - { at: 5s, fault: node, selector: "1", recovery: 200s, evictAfter: 10s }
compare: [none]
simulation: { duration: 100s, warmup: 1s, replications: 1 }
`),
      'none',
    );
    const api = e.w.placement.byOwner.get('default/api')!;
    const batch = e.w.placement.byOwner.get('default/batch')!;
    expect(api.map((p) => e.w.placement.pods[p]!.node)).toEqual([0, 1, 2]);
    expect(e.w.placement.pods[batch[0]!]!.node).toBe(3);
    e.run();
    // Node 3 has the least free CPU (batch's 1 core) but none of api's pods: kube-scheduler's default
    // spread puts the replacement there; the most free CPU would have said node 0.
    expect(e.pods.node[api[1]!]).toBe(3);
    expect(e.disruption[0]!.podsRestarted).toBe(1);
    expect(conserved(e)).toBe(true);
  });

  it("a pod created mid-run is scored on kube-scheduler's requests: 100m for each container that asks none", () => {
    // Node a holds four pods that request nothing (scored 400m), node b one of 200m, node c web's pod and
    // the load's client. web's second pod avoids c (the spread) and goes to b: 200m + 100m scored against
    // a's 400m + 100m. On the requests alone a would look empty (0 against 200m).
    const e = engineFor(
      scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: scoring-placement }
cluster:
  nodePools:
    - { name: a, instanceType: m5.xlarge, count: 1, zones: [z1], labels: { pool: a } }
    - { name: b, instanceType: m5.xlarge, count: 1, zones: [z1], labels: { pool: b } }
    - { name: c, instanceType: m5.xlarge, count: 1, zones: [z1], labels: { pool: c } }
services:
  - { name: idle, replicas: 4, serviceTime: 1ms, nodeSelector: { pool: a }, resources: { requests: { cpu: 0, memory: 0 } } }
  - { name: small, replicas: 1, serviceTime: 1ms, nodeSelector: { pool: b }, resources: { requests: { cpu: 200m } } }
  - { name: web, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: load, to: web, rate: 20/s, clientPod: { nodeSelector: { pool: c } } }
lifecycle: { podStartup: 2s }
events:
  - { at: 5s, scale: web, replicas: 2 }
compare: [none]
simulation: { duration: 20s, warmup: 1s, replications: 1 }
`),
      'none',
    );
    const node = (name: string) => e.w.placement.nodes.findIndex((n) => n.pool === name);
    const web = e.w.placement.byOwner.get('default/web')!;
    expect(e.w.placement.pods[web[0]!]!.node).toBe(node('c'));
    e.run();
    expect(web.map((p) => e.pods.node[p])).toEqual([node('c'), node('b')]);
    expect(conserved(e)).toBe(true);
  });

  // api's two pods beside a batch pod in a namespace without sidecars (the upgrade leaves it), istiod
  // (500m) on node 0, every node in one zone; the dataplane upgrade rolls api with the given surge.
  const beside = (nodes: number, batchCpu: string, surge: number, unavailable: number) => {
    const e = engineFor(
      scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: rollout-spread }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: ${nodes}, zones: [z1] }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }, { name: jobs }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 1ms, resources: { requests: { cpu: 100m } } }
  - { name: batch, namespace: jobs, replicas: 1, serviceTime: 1ms, resources: { requests: { cpu: ${batchCpu} } } }
traffic:
  - { name: web, to: api.app, rate: 50/s, arrival: constant }
lifecycle: { podStartup: 10s, terminationGrace: 30s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: ${surge}, maxUnavailable: ${unavailable} }
compare: [sidecar]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`),
      'sidecar',
    );
    const api = e.w.placement.byOwner.get('app/api')!;
    const batch = e.w.placement.byOwner.get('jobs/batch')![0]!;
    return { e, api, batch: e.w.placement.pods[batch]!.node };
  };

  it("without a surge the old pod's requests hold its node until it is gone", () => {
    // On 4 nodes: api on nodes 1 and 2, a 1-core batch pod on node 3. The first replacement (api-0's)
    // finds its old pod terminating on node 1: kube-scheduler no longer counts it for the spread, but
    // its requests stay on the node until it is deleted, so node 2 scores higher (688 against 687) and
    // takes it. The second (api-1's) sees the first on node 2 and node 1 free again (692): it goes there.
    const { e, api, batch } = beside(4, '1', 0, 1);
    const start = api.map((p) => e.w.placement.pods[p]!.node);
    expect(start).toEqual([1, 2]);
    expect(batch).toBe(3);
    e.run();
    expect(api.map((p) => e.pods.node[p])).toEqual([2, 1]);
    expect(api.map((p) => e.pods.gen[p])).toEqual([1, 1]);
    expect(conserved(e)).toBe(true);
  });

  it('a replacement still starting counts for the spread: two surged pods do not both go to the emptiest node', () => {
    // On 5 nodes: api on nodes 1 and 2, a 500m batch pod on node 3, node 4 empty. With a surge of 2 both
    // new pods are bound at once while the old ones run: the first goes to node 4 (692 of 700), and the
    // second, seeing the first bound there (641), to node 1 or 2 (688 each, beside an old pod of another
    // ReplicaSet): below 100 nodes meshsim gives a tie to the lowest index where kube-scheduler picks at
    // random (scheduler.ts). Counting only pods that have started, as meshsim did, put both on node 4.
    const { e, api, batch } = beside(5, '500m', 2, 0);
    expect(api.map((p) => e.w.placement.pods[p]!.node)).toEqual([1, 2]);
    expect(batch).toBe(3);
    e.run();
    expect(api.map((p) => e.pods.node[p])).toEqual([4, 1]);
    expect(conserved(e)).toBe(true);
  });
});
