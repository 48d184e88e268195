// Which pods a ReplicaSet deletes first when it scales down: kubernetes/kubernetes v1.31.0
// pkg/controller/replicaset/replica_set.go getPodsToDelete (ranks by getPodsRankedByRelatedPodsOnSameNode:
// the active pods of the ReplicaSet on the same node) sorted by pkg/controller/controller_utils.go
// ActivePodsWithRanks.Less:
//  1. unassigned before assigned; 2. phase Pending before Running; 3. not ready before ready;
//  4. lower controller.kubernetes.io/pod-deletion-cost first (not modelled: every pod's cost is 0);
//  5. more active pods of the ReplicaSet on its node first (doubled-up pods go first);
//  6. both ready: ready more recently first, compared on a log2 scale of the time since (feature
//     LogarithmicScaleDown, on by default since v1.22), equal ranks by UID;
//  7. more container restarts first (none here: a restarted pod is not an autoscaler's);
//  8. created more recently first, on the same log2 scale, equal ranks by UID.
// A starting pod (scheduled, containers not yet ready) is taken as phase Pending (A). A pod ready or
// created before the run is older than any made during it. UIDs are random; a hash of the pod's name
// stands for them, so the order is arbitrary but repeatable.

/** What the ranking reads of one pod. */
export interface RankedPod {
  /** Assigned to a node. */
  assigned: boolean;
  /** Its containers run (phase Running). */
  running: boolean;
  ready: boolean;
  /** Active pods of the same ReplicaSet on its node (itself included). */
  colocated: number;
  /** Seconds, -Infinity before the run. */
  readyAt: number;
  createdAt: number;
  /** Stand-in for its UID. */
  uid: number;
}

/** floor(log2(nanoseconds since `t`)), -1 when not after, Infinity for before the run. */
function logRank(t: number, now: number): number {
  if (t === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  const d = (now - t) * 1e9;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Negative when `a` is deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  if (a.assigned !== b.assigned) return a.assigned ? 1 : -1;
  if (a.running !== b.running) return a.running ? 1 : -1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.colocated !== b.colocated) return b.colocated - a.colocated;
  if (a.ready && b.ready && a.readyAt !== b.readyAt) {
    const d = logRank(a.readyAt, now) - logRank(b.readyAt, now);
    return d !== 0 ? d : a.uid - b.uid;
  }
  if (a.createdAt !== b.createdAt) {
    const d = logRank(a.createdAt, now) - logRank(b.createdAt, now);
    return d !== 0 ? d : a.uid - b.uid;
  }
  return a.uid - b.uid;
}

/** FNV-1a of a pod's name: its stand-in UID. */
export function uidOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
