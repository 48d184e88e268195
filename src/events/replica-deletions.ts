// The pods a ReplicaSet deleted (scale-downs), counted per pod index, so that a rollout restarting an
// index sees it was deleted meanwhile and stops: kube-controller-manager does not recreate a pod its
// ReplicaSet deleted (rollout.ts reads it, replica-pods.ts writes it).
import type { DisruptionHost } from './host.ts';

const deletions = new WeakMap<DisruptionHost, Map<number, number>>();

/** Its ReplicaSet deleted the pod of index `pod` (a scale-down). */
export function countDeletion(host: DisruptionHost, pod: number): void {
  let m = deletions.get(host);
  if (!m) deletions.set(host, (m = new Map()));
  m.set(pod, (m.get(pod) ?? 0) + 1);
}

/** How often the pod of index `pod` was deleted by its ReplicaSet so far. */
export function deletionsOf(host: DisruptionHost, pod: number): number {
  return deletions.get(host)?.get(pod) ?? 0;
}
