// Each pod's modelled memory by container, averaged over replications, for the memory-risk check of
// src/cluster: proxies as simulated (base, configuration, connections), istio-cni and istiod as measured
// or modelled; application containers are not simulated and stay at their requests.
import type { Component, PlacedPod } from '../../cluster/index.ts';
import { nodeAgentUsage, podsPerNode } from '../../mesh/index.ts';
import type { World } from '../world/index.ts';
import type { RepMeasure } from './measure.ts';

export function podMemoryUse(
  w: World,
  reps: RepMeasure[],
): (pod: PlacedPod) => Partial<Record<Component, number>> {
  const proxyMemory = (px: number) => reps.reduce((a, r) => a + r.proxies[px]!.memory, 0) / reps.length;
  const istiod = reps.reduce((a, r) => a + r.controlPlane.memory, 0) / reps.length;
  const istiodPods = Math.max(1, w.placement.pods.filter((p) => p.kind === 'istiod' && p.node >= 0).length);
  const onNode = podsPerNode(w.placement);
  return (pod) => {
    const px = w.podProxy[pod.index]!;
    switch (pod.kind) {
      case 'app':
        return pod.hasSidecar && px >= 0 ? { sidecar: proxyMemory(px) } : {};
      case 'daemon':
        return {
          application: pod.usage?.memory ?? 0,
          ...(pod.hasSidecar && px >= 0 ? { sidecar: proxyMemory(px) } : {}),
        };
      case 'waypoint':
        return px >= 0 ? { waypoint: proxyMemory(px) } : {};
      case 'gateway':
        return px >= 0 ? { gateway: proxyMemory(px) } : {};
      case 'ztunnel': {
        const z = w.ztunnelOfNode[pod.node]!;
        return z >= 0 ? { ztunnel: proxyMemory(z) } : {};
      }
      case 'istio-cni':
        return { 'istio-cni': nodeAgentUsage(pod, w.scenario.mesh, onNode)?.memory ?? 0 };
      case 'istiod':
        return { istiod: istiod / istiodPods };
      default:
        return {};
    }
  };
}
