// The cluster of one plan candidate: `nodes` nodes of one type, steady state (no events).
import type { NodePool, Scenario } from '../scenario/index.ts';

/** `s` on a single pool `pool` of `nodes` nodes, without its events (the plan sizes for steady state). */
export function onPool(s: Scenario, pool: NodePool, nodes: number): Scenario {
  return {
    ...s,
    cluster: { ...s.cluster, nodePools: [{ ...pool, count: nodes }] },
    events: [],
  };
}

/**
 * The same pool with `headroom` of its allocatable CPU and memory kept free: requests must fit in
 * (1 - headroom) x allocatable on every node. Raising the reserved resources does exactly that for the
 * scheduler and for minNodesLowerBound.
 */
export function withHeadroom(pool: NodePool, headroom: number): NodePool {
  const keep = 1 - headroom;
  const cpu = Math.max(0, pool.vcpu - pool.systemReserved.cpu);
  const memory = Math.max(0, pool.memory - pool.systemReserved.memory);
  return {
    ...pool,
    systemReserved: { cpu: pool.vcpu - keep * cpu, memory: pool.memory - keep * memory },
  };
}
