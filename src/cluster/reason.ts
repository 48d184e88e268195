/** Why a node rejects a pod, in the order a node is charged with its first failure. */
export const TOO_MANY_PODS = 'Too many pods';
export const INSUFFICIENT_CPU = 'Insufficient cpu';
export const INSUFFICIENT_MEMORY = 'Insufficient memory';
/** Other nodes, for a DaemonSet pod bound to its node by node affinity. */
export const NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** PodTopologySpread's and InterPodAffinity's filter reasons. */
export const SPREAD_MISMATCH = "node(s) didn't match pod topology spread constraints";
export const ANTI_AFFINITY_MISMATCH = "node(s) didn't match pod anti-affinity rules";

/**
 * kube-scheduler's FitError message: `0/6 nodes are available: 2 Insufficient cpu, 4 Too many pods.`;
 * like kube-scheduler, the `count reason` strings are sorted as strings.
 */
export function fitError(nodes: number, counts: ReadonlyMap<string, number>): string {
  if (nodes === 0) return 'no nodes available to schedule pods';
  const parts: string[] = [];
  for (const [reason, n] of counts) if (n > 0) parts.push(`${n} ${reason}`);
  parts.sort();
  return `0/${nodes} nodes are available: ${parts.join(', ')}.`;
}
