// Memory per node as results allow: requests per node are exact, use is known per component for the
// whole cluster only, so each pod is taken to use its request scaled by its component's used/requested
// (never less than the request), as src/cost spreads usage for allocation.
import type { ArchResult } from '../../simulate/index.ts';

export interface NodeMemory {
  node: string;
  pods: number;
  requested: number;
  inUse: number;
  allocatable: number;
}

/**
 * Memory each node would hold if every component used on each of its pods what it uses on average per
 * request (used / requested over the whole cluster, never less than the request): results carry used
 * memory per component, not per node, so this spreads it the way the cost model does.
 */
export function nodeMemoryInUse(a: ArchResult): NodeMemory[] {
  const ratio = new Map(
    a.components.map((c) => [
      c.component as string,
      c.memory.requested > 0 ? Math.max(1, c.memory.used.mean / c.memory.requested) : 1,
    ]),
  );
  return a.placement.perNode.map((n) => {
    let inUse = 0;
    for (const [c, r] of Object.entries(n.requestedBy)) inUse += (r?.memory ?? 0) * (ratio.get(c) ?? 1);
    return {
      node: n.name,
      pods: n.pods,
      requested: n.requested.memory,
      inUse: Math.max(inUse, n.requested.memory),
      allocatable: n.allocatable.memory,
    };
  });
}
