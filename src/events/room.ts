// A new pod needs room on a node before it can start; when there is none it stays pending until some
// other pod's room is released (what the scheduler does with a surge pod on a full cluster).
// Where a replacement (a rollout's, an eviction's, a preemption victim's) goes: where kube-scheduler
// would bind it now (replica-placement.ts: its nodeSelector, node affinity and tolerations, nodes open
// to new pods, room, required anti-affinity and spread, then kube-scheduler's scores, cluster/node-score.ts;
// searching the nodes as nodes-to-score.ts does), as a pod the ReplicaSet creates. A rollout's new pods
// are spread against its own pods, not the old ones still running (revision.ts). Two callers name the node
// instead: a DaemonSet pod goes to its own node, and a drain (cordon-drain.ts) moves pods to the node it
// drained before (its own assumption), else to the node with the most free CPU.
// The owner's pods are counted as kube-scheduler counts them: a pod bound to a node from then (a
// replacement still starting included), and a pod terminating only by the required anti-affinity
// (InterPodAffinity counts every pod of the node's snapshot), not by the spread (PodTopologySpread skips
// a pod with a DeletionTimestamp: kubernetes v1.31 podtopologyspread/common.go countPodsMatchSelector).
// A rollout's old pod terminates after its index has moved to the new one, and the new one is bound
// before its index moves: rollout-transit.ts keeps those in-between states while they last.
import { type PodSpec, podRequests, scoringDefaults, selectionFailure } from '../cluster/index.ts';
import type { Resources } from '../scenario/index.ts';
import type { DisruptionHost, ReserveRules } from './host.ts';
import { retryWhenRoom } from './pending.ts';
import type { Tracker } from './record.ts';
import { type OwnerPods, ReplicaPlacement } from './replica-placement.ts';
import { revisionOf } from './revision.ts';
import { startingNode, transitNodes, vacant } from './rollout-transit.ts';

export interface Room {
  node: number;
  cpu: number;
  memory: number;
  /** What kube-scheduler's scoring adds to those requests (cluster/non-zero.ts scoringDefaults). */
  scoring: Resources;
}

/** The room pod `pod` holds on its node now. */
export function roomOf(host: DisruptionHost, pod: number): Room {
  const spec = host.placement.pods[pod]!;
  const { cpu, memory } = podRequests(spec);
  return { node: host.podNode[pod]!, cpu, memory, scoring: scoringDefaults(spec) };
}

/**
 * Calls `then` with the node once room is reserved for `pod` (`prefer`, else its own node first; never
 * `exclude`).
 * `free` (blue/green) means the room is on a new, empty node pool: nothing to reserve.
 */
export function placePod(
  host: DisruptionHost,
  pod: number,
  t: Tracker,
  opts: {
    exclude?: number;
    free?: boolean;
    node?: number;
    prefer?: number;
    abandon?: () => boolean;
    /** A rollout's new pod: the default spread counts its own revision's pods (revision.ts). */
    newRevision?: boolean;
  },
  then: (room: Room) => void,
  abandoned: () => void = () => {},
): void {
  const spec = host.placement.pods[pod]!;
  const { cpu, memory } = podRequests(spec);
  const scoring = scoringDefaults(spec);
  const allowed = allowedNodes(host, spec);
  const prefer = opts.node ?? opts.prefer ?? host.podNode[pod]!;
  const scheduler =
    opts.node === undefined && opts.prefer === undefined && !opts.free ? schedulerFor(host, spec) : null;
  const attempt = (): boolean => {
    // Not wanted any more (its ReplicaSet deleted it): it stops waiting, unplaced.
    if (opts.abandon?.()) {
      abandoned();
      return true;
    }
    if (opts.free) {
      then({ node: prefer, cpu: 0, memory: 0, scoring: { cpu: 0, memory: 0 } });
      return true;
    }
    if (scheduler) {
      const owner = ownerPods(host, spec.owner, pod, opts.newRevision === true);
      const choice = scheduler.choose(cpu, memory, scoring, owner, opts.exclude);
      if (choice.node < 0) return false;
      const node = host.room.reserve(cpu, memory, choice.node, {}, scoring);
      if (node !== choice.node) throw new Error(`internal: room on node ${choice.node} was not there`);
      t.surge(cpu, memory);
      then({ node, cpu, memory, scoring });
      return true;
    }
    // A DaemonSet pod is bound to its node whatever the node's state (cluster/reason.ts); any other
    // replacement goes where kube-scheduler's NodeAffinity and TaintToleration let it.
    const pinned = opts.node !== undefined;
    const rules: ReserveRules = pinned ? { anyState: true } : allowed ? { allowed } : {};
    if (opts.exclude !== undefined) rules.exclude = opts.exclude;
    const node = host.room.reserve(cpu, memory, prefer, rules, scoring);
    // A DaemonSet pod must run on its own node.
    if (node < 0 || (opts.node !== undefined && node !== opts.node)) {
      if (node >= 0) host.room.unreserve(node, cpu, memory, scoring);
      return false;
    }
    t.surge(cpu, memory);
    then({ node, cpu, memory, scoring });
    return true;
  };
  if (attempt()) return;
  retryWhenRoom(host, attempt, t.pendingStart(pod));
}

// kube-scheduler's view of a pod spec in one replication (its masks are the spec's, its room the run's).
const schedulers = new WeakMap<DisruptionHost, Map<PodSpec, ReplicaPlacement>>();

function schedulerFor(host: DisruptionHost, spec: PodSpec): ReplicaPlacement {
  let bySpec = schedulers.get(host);
  if (!bySpec) schedulers.set(host, (bySpec = new Map()));
  let s = bySpec.get(spec);
  if (!s) bySpec.set(spec, (s = new ReplicaPlacement(host, spec)));
  return s;
}

/**
 * The nodes of the owner's pods that exist now, as kube-scheduler counts them (see above); while a
 * rollout of the owner runs, also those of the ReplicaSet the pod placed belongs to, which the default
 * spread counts (revision.ts): the rollout's for its new pods (`newRevision`) and for the replacement of
 * one of them, the old pods for the replacement of an old one.
 */
export function ownerPods(host: DisruptionHost, owner: string, pod: number, newRevision: boolean): OwnerPods {
  const { all, live } = transitNodes(host, owner);
  const pods = host.placement.byOwner.get(owner) ?? [];
  const running = (p: number) => host.podNode[p]! >= 0 && host.podPresent(p) && !vacant(host, p);
  for (const p of pods) {
    if (!running(p)) continue;
    all.push(host.podNode[p]!);
    live.push(host.podNode[p]!);
  }
  const revision = revisionOf(host, owner);
  if (!revision) return { all, live };
  const own: number[] = [];
  if (newRevision || revision.has(pod)) {
    // The rollout's pods: those bound and starting, and those that have taken over their index.
    for (const p of revision) {
      const starting = startingNode(host, p);
      if (starting >= 0) own.push(starting);
      else if (running(p)) own.push(host.podNode[p]!);
    }
  } else {
    for (const p of pods) if (!revision.has(p) && running(p)) own.push(host.podNode[p]!);
  }
  return { all, live, revision: own };
}

// A workload's pods share their nodeSelector and tolerations: one mask per pod spec.
const masks = new WeakMap<PodSpec, Uint8Array | undefined>();

/** The nodes a pod's nodeSelector and tolerations allow (1), undefined when they allow every node. */
function allowedNodes(host: DisruptionHost, spec: PodSpec): Uint8Array | undefined {
  if (masks.has(spec)) return masks.get(spec);
  const nodes = host.placement.nodes;
  const mask = Uint8Array.from(nodes, (n) => (selectionFailure(n, spec) === null ? 1 : 0));
  const out = mask.every((x) => x === 1) ? undefined : mask;
  masks.set(spec, out);
  return out;
}

/** Releases the room an old pod held, once it is gone. */
export function freeRoom(host: DisruptionHost, t: Tracker, room: Room): void {
  if (room.cpu === 0 && room.memory === 0) return;
  host.room.unreserve(room.node, room.cpu, room.memory, room.scoring);
  t.surge(-room.cpu, -room.memory);
}
