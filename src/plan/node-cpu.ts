// The CPU each node would use at a candidate size, from the scheduler's placement and the components'
// simulated usage: what the CPU target is judged on.
//
// Why not the simulated per-node CPU itself: under kube-proxy and ztunnel (L4) a connection's endpoint is
// drawn once per connection, so with keep-alive pools a few pods carry most of a service's load and the
// rest idle. Which pods win that draw, and which of them share a node, changes with every node count
// (and with every restart in a real cluster), so the busiest simulated node jumps up and down as N grows:
// three-tier at 5x growth on m5.xlarge is under 70 % at 50 and 52 nodes and over it at 54 and 56. A
// search over such a curve stops at an arbitrary crossing. Sizing for the expected load of every pod
// instead makes the condition a function of the placement and the load alone, which more load can only
// raise. The simulated busiest node is still reported next to it.
import type { Component, Placement } from '../cluster/index.ts';
import type { Usage } from './sample.ts';

/** For each component present on the nodes: each node's share of that component (shares sum to 1). */
export interface NodeShares {
  allocatableCpu: Float64Array;
  shares: Map<Component, Float64Array>;
}

/**
 * Each component's usage is split over its pods in proportion to their CPU requests (evenly when it
 * requests none), as the cost model allocates it (src/cost/README: "a component's usage is spread over
 * its pods in proportion to their requests"). DaemonSet components (ztunnel, istio-cni) have the same
 * requests on every node, so they split evenly.
 */
export function nodeShares(p: Placement): NodeShares {
  const n = p.nodes.length;
  const weight = new Map<
    Component,
    { byNode: Float64Array; cpu: number; count: number; counts: Float64Array }
  >();
  for (const pod of p.pods) {
    if (pod.node < 0) continue;
    for (const [c, r] of Object.entries(pod.requests) as Array<[Component, { cpu: number }]>) {
      let w = weight.get(c);
      if (!w) {
        w = { byNode: new Float64Array(n), cpu: 0, count: 0, counts: new Float64Array(n) };
        weight.set(c, w);
      }
      w.byNode[pod.node]! += r.cpu;
      w.cpu += r.cpu;
      w.counts[pod.node]! += 1;
      w.count += 1;
    }
  }
  const shares = new Map<Component, Float64Array>();
  for (const [c, w] of weight) {
    const byRequest = w.cpu > 1e-12;
    shares.set(
      c,
      (byRequest ? w.byNode : w.counts).map((x) => x / (byRequest ? w.cpu : w.count)),
    );
  }
  return { allocatableCpu: Float64Array.from(p.nodes, (x) => x.allocatable.cpu), shares };
}

export interface NodeCpu {
  /** Mean over nodes of CPU used / allocatable. */
  mean: number;
  /** The busiest node's. */
  max: number;
}

export function plannedCpu(sh: NodeShares, usage: Usage): NodeCpu {
  const n = sh.allocatableCpu.length;
  const used = new Float64Array(n);
  for (const [c, share] of sh.shares) {
    const u = usage[c] ?? 0;
    if (u > 0) for (let i = 0; i < n; i++) used[i]! += u * share[i]!;
  }
  let sum = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const a = sh.allocatableCpu[i]!;
    const x = a > 0 ? used[i]! / a : used[i]! > 0 ? Number.POSITIVE_INFINITY : 0;
    sum += x;
    if (x > max) max = x;
  }
  return { mean: n > 0 ? sum / n : 0, max };
}

/** Usage of the components that have pods on the nodes (what plannedCpu spreads), in cores. */
export function placedUsage(sh: NodeShares, usage: Usage): number {
  let total = 0;
  for (const c of sh.shares.keys()) total += usage[c] ?? 0;
  return total;
}
