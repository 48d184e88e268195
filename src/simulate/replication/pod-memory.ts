// The memory a pod's containers use at this moment, as the kubelet's eviction manager reads a node's
// working set: a proxy's as simulated (its configuration, its open connections, ztunnel's captured pods;
// nothing while its container is down), a node agent's by its usage model, and the rest at their requests
// (ASSUMPTION, as in summarise/measure.ts: application memory is not simulated).
import { nodeAgentUsage, podsPerNode, withIdleDefaults, ZTUNNEL } from '../../mesh/index.ts';
import { SIDECAR_POD } from './kinds.ts';
import type { Parts } from './parts.ts';

export class PodMemory {
  private readonly p: Parts;
  private readonly perLocal: number;
  /** Pods per node at the start, for the node agents' usage model (as measure.ts reads it). */
  private readonly onNode: Int32Array;

  /** Each pod's proxy (-1: none) and what its other containers request. */
  private readonly proxy: Int32Array;
  private readonly requested: Float64Array;

  constructor(p: Parts) {
    this.p = p;
    const w = p.w;
    this.perLocal = withIdleDefaults(w.scenario.mesh.idle).ztunnelMemoryPerLocalWorkload;
    this.onNode = podsPerNode(w.placement);
    this.proxy = Int32Array.from(w.placement.pods, (spec) =>
      spec.kind === 'ztunnel' ? (spec.node >= 0 ? w.ztunnelOfNode[spec.node]! : -1) : w.podProxy[spec.index]!,
    );
    this.requested = Float64Array.from(w.placement.pods, (spec) => {
      const px = this.proxy[spec.index]!;
      const own = px >= 0 ? w.classes[w.proxyClass[px]!]!.component : '';
      let sum = 0;
      for (const [c, r] of Object.entries(spec.requests)) if (c !== own) sum += r?.memory ?? 0;
      return sum;
    });
  }

  /** Bytes pod `pod` uses now; `captured`: pods ztunnel captures on the pod's node (for a ztunnel). */
  of(pod: number, captured: number): number {
    const { w, pods, proxies } = this.p;
    const spec = w.placement.pods[pod]!;
    const agent = nodeAgentUsage(spec, w.scenario.mesh, this.onNode);
    if (agent) return agent.memory;
    const px = this.proxy[pod]!;
    let used = this.requested[pod]!;
    if (px >= 0) {
      const cls = w.classes[w.proxyClass[px]!]!;
      // A pod moved to ambient has lost its sidecar.
      const runs = cls.name !== 'sidecar' || pods.kind[pod] === SIDECAR_POD;
      if (runs && proxies.up[px] === 1) {
        used += w.proxyConfigMemory[px]! + cls.cost.memoryPerConnection * proxies.open[px]!;
        if (w.proxyClass[px] === ZTUNNEL) used += this.perLocal * captured;
      }
    }
    return used;
  }
}
