// The memory a pod's containers use at this moment, as the kubelet's eviction manager reads a node's
// working set: a proxy's as simulated (its configuration, its open connections, ztunnel's captured pods;
// nothing while its container is down), a node agent's by its usage model, and the rest at their requests
// (ASSUMPTION, as in summarise/measure.ts: application memory is not simulated).
import { nodeAgentUsage, podsPerNode } from '../../mesh/index.ts';
import { proxyMemoryUse } from '../world/memory.ts';
import type { Parts } from './parts.ts';

export class PodMemory {
  private readonly p: Parts;
  /** Pods per node at the start, for the node agents' usage model (as measure.ts reads it). */
  private readonly onNode: Int32Array;

  /** Each pod's proxy (-1: none) and what its other containers request. */
  private readonly proxy: Int32Array;
  private readonly requested: Float64Array;

  constructor(p: Parts) {
    this.p = p;
    const w = p.w;
    this.onNode = podsPerNode(w.placement);
    this.proxy = Int32Array.from(w.placement.pods, (spec) =>
      spec.kind === 'ztunnel' ? (spec.node >= 0 ? w.ztunnelOfNode[spec.node]! : -1) : w.podProxy[spec.index]!,
    );
    this.requested = Float64Array.from(w.placement.pods, (spec) => {
      const px = this.proxy[spec.index]!;
      const own = px >= 0 ? w.classes[w.proxyClass[px]!]!.component : '';
      let sum = 0;
      for (const [c, r] of Object.entries(spec.requests)) if (c !== own) sum += r?.memory ?? 0;
      // A platform DaemonSet's pod uses what the scenario says it does (default: its requests).
      return spec.kind === 'daemon' ? (spec.usage?.memory ?? sum) : sum;
    });
  }

  /** Bytes pod `pod` uses now; `captured`: pods ztunnel captures on the pod's node (for a ztunnel). */
  of(pod: number, captured: number): number {
    const { w, pods, proxies } = this.p;
    const spec = w.placement.pods[pod]!;
    const agent = nodeAgentUsage(spec, w.scenario.mesh, this.onNode);
    if (agent) return agent.memory;
    let used = this.requested[pod]!;
    // Its proxy while it runs: a ztunnel, or the one its readiness waits on (not a sidecar the pod lost
    // when it moved to ambient).
    const px = spec.kind === 'ztunnel' ? this.proxy[pod]! : pods.readinessProxy(pod);
    if (px >= 0 && proxies.up[px] === 1) used += proxyMemoryUse(w, px, proxies.open[px]!, captured);
    return used;
  }
}
