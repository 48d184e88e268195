// Pods evicted from a failed node, and the node's return: a replacement that found no other node may go
// back to it once it is schedulable again, and a pod its ReplicaSet deleted meanwhile is neither replaced
// nor restarted there.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

// Two nodes, api's two pods one per node (hostname anti-affinity); node 0 fails at 1 s, is NotReady
// (tainted, closed to new pods) at 6 s, its pods are evicted at 11 s, and it is back at 21 s.
const failing = (events = '') =>
  engineFor(
    scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: eviction-recovery }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2, zones: [z1, z2] }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - name: api
    namespace: app
    replicas: 2
    serviceTime: 1ms
    resources: { requests: { cpu: 100m } }
    podAntiAffinity: [kubernetes.io/hostname]
traffic:
  - { name: web, to: api.app, rate: 40/s, timeout: 2s }
lifecycle: { podStartup: 3s, terminationGrace: 10s }
events:
  - { at: 1s, fault: node, selector: "0", recovery: 20s, notReadyAfter: 5s, evictAfter: 5s }
${events}
compare: [sidecar]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`),
    'sidecar',
  );

describe('evictions and the node coming back', () => {
  it('an evicted pod with nowhere else to go waits Pending and goes back to its node once it is back', () => {
    const e = failing();
    const api = e.w.placement.byOwner.get('app/api')!;
    const onFailed = api.find((p) => e.w.placement.pods[p]!.node === 0)!;
    e.run();
    // The other node holds api's other pod (anti-affinity): Pending from the eviction (11 s) until the
    // node is schedulable again (21 s), then bound there and ready after its start-up.
    const d = e.disruption[0]!;
    expect(d.surge).toMatchObject({ pendingPods: 1, pendingSeconds: 10 });
    expect(e.pods.node[onFailed]).toBe(0);
    expect(e.pods.gen[onFailed]).toBe(1);
    expect(api.map((p) => e.pods.ready[p])).toEqual([1, 1]);
    expect(conserved(e)).toBe(true);
  });

  it('a pod its ReplicaSet deleted before the eviction is neither replaced nor restarted on the node', () => {
    const e = failing('  - { at: 6s, scale: api.app, replicas: 0 }');
    e.run();
    const api = e.w.placement.byOwner.get('app/api')!;
    expect(e.disruption[0]!.surge.pendingPods).toBe(0);
    expect(api.every((p) => e.pods.ready[p] === 0)).toBe(true);
    expect(e.pods.readyCount('app/api')).toBe(0);
    expect(conserved(e)).toBe(true);
  });
});
