// Memory a placement cannot hold: requests are what the scheduler reserves, but a container that uses
// more than it requested still needs the memory. Where the larger of the two, summed over a node's pods,
// exceeds the node's allocatable memory, the kubelet comes under memory pressure and evicts first the pods
// whose usage exceeds their requests (https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/,
// "Pod selection for kubelet eviction"); a container above its memory limit is OOM-killed
// (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/, "if a container ...
// exceeds its memory limit ... the kernel may kill it").
import type { PlacedPod, Placement } from './placement.ts';
import { COMPONENTS, type Component } from './pod.ts';

export interface MemoryRisk {
  /** node: the node's pods need more than it has; limit: one container uses more than its limit. */
  kind: 'node' | 'limit';
  node: string;
  /** For `limit`: the pod and container. */
  pod?: string;
  component?: Component;
  /** Bytes needed (node: sum of max(request, use); limit: use) and what there is (allocatable, limit). */
  needed: number;
  capacity: number;
}

/**
 * Where memory runs out. `use` gives each placed pod's modelled memory by container; a container it
 * leaves out is taken at its request.
 */
export function memoryRisks(
  p: Placement,
  use: (pod: PlacedPod) => Partial<Record<Component, number>>,
): MemoryRisk[] {
  const risks: MemoryRisk[] = [];
  const needed = new Float64Array(p.nodes.length);
  for (const pod of p.pods) {
    if (pod.node < 0) continue;
    const used = use(pod);
    for (const c of COMPONENTS) {
      const request = pod.requests[c]?.memory;
      const u = used[c];
      if (request === undefined && u === undefined) continue;
      needed[pod.node]! += Math.max(request ?? 0, u ?? 0);
      const limit = pod.limits?.[c]?.memory;
      if (u !== undefined && limit !== undefined && u > limit) {
        risks.push({
          kind: 'limit',
          node: p.nodes[pod.node]!.name,
          pod: pod.name,
          component: c,
          needed: u,
          capacity: limit,
        });
      }
    }
  }
  p.nodes.forEach((n, i) => {
    if (needed[i]! > n.allocatable.memory)
      risks.push({ kind: 'node', node: n.name, needed: needed[i]!, capacity: n.allocatable.memory });
  });
  return risks;
}

/** One line per risk, for warnings. */
export function describeMemoryRisk(r: MemoryRisk): string {
  const mib = (b: number) => `${Math.round(b / 2 ** 20)}Mi`;
  return r.kind === 'node'
    ? `memory at risk on ${r.node}: its pods need ${mib(r.needed)} (max of request and modelled use) of ${mib(r.capacity)} allocatable: eviction under memory pressure`
    : `memory at risk: ${r.pod} ${r.component} uses ${mib(r.needed)}, above its ${mib(r.capacity)} limit: OOM kill`;
}
