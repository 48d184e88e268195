// A Deployment's rollout creates a new ReplicaSet, whose selector carries the new pod-template-hash
// (kubernetes v1.31 pkg/controller/deployment/sync.go getNewReplicaSet). kube-scheduler's default spread
// selects a pod's siblings by its Services' and its ReplicaSet's selectors together
// (pkg/scheduler/framework/plugins/helper/spread.go DefaultSelector), so while a rollout runs its new pods
// are spread against each other only, not against the old revision's. A workload's own constraints
// (required anti-affinity, topologySpreadConstraints) select by the labels it gives them, which every
// revision carries, and count every pod as before.
// A pod that replaces an evicted or preempted one during a rollout belongs to the ReplicaSet of the pod
// it replaces (the rollout's if its index has been rolled, else the old one) and is spread against that
// ReplicaSet's pods (room.ts ownerPods). Pods an autoscaler creates during a rollout are counted against
// every pod of their owner (ASSUMPTION: Kubernetes adds them to the new and old ReplicaSets in
// proportion, deployment/sync.go scale, which meshsim does not track).
import type { DisruptionHost } from './host.ts';

const revisions = new WeakMap<DisruptionHost, Map<string, Set<number>>>();

/** A rollout of `owner` starts a new revision: the pod indices whose new pod has been bound. */
export function beginRevision(host: DisruptionHost, owner: string): Set<number> {
  let byOwner = revisions.get(host);
  if (!byOwner) revisions.set(host, (byOwner = new Map()));
  const pods = new Set<number>();
  byOwner.set(owner, pods);
  return pods;
}

/** The rollout is over: every pod of the owner is of one revision again. */
export function endRevision(host: DisruptionHost, owner: string, pods: Set<number>): void {
  const byOwner = revisions.get(host);
  if (byOwner?.get(owner) === pods) byOwner.delete(owner);
}

/** The indices of the owner's rollout under way whose new pod is bound, undefined when none runs. */
export function revisionOf(host: DisruptionHost, owner: string): ReadonlySet<number> | undefined {
  return revisions.get(host)?.get(owner);
}
