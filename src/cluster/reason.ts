/** Why a node rejects a pod, in the order a node is charged with its first failure. */
export const TOO_MANY_PODS = 'Too many pods';
export const INSUFFICIENT_CPU = 'Insufficient cpu';
export const INSUFFICIENT_MEMORY = 'Insufficient memory';
/** Other nodes, for a DaemonSet pod bound to its node by node affinity. */
export const NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/**
 * A node closed to new pods: cordoned (NodeUnschedulable's ErrReasonUnschedulable), or silent and so tainted
 * `node.kubernetes.io/unreachable:NoSchedule` by the node lifecycle controller (TaintToleration's
 * message; kubernetes/kubernetes v1.31.0 pkg/scheduler/framework/plugins/nodeunschedulable and
 * tainttoleration/taint_toleration.go). A DaemonSet pod tolerates a cordon (its controller adds
 * `node.kubernetes.io/unschedulable:NoSchedule`: pkg/controller/daemon/util/daemonset_util.go
 * AddOrUpdateDaemonPodTolerations); it tolerates `unreachable` only as NoExecute, so a new one would not
 * start on a silent node either. ASSUMPTION: meshsim lets a DaemonSet pod it restarts keep its node
 * whatever that node's state (only a dataplane upgrade during a node fault meets the difference).
 */
export const NODE_CORDONED = 'node(s) were unschedulable';
export const NODE_UNREACHABLE = 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }';
/** A node under memory pressure, tainted by the node lifecycle controller (TaintNodesByCondition). */
export const NODE_MEMORY_PRESSURE = 'node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }';

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
