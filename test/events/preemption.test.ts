// A ztunnel update on a full node: the new ztunnel (system-node-critical) preempts application pods
// there instead of waiting forever.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

describe('DaemonSet update on full nodes', () => {
  it('the surge ztunnel preempts an application pod on its full node and the update completes', () => {
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: full }
cluster:
  nodePools: [{ name: n, instanceType: custom, vcpu: 4, memory: 16Gi, pricePerHour: 0.1, count: 3, systemReserved: { cpu: 0, memory: 0 } }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: api, namespace: app, replicas: 6, serviceTime: 1ms, resources: { requests: { cpu: 1.6, memory: 1Gi } } }
traffic:
  - { name: web, to: api.app, rate: 20/s }
lifecycle: { podStartup: 5s, terminationGrace: 10s, preStop: 1s }
events:
  - { at: 5s, upgrade: dataplane }
compare: [ambient]
simulation: { duration: 150s, warmup: 1s, replications: 1 }
`);
    const e = engineFor(s, 'ambient');
    const nodes = e.w.placement.nodes.length;
    const free = e.w.placement.nodes.map((n, i) => n.allocatable.cpu - e.w.placement.requested[i]!.total.cpu);
    // Worked out: node 0 holds istiod (0.5), ztunnel (0.2), istio-cni (0.1) and two api pods (3.2): 4.0 of
    // 4 cores, nothing free for the surge ztunnel's 200m. Evicting both api pods frees 3.2; reprieving the
    // first still leaves 1.6 >= 0.2, so exactly one is preempted. Nodes 1 and 2 have 0.5 free each: its
    // replacement (1.6) stays pending, and api runs at 5 of 6 replicas from then on.
    expect(free[0]).toBeCloseTo(0, 9);
    expect(free[1]).toBeCloseTo(0.5, 9);
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.podsPreempted).toBe(1);
    expect(rec.podsRestarted).toBe(0);
    // Pending: the new ztunnel until its victim has terminated, and the victim's replacement for good.
    expect(rec.surge.pendingPods).toBe(2);
    expect(rec.lowestReadyCapacity['app/api']).toBeCloseTo(5 / 6, 9);
    expect(rec.daemonSetPodsReplaced).toBe(nodes);
    expect(rec.completed).toBe(true);
    expect(conserved(e)).toBe(true);
  });
});
