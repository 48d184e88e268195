// Which nodes a pod may go to besides room: its nodeSelector against the node's labels (kube-scheduler's
// NodeAffinity filter, kubernetes/kubernetes v1.31 pkg/scheduler/framework/plugins/nodeaffinity/
// node_affinity.go, via component-helpers/scheduling/corev1/nodeaffinity) and the node's NoSchedule and
// NoExecute taints against its tolerations (TaintToleration filter, pkg/scheduler/framework/plugins/
// tainttoleration/taint_toleration.go; matching as staging/src/k8s.io/api/core/v1/toleration.go
// ToleratesTaint). PreferNoSchedule taints only score: TaintToleration prefers the node with the fewest
// it does not tolerate.
import type { Taint, Toleration } from '../scenario/types.ts';
import type { ClusterNode } from './nodes.ts';
import type { PodSpec } from './pod.ts';

/** kube-scheduler's reasons (NodeAffinity's ErrReasonPod; TaintToleration's message). */
export const SELECTOR_MISMATCH = "node(s) didn't match Pod's node affinity/selector";
export function untoleratedTaint(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

/** ToleratesTaint: effect empty matches every effect; Exists ignores the value; an empty key with Exists matches every key. */
export function tolerates(tol: Toleration, t: Taint): boolean {
  if (tol.effect !== undefined && tol.effect !== t.effect) return false;
  if ((tol.key ?? '') !== '' && tol.key !== t.key) return false;
  if ((tol.key ?? '') === '' && tol.operator !== 'Exists') return false;
  return tol.operator === 'Exists' || (tol.value ?? '') === (t.value ?? '');
}

function tolerated(pod: Pick<PodSpec, 'tolerations'>, t: Taint): boolean {
  return (pod.tolerations ?? []).some((tol) => tolerates(tol, t));
}

/** Why node `n` is not for `pod` before its requests are counted, or null. */
export function selectionFailure(
  node: ClusterNode,
  pod: Pick<PodSpec, 'nodeSelector' | 'tolerations'>,
): string | null {
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) {
    if (node.labels[k] !== v) return SELECTOR_MISMATCH;
  }
  for (const t of node.taints) {
    if (t.effect !== 'PreferNoSchedule' && !tolerated(pod, t)) return untoleratedTaint(t);
  }
  return null;
}

/** PreferNoSchedule taints of the node the pod does not tolerate (fewer is better). */
export function intolerablePreferred(node: ClusterNode, pod: Pick<PodSpec, 'tolerations'>): number {
  let n = 0;
  for (const t of node.taints) if (t.effect === 'PreferNoSchedule' && !tolerated(pod, t)) n++;
  return n;
}

/**
 * Per pod, the nodes its selector and taints allow and how many PreferNoSchedule taints each has against
 * it: null when every node is equally open (no selector, no tolerations, no taints), so the scheduler's
 * loop stays as it was. Cached by owner: the pods of one workload share their spec.
 */
export class NodeSelection {
  private readonly nodes: readonly ClusterNode[];
  private readonly open: boolean;
  private readonly byOwner = new Map<string, Int32Array | null>();

  constructor(nodes: readonly ClusterNode[]) {
    this.nodes = nodes;
    this.open = nodes.every((n) => n.taints.length === 0);
  }

  /** -1 for a node the pod may not use, else its intolerable PreferNoSchedule taints; null: all 0. */
  eligible(pod: PodSpec): Int32Array | null {
    if (this.open && !pod.nodeSelector) return null;
    const cached = this.byOwner.get(pod.owner);
    if (cached !== undefined) return cached;
    const out = Int32Array.from(this.nodes, (n) =>
      selectionFailure(n, pod) === null ? intolerablePreferred(n, pod) : -1,
    );
    this.byOwner.set(pod.owner, out);
    return out;
  }
}
