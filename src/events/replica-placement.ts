// Where kube-scheduler puts a replica an autoscaler creates mid-run, given what runs at that moment: the
// same filters as the initial placement (src/cluster/scheduler.ts), on the room left now.
//  - NodeUnschedulable / TaintToleration: no node closed to new pods (cordoned, or tainted unreachable by
//    the node lifecycle controller: host.room.closed, cluster/reason.ts);
//  - NodeAffinity / TaintToleration: the pod's nodeSelector and tolerations (cluster/node-selection.ts);
//  - NodeResourcesFit and the pod count: requests against the allocatable room still free (pods.ts room);
//  - InterPodAffinity (required anti-affinity) over the owner's pods that are on a node, terminating ones
//    included: kubernetes/kubernetes v1.31.0 pkg/scheduler/framework/plugins/interpodaffinity/filtering.go
//    counts every pod of the snapshot's nodes;
//  - PodTopologySpread (DoNotSchedule) over the owner's pods that are not terminating: podtopologyspread/
//    common.go countPodsMatchSelector skips a pod with a DeletionTimestamp ("Bypass terminating Pod").
// Among the nodes left it scores as the initial placement does (cluster/node-score.ts): untolerated
// PreferNoSchedule taints, the spread of the owner's pods that are not terminating, LeastAllocated on the
// requests kube-scheduler scores with (each container that requests nothing at 100m and 200 MiB,
// cluster/non-zero.ts: the pod's and those of the node's pods), BalancedAllocation on the requests as
// given and a preferred anti-affinity to the owner's pods (InterPodAffinity, over every pod of a node,
// terminating ones included); ties as at the start (a hash of the pod's name from 100 nodes, else the
// lowest index).
// A rollout's new pods are spread by the default constraints against the rollout's pods only (a new
// ReplicaSet: revision.ts).
import {
  ANTI_AFFINITY_MISMATCH,
  antiAffinityScore,
  applyTopologyRules,
  fitError,
  INSUFFICIENT_CPU,
  INSUFFICIENT_MEMORY,
  NodeScorer,
  NodeSelection,
  type PodScoring,
  type PodSpec,
  podScoring,
  resourceScores,
  SPREAD_MISMATCH,
  SYSTEM_DEFAULT_SPREAD,
  selectionFailure,
  TOO_MANY_PODS,
  toMilli,
} from '../cluster/index.ts';
import type { Resources, TopologyRule } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';

/** Slack for sums of decimal requests, as pods.ts reserves them. */
const CPU_EPS = 1e-9;
const MEMORY_EPS = 1e-6;

/** Where the owner's other pods are: counted by the anti-affinity rules, and by the spread rules. */
export interface OwnerPods {
  /** Nodes of its pods on a node, terminating ones included. */
  all: readonly number[];
  /** Nodes of its pods on a node that are not terminating. */
  live: readonly number[];
  /**
   * While a rollout of the owner runs: the nodes of the pods of the placed pod's ReplicaSet, the only
   * ones the default spread counts (revision.ts). Absent, it counts `live`.
   */
  revision?: readonly number[];
}

export type Choice = { node: number; reason: null } | { node: -1; reason: string };

export class ReplicaPlacement {
  private readonly host: DisruptionHost;
  private readonly spec: PodSpec;
  /**
   * -1: the pod's nodeSelector or taints forbid the node (outside the spread's eligible domains); else
   * the node's PreferNoSchedule taints the pod does not tolerate (fewer is preferred).
   */
  private readonly base: Int32Array;
  /** -1 for a node whose domains the spread does not count (selector, node affinity; not taints). */
  private readonly domains: Int32Array | null;
  private readonly zone: Int32Array;
  private readonly zones: number;
  private readonly antiAffinity: TopologyRule[];
  private readonly spread: TopologyRule[];
  /** DoNotSchedule constraints with matchLabelKeys [pod-template-hash]: over the pod's own ReplicaSet. */
  private readonly revisionSpread: TopologyRule[];
  /** The owner's pods per node and zone: all of them on a node, and those not terminating (reused). */
  private readonly allPerNode: Int32Array;
  private readonly allPerZone: Int32Array;
  private readonly livePerNode: Int32Array;
  private readonly livePerZone: Int32Array;
  private readonly ownPerNode: Int32Array;
  private readonly ownPerZone: Int32Array;
  private readonly scorer: NodeScorer;
  /** The pod's spread, preferences and tie-break, as at the start (podScoring). */
  private readonly how: PodScoring;

  constructor(host: DisruptionHost, spec: PodSpec) {
    this.host = host;
    this.spec = spec;
    const nodes = host.placement.nodes;
    // The same masks as the starting placement's (cluster/node-selection.ts), every node open for null.
    const selection = new NodeSelection(nodes);
    this.base = selection.eligible(spec) ?? new Int32Array(nodes.length);
    this.domains = selection.domains(spec);
    const ids = new Map<string, number>();
    this.zone = Int32Array.from(nodes, (n) => {
      let z = ids.get(n.zone);
      if (z === undefined) ids.set(n.zone, (z = ids.size));
      return z;
    });
    this.zones = ids.size;
    const rules = spec.topologyRules ?? [];
    this.antiAffinity = rules.filter((r) => r.kind === 'anti-affinity');
    this.spread = rules.filter((r) => r.kind === 'spread' && r.perRevision !== true);
    this.revisionSpread = rules.filter((r) => r.kind === 'spread' && r.perRevision === true);
    this.allPerNode = new Int32Array(nodes.length);
    this.livePerNode = new Int32Array(nodes.length);
    this.allPerZone = new Int32Array(this.zones);
    this.livePerZone = new Int32Array(this.zones);
    this.ownPerNode = new Int32Array(nodes.length);
    this.ownPerZone = new Int32Array(this.zones);
    this.scorer = new NodeScorer(nodes.length, this.zones);
    this.how = podScoring(spec, nodes.length, selection.preferred(spec));
  }

  /** Nodes the selector and taints leave open and each kind of topology rule closes now (-1: closed). */
  private masks(owner: OwnerPods) {
    const count = (nodes: readonly number[], perNode: Int32Array, perZone: Int32Array) => {
      perNode.fill(0);
      perZone.fill(0);
      for (const n of nodes) {
        perNode[n]!++;
        perZone[this.zone[n]!]!++;
      }
    };
    count(owner.all, this.allPerNode, this.allPerZone);
    count(owner.live, this.livePerNode, this.livePerZone);
    const perNode = this.livePerNode;
    const perZone = this.livePerZone;
    // Each from the selector's mask (the same array when a workload has no rule of that kind): the
    // spread's eligible domains are those the selector and node affinity allow, whatever the taints.
    const anti = applyTopologyRules(
      this.antiAffinity,
      this.base,
      this.domains,
      this.zone,
      this.allPerNode,
      this.allPerZone,
    )!;
    // The pods of the placed pod's own ReplicaSet, while a rollout runs (revision.ts): what the default
    // spread and constraints with matchLabelKeys [pod-template-hash] count.
    const revision = owner.revision;
    if (revision !== undefined) count(revision, this.ownPerNode, this.ownPerZone);
    const ownNode = revision !== undefined ? this.ownPerNode : perNode;
    const ownZone = revision !== undefined ? this.ownPerZone : perZone;
    let spread = applyTopologyRules(this.spread, this.base, this.domains, this.zone, perNode, perZone)!;
    spread = applyTopologyRules(this.revisionSpread, spread, this.domains, this.zone, ownNode, ownZone)!;
    // The score's spread: the system default selects by the ReplicaSet, a workload's ScheduleAnyway
    // constraints by its labels (every pod not terminating), narrowed to the ReplicaSet when all of them
    // name pod-template-hash.
    const soft = this.how.spread;
    const byRevision =
      soft === SYSTEM_DEFAULT_SPREAD || (soft.length > 0 && soft.every((c) => c.perRevision === true));
    return byRevision
      ? { anti, spread, scoreNode: ownNode, scoreZone: ownZone }
      : { anti, spread, scoreNode: perNode, scoreZone: perZone };
  }

  /**
   * The node kube-scheduler binds a pod requesting `cpu`/`memory` to now, or why none fits; never
   * `exclude` (a node being drained or evicted from that is not closed yet). `scoring`: what its scoring
   * adds to those requests (cluster/non-zero.ts scoringDefaults).
   */
  choose(cpu: number, memory: number, scoring: Resources, owner: OwnerPods, exclude = -1): Choice {
    const host = this.host;
    const nodes = host.placement.nodes;
    const { anti, spread, scoreNode, scoreZone } = this.masks(owner);
    const scorer = this.scorer;
    const { preferredAnti, preferredNodes, spread: soft, salt } = this.how;
    scorer.reset(soft);
    // As the initial placement, the first nodes that pass the filters from where the last search
    // stopped (cluster/nodes-to-score.ts): every node, from node 0, under 100 nodes and by default.
    const count = nodes.length;
    const { toFind, start } = host.room.search;
    let feasible = 0;
    let checked = count;
    for (let i = 0; i < count; i++) {
      if (feasible === toFind) {
        checked = i;
        break;
      }
      const n = start + i < count ? start + i : start + i - count;
      if (anti[n]! < 0 || spread[n]! < 0 || n === exclude || host.room.closed(n) !== null) continue;
      const room = host.room.of(n);
      if (roomFailure(room, cpu, memory) !== null) continue;
      feasible++;
      const z = this.zone[n]!;
      const alloc = nodes[n]!.allocatable;
      // Requested after placing: the requests the room is kept in, and as LeastAllocated scores them
      // (the scoring's defaults added, exactly 0 where every container requests something).
      const usedCpu = alloc.cpu - room.cpu + cpu;
      const usedMemory = alloc.memory - room.memory + memory;
      const extra = host.room.scoringExtra(n);
      const resources = resourceScores(
        toMilli(usedCpu + extra.cpu + scoring.cpu),
        Math.round(usedMemory + extra.memory + scoring.memory),
        toMilli(usedCpu),
        Math.round(usedMemory),
        toMilli(alloc.cpu),
        Math.round(alloc.memory),
      );
      // InterPodAffinity counts every pod of a node, terminating ones and every revision included.
      const affinity =
        preferredAnti.length > 0
          ? antiAffinityScore(preferredAnti, this.allPerNode[n]!, this.allPerZone[z]!)
          : 0;
      const preferredNode = preferredNodes === null ? 0 : preferredNodes[n]!;
      scorer.add(n, z, this.base[n]!, scoreNode[n]!, scoreZone[z]!, resources, affinity, preferredNode);
    }
    host.room.search.checked(checked);
    const best = scorer.pick(salt);
    if (best >= 0) return { node: best, reason: null };
    return { node: -1, reason: this.why(anti, spread, cpu, memory) };
  }

  /**
   * kube-scheduler's FailedScheduling message: per node the first filter that failed, in the default
   * profile's order (NodeAffinity and TaintToleration, NodeResourcesFit, PodTopologySpread,
   * InterPodAffinity: pkg/scheduler/apis/config/v1/default_plugins.go, v1.31.0).
   */
  private why(anti: Int32Array, spread: Int32Array, cpu: number, memory: number): string {
    const nodes = this.host.placement.nodes;
    const counts = new Map<string, number>();
    for (let n = 0; n < nodes.length; n++) {
      // NodeUnschedulable and TaintToleration run first in the default profile.
      const reason =
        this.host.room.closed(n) ??
        selectionFailure(nodes[n]!, this.spec) ??
        roomFailure(this.host.room.of(n), cpu, memory) ??
        (spread[n]! < 0 ? SPREAD_MISMATCH : anti[n]! < 0 ? ANTI_AFFINITY_MISMATCH : null);
      if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    return fitError(nodes.length, counts);
  }
}

/** NodeResourcesFit and the pod count against the room a node has left. */
function roomFailure(room: { cpu: number; memory: number; pods: number }, cpu: number, memory: number) {
  if (room.pods <= 0) return TOO_MANY_PODS;
  if (room.cpu < cpu - CPU_EPS) return INSUFFICIENT_CPU;
  if (room.memory < memory - MEMORY_EPS) return INSUFFICIENT_MEMORY;
  return null;
}
