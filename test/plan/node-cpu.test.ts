// Planned node CPU by hand: each component's usage spread over its pods by CPU request.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { nodeShares, onPool, plannedCpu } from '../../src/plan/index.ts';
import { tiny } from './fixture.ts';

describe('plannedCpu', () => {
  it('spreads each component by request, DaemonSets evenly, on the scheduler placement', () => {
    // Five pods of 450m on three 2-core nodes: the owner spread puts 2, 2 and 1 of them on the nodes.
    const s = tiny({ replicas: 5, cpu: '450m' });
    const p = place(onPool(s, s.cluster.nodePools[0]!, 3), 'ambient');
    const perNode = p.nodes.map((_, n) => p.pods.filter((x) => x.node === n && x.kind === 'app').length);
    expect([...perNode].sort()).toEqual([1, 2, 2]);
    const sh = nodeShares(p);
    // 2.5 cores of application over 5 pods: 1 core on a node with two, 0.5 with one; ztunnel 0.3 cores,
    // 0.1 on each node; istio-cni 0.03, 0.01 each.
    const cpu = plannedCpu(sh, { application: 2.5, ztunnel: 0.3, 'istio-cni': 0.03 });
    expect(cpu.max).toBeCloseTo((1 + 0.1 + 0.01) / 2, 12);
    expect(cpu.mean).toBeCloseTo((2.5 + 0.3 + 0.03) / 3 / 2, 12);
    // A component the cluster does not run (no sidecars in ambient) adds nothing.
    expect(plannedCpu(sh, { application: 2.5, ztunnel: 0.3, 'istio-cni': 0.03, sidecar: 9 })).toEqual(cpu);
  });

  it('weighs pods by their requests: a pod asking twice as much carries twice the share', () => {
    const s = tiny({ replicas: 2, cpu: '500m' });
    // Ask the second pod's service for more by adding a second service on the same node.
    s.services.push({ ...structuredClone(s.services[0]!), name: 'big', key: 'app/big', replicas: 1 });
    s.services[1]!.resources.requests.cpu = 1;
    const p = place(onPool(s, s.cluster.nodePools[0]!, 1), 'none');
    const cpu = plannedCpu(nodeShares(p), { application: 1 });
    // One 2-core node holds everything: 1 core used, whatever the split.
    expect(cpu.max).toBeCloseTo(0.5, 12);
    const two = place(onPool(s, s.cluster.nodePools[0]!, 2), 'none');
    const byNode = two.nodes.map((_, n) =>
      two.pods
        .filter((x) => x.node === n && x.kind === 'app')
        .reduce((a, x) => a + x.requests.application!.cpu, 0),
    );
    const shares = nodeShares(two).shares.get('application')!;
    expect([...shares]).toEqual(byNode.map((r) => r / 2));
  });
});
