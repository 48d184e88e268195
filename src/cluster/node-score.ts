// How kube-scheduler ranks the nodes that passed its filters: its default profile's score plugins, each
// normalised to 0-100 and summed with the profile's weights, the highest total winning
// (kubernetes/kubernetes v1.31, pkg/scheduler/apis/config/v1/default_plugins.go: TaintToleration 3,
// NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2, InterPodAffinity 2,
// NodeResourcesBalancedAllocation 1, ImageLocality 1; pkg/scheduler/framework/runtime/framework.go
// RunScorePlugins). What each contributes here:
//  - TaintToleration: the untolerated PreferNoSchedule taints, reversed so fewer is better
//    (tainttoleration/taint_toleration.go, helper/normalize_score.go DefaultNormalizeScore);
//  - PodTopologySpread: the pod's ScheduleAnyway constraints, or, when it has no topologySpreadConstraints
//    at all, the system defaults (hostname maxSkew 3, zone maxSkew 5; podtopologyspread/plugin.go
//    systemDefaultConstraints), over the owner's pods that are not terminating (podtopologyspread/
//    scoring.go: count x log(domains + 2) + maxSkew - 1 per constraint, rounded, then
//    100 x (max + min - score) / max);
//  - NodeResourcesFit, LeastAllocated: per resource (capacity - requested) x 100 / capacity in integer
//    milli-CPU and bytes, with the pod's and the node's requests as kube-scheduler scores them (100m and
//    200 MiB for a container that requests nothing, non-zero.ts), cpu and memory weighted 1 each
//    (noderesources/least_allocated.go, resource_allocation.go);
//  - NodeResourcesBalancedAllocation: (1 - |cpu fraction - memory fraction| / 2) x 100 on the requests
//    as given (useRequested; noderesources/balanced_allocation.go), a pod that requests nothing
//    included (from v1.33 it skips those: kubernetes/kubernetes#130260);
//  - InterPodAffinity: the pod's preferred anti-affinity to its owner's pods, each term weighing every
//    pod of the owner in the node's domain twice (the new pod's term matches the old pod, and the old
//    pod's, the same, matches the new one: interpodaffinity/scoring.go processExistingPod), normalised
//    to 100 x (score - min) / (max - min);
//  - NodeAffinity: the weights of the pod's preferred node affinity terms the node meets, normalised to
//    100 x score / the highest (nodeaffinity/node_affinity.go Score, helper.DefaultNormalizeScore);
//  - ImageLocality scores the images a node already holds, which a scenario does not describe.
//    ASSUMPTION: no node holds a pod's images before it (ImageLocality, which would favour the nodes
//    that ran the same image, is left out).
// Among nodes with the highest total kube-scheduler picks one at random (schedule_one.go selectHost):
// see NodeScorer.pick.
import type { PreferredAntiAffinity, SoftSpreadRule, TopologyRule } from '../scenario/types.ts';
import { MIN_FEASIBLE_NODES_TO_FIND } from './nodes-to-score.ts';
import type { PodSpec } from './pod.ts';

/** One topology spread constraint that only scores (whenUnsatisfiable ScheduleAnyway). */
export type SoftSpread = SoftSpreadRule;

/** The spread kube-scheduler scores a pod without topologySpreadConstraints by (plugin.go, v1.31). */
export const SYSTEM_DEFAULT_SPREAD: readonly SoftSpread[] = [
  { topologyKey: 'kubernetes.io/hostname', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5 },
];

/**
 * The constraints PodTopologySpread scores a pod by: its own ScheduleAnyway ones if it has any
 * topologySpreadConstraints (a pod with only DoNotSchedule ones gets no spread score), else the system's.
 */
export function softSpreadOf(pod: {
  topologyRules?: readonly TopologyRule[];
  softSpread?: readonly SoftSpread[];
}): readonly SoftSpread[] {
  const hard = pod.topologyRules?.some((r) => r.kind === 'spread') ?? false;
  if (pod.softSpread && pod.softSpread.length > 0) return pod.softSpread;
  return hard ? [] : SYSTEM_DEFAULT_SPREAD;
}

const MAX_NODE_SCORE = 100;
const WEIGHT_TAINTS = 3;
const WEIGHT_SPREAD = 2;
const WEIGHT_AFFINITY = 2;
const WEIGHT_NODE_AFFINITY = 2;

/**
 * InterPodAffinity's raw score of a node for a pod whose preferred anti-affinity `terms` select its
 * owner's pods, `onNode` of which are on the node and `inZone` in its zone (terminating ones included:
 * the plugin counts every pod of a node).
 */
export function antiAffinityScore(
  terms: readonly PreferredAntiAffinity[],
  onNode: number,
  inZone: number,
): number {
  let score = 0;
  for (const t of terms)
    score -= 2 * t.weight * (t.topologyKey === 'kubernetes.io/hostname' ? onNode : inZone);
  return score;
}

/** CPU in kube-scheduler's unit, whole milli-CPU (a pod's requests are quantities of them). */
export function toMilli(cores: number): number {
  return Math.round(cores * 1000);
}

/**
 * NodeResourcesFit (LeastAllocated) plus NodeResourcesBalancedAllocation for a node of `capMilli`
 * milli-CPU and `capBytes` bytes whose pods, the new one included, request `milli` and `bytes` as given
 * and `scoredMilli` and `scoredBytes` as LeastAllocated scores them.
 */
export function resourceScores(
  scoredMilli: number,
  scoredBytes: number,
  milli: number,
  bytes: number,
  capMilli: number,
  capBytes: number,
): number {
  return (
    leastAllocated(scoredMilli, capMilli, scoredBytes, capBytes) +
    balancedAllocation(milli, capMilli, bytes, capBytes)
  );
}

/** LeastAllocated's score: requests and capacities in integer milli-CPU and bytes. */
export function leastAllocated(cpu: number, capCpu: number, memory: number, capMemory: number): number {
  let sum = 0;
  let weights = 0;
  if (capCpu > 0) {
    sum += cpu > capCpu ? 0 : Math.floor(((capCpu - cpu) * MAX_NODE_SCORE) / capCpu);
    weights++;
  }
  if (capMemory > 0) {
    sum += memory > capMemory ? 0 : Math.floor(((capMemory - memory) * MAX_NODE_SCORE) / capMemory);
    weights++;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}

/** BalancedAllocation's score: requests and capacities in integer milli-CPU and bytes. */
export function balancedAllocation(cpu: number, capCpu: number, memory: number, capMemory: number): number {
  if (capCpu <= 0 || capMemory <= 0) return MAX_NODE_SCORE; // one fraction: no deviation
  const fc = Math.min(1, cpu / capCpu);
  const fm = Math.min(1, memory / capMemory);
  return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
}

/**
 * The feasible nodes of one scheduling cycle and what kube-scheduler scores them by, in typed arrays
 * reused from pod to pod (a search may score hundreds of nodes for each of 150,000 pods).
 */
export class NodeScorer {
  private n = 0;
  private readonly node: Int32Array;
  private readonly taints: Int32Array;
  private readonly onNode: Int32Array;
  private readonly inZone: Int32Array;
  private readonly resources: Int32Array; // LeastAllocated + BalancedAllocation
  private readonly anti: Float64Array; // InterPodAffinity's raw score
  private minAnti = 0;
  private maxAnti = 0;
  private readonly nodeAffinity: Int32Array; // NodeAffinity's raw score: preferred terms' weights met
  private maxNodeAffinity = 0;
  private readonly zoneSeen: Uint8Array;
  private zones = 0;
  private maxTaints = 0;
  // The spread constraints of the cycle, in order: 1 for the hostname key, 0 for the zone; maxSkew - 1.
  private nSpread = 0;
  private spreadHost = new Uint8Array(8);
  private spreadSkew = new Float64Array(8);
  private table = new Int32Array(64);

  constructor(nodes: number, zones: number) {
    this.node = new Int32Array(nodes);
    this.taints = new Int32Array(nodes);
    this.onNode = new Int32Array(nodes);
    this.inZone = new Int32Array(nodes);
    this.resources = new Int32Array(nodes);
    this.anti = new Float64Array(nodes);
    this.nodeAffinity = new Int32Array(nodes);
    this.zoneSeen = new Uint8Array(zones);
  }

  /** A new cycle for a pod spread by `spread` (softSpreadOf). */
  reset(spread: readonly SoftSpread[]): void {
    this.n = 0;
    this.minAnti = Number.POSITIVE_INFINITY;
    this.maxAnti = Number.NEGATIVE_INFINITY;
    this.maxNodeAffinity = 0;
    this.zones = 0;
    this.maxTaints = 0;
    this.zoneSeen.fill(0);
    if (spread.length > this.spreadHost.length) {
      this.spreadHost = new Uint8Array(spread.length);
      this.spreadSkew = new Float64Array(spread.length);
    }
    this.nSpread = spread.length;
    for (let c = 0; c < spread.length; c++) {
      this.spreadHost[c] = spread[c]!.topologyKey === 'kubernetes.io/hostname' ? 1 : 0;
      this.spreadSkew[c] = spread[c]!.maxSkew - 1;
    }
  }

  /**
   * Node `node` passed the filters: its zone, untolerated PreferNoSchedule taints, the owner's pods on
   * it and in its zone (as the spread counts them), LeastAllocated + BalancedAllocation for the pod on it
   * InterPodAffinity's raw score (antiAffinityScore) and NodeAffinity's (node-selection.ts
   * preferredNodeWeight).
   */
  add(
    node: number,
    zone: number,
    taints: number,
    onNode: number,
    inZone: number,
    resources: number,
    anti = 0,
    nodeAffinity = 0,
  ): void {
    const i = this.n++;
    this.anti[i] = anti;
    if (anti < this.minAnti) this.minAnti = anti;
    if (anti > this.maxAnti) this.maxAnti = anti;
    this.nodeAffinity[i] = nodeAffinity;
    if (nodeAffinity > this.maxNodeAffinity) this.maxNodeAffinity = nodeAffinity;
    this.node[i] = node;
    this.taints[i] = taints;
    this.onNode[i] = onNode;
    this.inZone[i] = inZone;
    this.resources[i] = resources;
    if (taints > this.maxTaints) this.maxTaints = taints;
    if (this.zoneSeen[zone] === 0) {
      this.zoneSeen[zone] = 1;
      this.zones++;
    }
  }

  /**
   * The node with the highest weighted total, -1 when none passed. Ties: kube-scheduler picks at random
   * among them (reservoir sampling, schedule_one.go selectHost); with a `salt` (non-zero) a hash of it
   * and the node decides, so the choice is arbitrary but repeatable; with none, the first added.
   */
  pick(salt: number): number {
    const n = this.n;
    if (n === 0) return -1;
    const { taints, onNode, inZone, resources, node, maxTaints, nSpread, spreadHost, spreadSkew } = this;
    // PodTopologySpread's raw scores, into onNode (they are not needed after); summed in the
    // constraints' order, as scoring.go sums them, so the rounding is its rounding.
    let minSpread = Number.POSITIVE_INFINITY;
    let maxSpread = 0;
    if (nSpread > 0) {
      const wHost = Math.log(n + 2);
      const wZone = Math.log(this.zones + 2);
      const defaults = nSpread === 2 && spreadHost[0] === 1 && spreadHost[1] === 0;
      const skew0 = spreadSkew[0]!;
      const skew1 = spreadSkew[1]!;
      for (let i = 0; i < n; i++) {
        let s = 0;
        if (defaults) s = onNode[i]! * wHost + skew0 + (inZone[i]! * wZone + skew1);
        else {
          for (let c = 0; c < nSpread; c++) {
            s += (spreadHost[c] === 1 ? onNode[i]! * wHost : inZone[i]! * wZone) + spreadSkew[c]!;
          }
        }
        const raw = Math.round(s);
        onNode[i] = raw;
        if (raw < minSpread) minSpread = raw;
        if (raw > maxSpread) maxSpread = raw;
      }
    }
    // The normalised spread score of each raw score in [min, max], once per cycle: a handful of values.
    const spreadOf = this.spreadTable(minSpread, maxSpread);
    // InterPodAffinity's NormalizeScore: 100 x (score - min) / (max - min), 0 when all are equal (as
    // they are, 0, for a pod without preferred anti-affinity).
    const { anti, minAnti } = this;
    const antiRange = this.maxAnti - minAnti;
    const { nodeAffinity, maxNodeAffinity } = this;
    let best = -1;
    let bestTotal = -1;
    let bestKey = 0;
    for (let i = 0; i < n; i++) {
      const t =
        maxTaints === 0
          ? MAX_NODE_SCORE
          : MAX_NODE_SCORE - Math.floor((MAX_NODE_SCORE * taints[i]!) / maxTaints);
      const s = nSpread === 0 ? 0 : spreadOf[onNode[i]! - minSpread]!;
      const a = antiRange > 0 ? Math.trunc(MAX_NODE_SCORE * ((anti[i]! - minAnti) / antiRange)) : 0;
      // NodeAffinity's NormalizeScore: DefaultNormalizeScore, 100 x score / the highest.
      const na =
        maxNodeAffinity === 0 ? 0 : Math.floor((MAX_NODE_SCORE * nodeAffinity[i]!) / maxNodeAffinity);
      const total =
        WEIGHT_TAINTS * t +
        WEIGHT_SPREAD * s +
        WEIGHT_AFFINITY * a +
        WEIGHT_NODE_AFFINITY * na +
        resources[i]!;
      if (total < bestTotal) continue;
      if (total === bestTotal) {
        if (salt === 0) continue;
        const key = tieKey(salt, node[i]!);
        if (key >= bestKey) continue;
        bestKey = key;
      } else if (salt !== 0) bestKey = tieKey(salt, node[i]!);
      best = node[i]!;
      bestTotal = total;
    }
    return best;
  }

  /** PodTopologySpread's NormalizeScore for raw scores min..max, indexed by raw - min. */
  private spreadTable(min: number, max: number): Int32Array {
    if (!(max >= min)) return this.table;
    const size = max - min + 1;
    if (size > this.table.length) this.table = new Int32Array(Math.max(size, 2 * this.table.length));
    const table = this.table;
    for (let raw = min; raw <= max; raw++) {
      table[raw - min] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - raw)) / max);
    }
    return table;
  }
}

/** An arbitrary, repeatable order of the nodes for one pod (murmur3's 32-bit finaliser of salt and node). */
function tieKey(salt: number, n: number): number {
  let x = (salt ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** What ranking a pod's nodes reads of the pod, besides the counts of its owner's pods (NodeScorer). */
export interface PodScoring {
  /** softSpreadOf */
  spread: readonly SoftSpread[];
  preferredAnti: readonly PreferredAntiAffinity[];
  /** Per node, the weights of its preferred node affinity terms the node meets; null without any. */
  preferredNodes: Int32Array | null;
  /** NodeScorer.pick's tie-break: 0 (the first added) below MIN_FEASIBLE_NODES_TO_FIND nodes. */
  salt: number;
}

/**
 * A pod's scoring on a cluster of `nodes` nodes. From 100 nodes kube-scheduler may score only a share of
 * them, from a start that moves on with every pod (nodes-to-score.ts), so which node wins a tie is
 * arbitrary there: ties are broken by a hash of the pod's name. Lowest index would stack the same service
 * of every other team on the same nodes (large, before the share was modelled: 25 pods of one service on
 * a node, 5 % of its nodes above 100 % CPU). ASSUMPTION: below 100 nodes the lowest index wins, so that
 * the architectures of a comparison place their application pods alike (paired differences).
 */
export function podScoring(
  pod: Pick<PodSpec, 'name' | 'topologyRules' | 'softSpread' | 'preferredAntiAffinity'>,
  nodes: number,
  preferredNodes: Int32Array | null,
): PodScoring {
  return {
    spread: softSpreadOf(pod),
    preferredAnti: pod.preferredAntiAffinity ?? [],
    preferredNodes,
    // `| 1`: a salt is never 0, which pick reads as "the first added".
    salt: nodes >= MIN_FEASIBLE_NODES_TO_FIND ? podSalt(pod.name) | 1 : 0,
  };
}

/** FNV-1a of a pod's name: its salt for tie-breaking. */
function podSalt(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
