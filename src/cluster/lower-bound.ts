import type { Architecture, Scenario } from '../scenario/types.ts';
import { deploy } from './deploy.ts';
import { buildNodes } from './nodes.ts';
import { isDaemonSet, podRequests } from './pod.ts';

/**
 * The fewest nodes of `pool` that could hold what `arch` deploys, from arithmetic alone: for cpu, memory
 * and pod count, total requests over what one node offers once its DaemonSets are in. Bin packing can only
 * need more, so the planner starts its search here. Infinity when one node cannot even hold its DaemonSets
 * and some work is left.
 */
export function minNodesLowerBound(s: Scenario, arch: Architecture, pool: string): number {
  const p = s.cluster.nodePools.find((x) => x.name === pool);
  if (!p) throw new Error(`unknown node pool '${pool}'`);
  const only = Object.fromEntries(s.cluster.nodePools.map((x) => [x.name, x.name === pool ? 1 : 0]));
  const [node] = buildNodes(s, only);
  if (!node) throw new Error(`unknown node pool '${pool}'`);
  const free = { cpu: node.allocatable.cpu, memory: node.allocatable.memory, pods: node.maxPods };
  const need = { cpu: 0, memory: 0, pods: 0 };
  for (const pod of deploy(s, arch, [node])) {
    const r = podRequests(pod);
    const side = isDaemonSet(pod) ? free : need;
    const sign = isDaemonSet(pod) ? -1 : 1;
    side.cpu += sign * r.cpu;
    side.memory += sign * r.memory;
    side.pods += sign;
  }
  return Math.max(ratio(need.cpu, free.cpu), ratio(need.memory, free.memory), ratio(need.pods, free.pods));
}

// Slack so that float noise (3.0000000004 nodes) never rounds a bound up past the truth.
function ratio(need: number, free: number): number {
  if (need <= 1e-9) return 0;
  if (free <= 1e-9) return Number.POSITIVE_INFINITY;
  return Math.ceil(need / free - 1e-9);
}
