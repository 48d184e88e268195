// Which nodes a pod may go to besides room: its nodeSelector and required node affinity against the
// node's labels (kube-scheduler's NodeAffinity filter, kubernetes/kubernetes v1.31
// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go, via
// component-helpers/scheduling/corev1/nodeaffinity) and the node's NoSchedule and NoExecute taints
// against its tolerations (TaintToleration filter, pkg/scheduler/framework/plugins/tainttoleration/
// taint_toleration.go; matching as staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint).
// PreferNoSchedule taints only score: TaintToleration prefers the node with the fewest it does not
// tolerate; preferred node affinity terms score too (node-score.ts).
import type { NodeAffinity, NodeSelectorRequirement, Taint, Toleration } from '../scenario/types.ts';
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

/**
 * A NodeSelectorRequirement against a node's labels (component-helpers/scheduling/corev1/nodeaffinity,
 * via labels.Selector: NotIn and DoesNotExist hold where the label is absent; Gt and Lt compare the label
 * and the one value as integers).
 */
function requirementHolds(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = Number(value);
      const b = Number(values[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
  }
}

function termHolds(expressions: readonly NodeSelectorRequirement[], labels: Record<string, string>): boolean {
  return expressions.length > 0 && expressions.every((r) => requirementHolds(r, labels));
}

/** Whether nodes labelled `labels` meet the required node affinity (any of its terms; none: yes). */
export function meetsRequiredNodeAffinity(
  affinity: NodeAffinity | undefined,
  labels: Record<string, string>,
): boolean {
  const required = affinity?.required;
  return !required || required.some((t) => termHolds(t.matchExpressions, labels));
}

/** The weights of the preferred node affinity terms node `node` meets (NodeAffinity's raw score). */
export function preferredNodeWeight(node: ClusterNode, affinity: NodeAffinity | undefined): number {
  let sum = 0;
  for (const t of affinity?.preferred ?? []) if (termHolds(t.matchExpressions, node.labels)) sum += t.weight;
  return sum;
}

/** Whether node `n` matches the pod's nodeSelector and required node affinity (taints aside). */
export function matchesNodeAffinity(
  node: ClusterNode,
  pod: Pick<PodSpec, 'nodeSelector' | 'nodeAffinity'>,
): boolean {
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) {
    if (node.labels[k] !== v) return false;
  }
  return meetsRequiredNodeAffinity(pod.nodeAffinity, node.labels);
}

/** Why node `n` is not for `pod` before its requests are counted, or null. */
export function selectionFailure(
  node: ClusterNode,
  pod: Pick<PodSpec, 'nodeSelector' | 'nodeAffinity' | 'tolerations'>,
): string | null {
  if (!matchesNodeAffinity(node, pod)) return SELECTOR_MISMATCH;
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
  private readonly preferredByOwner = new Map<string, Int32Array | null>();
  private readonly domainsByOwner = new Map<string, Int32Array>();

  constructor(nodes: readonly ClusterNode[]) {
    this.nodes = nodes;
    this.open = nodes.every((n) => n.taints.length === 0);
  }

  /** -1 for a node the pod may not use, else its intolerable PreferNoSchedule taints; null: all 0. */
  eligible(pod: PodSpec): Int32Array | null {
    if (this.open && !pod.nodeSelector && !pod.nodeAffinity?.required) return null;
    const cached = this.byOwner.get(pod.owner);
    if (cached !== undefined) return cached;
    const out = Int32Array.from(this.nodes, (n) =>
      selectionFailure(n, pod) === null ? intolerablePreferred(n, pod) : -1,
    );
    this.byOwner.set(pod.owner, out);
    return out;
  }

  /**
   * -1 for a node whose topology domains the pod's spread constraints do not count (it fails the
   * pod's nodeSelector or required node affinity: nodeAffinityPolicy Honor; taints do not matter,
   * nodeTaintsPolicy Ignore), else 0; null when every node counts.
   */
  domains(pod: PodSpec): Int32Array | null {
    if (!pod.nodeSelector && !pod.nodeAffinity?.required) return null;
    const cached = this.domainsByOwner.get(pod.owner);
    if (cached !== undefined) return cached;
    const out = Int32Array.from(this.nodes, (n) => (matchesNodeAffinity(n, pod) ? 0 : -1));
    this.domainsByOwner.set(pod.owner, out);
    return out;
  }

  /** Per node, the weights of the pod's preferred node affinity terms it meets; null without any. */
  preferred(pod: PodSpec): Int32Array | null {
    if (!pod.nodeAffinity?.preferred) return null;
    const cached = this.preferredByOwner.get(pod.owner);
    if (cached !== undefined) return cached;
    const out = Int32Array.from(this.nodes, (n) => preferredNodeWeight(n, pod.nodeAffinity));
    this.preferredByOwner.set(pod.owner, out);
    return out;
  }
}
