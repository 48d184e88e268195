// The kubelet's eviction manager (node-pressure.ts): nodes packed by requests whose sidecars use more
// than they request come under memory pressure and evict pods, one at a time, until what is left fits.
import { describe, expect, it } from 'vitest';
import { measure } from '../../src/simulate/summarise/measure.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

const text = (sidecarMemory: string) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: pressure }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
mesh: { sidecar: { cost: { memoryBase: ${sidecarMemory} } } }
services:
  - { name: api, replicas: 24, serviceTime: 1ms, resources: { requests: { cpu: 10m, memory: 1Gi } } }
traffic: [{ name: load, to: api, rate: 50/s }]
compare: [sidecar, ambient]
simulation: { duration: 30s, warmup: 1s, replications: 1 }
`;

/** What each node's running pods use at the end, against its allocatable memory. */
function nodeUse(e: ReturnType<typeof engineFor>) {
  const w = e.w;
  const captured = new Int32Array(w.placement.nodes.length);
  const used = new Float64Array(w.placement.nodes.length);
  for (const pod of w.placement.pods) {
    const node = e.pods.node[pod.index]!;
    if (node < 0 || e.pods.up[pod.index] !== 1 || !e.host.podPresent(pod.index)) continue;
    used[node]! += e.host.podMemory(pod.index, captured[node]!);
  }
  return w.placement.nodes.map((n, i) => ({ used: used[i]!, allocatable: n.allocatable.memory }));
}

describe('node memory pressure', () => {
  it('sidecars 400Mi above a 128Mi request: each node evicts until its pods fit, the replacements stay Pending', () => {
    const e = engineFor(scenario(text('400Mi')), 'sidecar');
    const before = nodeUse(e);
    // kube-scheduler filled both nodes by requests (1Gi + 128Mi a pod); what they use is more.
    for (const n of before) expect(n.used).toBeGreaterThan(n.allocatable);
    e.run();
    expect(e.evictions.nodes).toBe(2);
    expect(e.evictions.pods).toBeGreaterThanOrEqual(2);
    for (const n of nodeUse(e)) expect(n.used).toBeLessThanOrEqual(n.allocatable);
    // Both nodes are tainted memory-pressure (for 5 minutes after the last pressure): the replacements
    // wait, Pending.
    for (const node of [0, 1]) expect(e.host.room.closed(node)).toMatch(/memory-pressure/);
    const api = e.w.placement.byOwner.get('default/api')!;
    const down = api.filter((p) => e.pods.up[p] === 0).length;
    expect(down).toBe(e.evictions.pods);
    expect(e.host.readyCount('default/api')).toBe(24 - down);
    expect(e.host.podsRestarted).toBe(0);
    // The kubelet first looks at 10 s (its monitoring period), then a second after each eviction.
    const ready = e.recorder.readyBins;
    expect(ready[10]).toBe(24);
    expect(ready[11]).toBe(22);
    expect(ready[29]).toBe(24 - down);
    expect(conserved(e)).toBe(true);
  });

  it('an evicted pod waiting Pending holds no memory: application memory counts the bound pods only', () => {
    const e = engineFor(scenario(text('400Mi')), 'sidecar');
    e.run();
    // Evicted with 0 s grace, each pod is gone at its eviction; its replacement waits Pending to the end
    // behind the 5-minute taints. The ready series shows the evictions (the bin after them): 2 at 10 s, 2
    // at 11 s, 1 at 12 s. Pod-seconds bound in the window [1 s, 30 s): 24 x 29 - 2 x 20 - 2 x 19 - 18.
    const ready = e.recorder.readyBins;
    let held = 24 * 29;
    for (let t = 1; t < 29; t++) held -= (ready[t]! - ready[t + 1]!) * (30 - t);
    expect(e.evictions.pods).toBe(5);
    expect(held).toBe(600);
    const gi = 1024 ** 3;
    expect(measure(e).memory.application / gi).toBeCloseTo(600 / 29, 9);
  });

  it('evicts no more than it must: one pod fewer would not fit', () => {
    const e = engineFor(scenario(text('400Mi')), 'sidecar');
    e.run();
    const api = e.w.placement.byOwner.get('default/api')!;
    const running = api.find((p) => e.pods.node[p]! >= 0)!;
    const perPod = e.host.podMemory(running, 0);
    for (const n of nodeUse(e)) expect(n.used + perPod).toBeGreaterThan(n.allocatable);
  });

  it('sidecars within their request, or ambient (ztunnel is system-node-critical): no eviction', () => {
    const small = engineFor(scenario(text('64Mi')), 'sidecar');
    small.run();
    expect(small.evictions).toEqual({ pods: 0, nodes: 0 });
    const ambient = engineFor(scenario(text('400Mi')), 'ambient');
    ambient.run();
    expect(ambient.evictions).toEqual({ pods: 0, nodes: 0 });
  });
});
