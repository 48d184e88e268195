import type { Resources } from '../scenario/types.ts';
import type { ClusterNode } from './nodes.ts';
import { DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE, NodeSearch } from './nodes-to-score.ts';
import { COMPONENTS, type Component, type PodSpec } from './pod.ts';
import { INSUFFICIENT_CPU, INSUFFICIENT_MEMORY, TOO_MANY_PODS } from './reason.ts';

/** Slack for sums of decimal requests (0.1 + 0.2 > 0.3): a pod that fits on paper fits here. */
const EPSILON = 1e-9;
const C = COMPONENTS.length;

/**
 * What is requested on every node, in typed arrays: the scheduler visits every node for every pod, so a
 * check must touch a few numbers and allocate nothing.
 */
export class NodeState {
  readonly count: number;
  readonly zone: Int32Array;
  readonly zoneNames: string[];
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly pods: Int32Array;
  /** What the pods on each node request as kube-scheduler scores them (non-zero.ts). */
  readonly scoreCpu: Float64Array;
  readonly scoreMemory: Float64Array;
  readonly allocCpu: Float64Array;
  readonly allocMemory: Float64Array;
  readonly maxPods: Int32Array;
  // 1 / allocatable, 0 for none: LeastAllocated's fractions without a division per check.
  readonly invCpu: Float64Array;
  readonly invMemory: Float64Array;
  /** Per node and component: cpu, memory, present. */
  private readonly byComponent: Float64Array;
  private readonly hasComponent: Uint8Array;
  /** Where kube-scheduler's search for a node starts and when it stops (nodes-to-score.ts). */
  readonly search: NodeSearch;

  /** `percentageOfNodesToScore`: kube-scheduler's setting (0: its adaptive share; 100: every node). */
  constructor(
    nodes: readonly ClusterNode[],
    percentageOfNodesToScore = DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE,
  ) {
    const n = nodes.length;
    this.count = n;
    this.search = new NodeSearch(n, percentageOfNodesToScore);
    this.zone = new Int32Array(n);
    this.zoneNames = [];
    this.cpu = new Float64Array(n);
    this.memory = new Float64Array(n);
    this.pods = new Int32Array(n);
    this.scoreCpu = new Float64Array(n);
    this.scoreMemory = new Float64Array(n);
    this.allocCpu = new Float64Array(n);
    this.allocMemory = new Float64Array(n);
    this.maxPods = new Int32Array(n);
    this.invCpu = new Float64Array(n);
    this.invMemory = new Float64Array(n);
    this.byComponent = new Float64Array(n * C * 2);
    this.hasComponent = new Uint8Array(n * C);
    const zones = new Map<string, number>();
    for (const node of nodes) {
      const i = node.index;
      let z = zones.get(node.zone);
      if (z === undefined) {
        z = zones.size;
        zones.set(node.zone, z);
        this.zoneNames.push(node.zone);
      }
      this.zone[i] = z;
      this.allocCpu[i] = node.allocatable.cpu;
      this.allocMemory[i] = node.allocatable.memory;
      this.maxPods[i] = node.maxPods;
      this.invCpu[i] = node.allocatable.cpu > 0 ? 1 / node.allocatable.cpu : 0;
      this.invMemory[i] = node.allocatable.memory > 0 ? 1 / node.allocatable.memory : 0;
    }
  }

  /** The first reason node `n` rejects a pod requesting `r`, or null if it fits. */
  failure(n: number, r: Resources): string | null {
    if (this.pods[n]! >= this.maxPods[n]!) return TOO_MANY_PODS;
    if (this.cpu[n]! + r.cpu > this.allocCpu[n]! + EPSILON) return INSUFFICIENT_CPU;
    if (this.memory[n]! + r.memory > this.allocMemory[n]! + EPSILON) return INSUFFICIENT_MEMORY;
    return null;
  }

  /**
   * The best node for a pod requesting `r`, or -1, among the first nodes that pass the filters from where
   * the last search stopped (nodes-to-score.ts): fewest pods of its owner in the zone, then on the node,
   * then least allocated after placing (by the scoring requests `scored`, non-zero.ts). Among nodes that
   * tie, kube-scheduler picks one at random (pkg/scheduler/schedule_one.go selectHost, reservoir sampling
   * over the nodes with the highest score, v1.31): with a `salt` (non-zero) a hash of it and the node
   * decides, so the choice is arbitrary but repeatable; with none, the lowest index.
   */
  best(
    r: Resources,
    scored: Resources,
    ownerPerNode: Int32Array,
    ownerPerZone: Int32Array,
    eligible: Int32Array | null = null,
    salt = 0,
  ): number {
    const { cpu, memory, pods, maxPods, allocCpu, allocMemory, invCpu, invMemory, zone, count } = this;
    const { scoreCpu, scoreMemory } = this;
    const podCpu = r.cpu;
    const podMemory = r.memory;
    let best = -1;
    let bestZone = Number.POSITIVE_INFINITY;
    let bestNode = Number.POSITIVE_INFINITY;
    let bestScore = Number.POSITIVE_INFINITY;
    let bestTaints = Number.POSITIVE_INFINITY;
    let bestKey = 0;
    // Nodes from `start` on, until `toFind` of them pass the filters (every node under 100 nodes and at
    // 100 %, the default, where every search starts at node 0).
    const { toFind, start } = this.search;
    let feasible = 0;
    let checked = count;
    for (let i = 0; i < count; i++) {
      if (feasible === toFind) {
        checked = i;
        break;
      }
      const n = start + i < count ? start + i : start + i - count;
      const taints = eligible === null ? 0 : eligible[n]!;
      if (taints < 0) continue;
      if (pods[n]! >= maxPods[n]!) continue;
      const c = cpu[n]! + podCpu;
      if (c > allocCpu[n]! + EPSILON) continue;
      const m = memory[n]! + podMemory;
      if (m > allocMemory[n]! + EPSILON) continue;
      feasible++;
      // ASSUMPTION: kube-scheduler weighs TaintToleration's score (weight 3) against the others; here a
      // node with fewer intolerable PreferNoSchedule taints simply wins first, which is what it is for.
      if (taints > bestTaints) continue;
      if (taints < bestTaints) {
        bestZone = Number.POSITIVE_INFINITY;
        bestNode = Number.POSITIVE_INFINITY;
        bestScore = Number.POSITIVE_INFINITY;
      }
      const inZone = ownerPerZone[zone[n]!]!;
      if (inZone > bestZone) continue;
      const onNode = ownerPerNode[n]!;
      if (inZone === bestZone && onNode > bestNode) continue;
      // The mean of the two fractions, doubled: the order is the same.
      const score =
        (scoreCpu[n]! + scored.cpu) * invCpu[n]! + (scoreMemory[n]! + scored.memory) * invMemory[n]!;
      let key = -1;
      if (inZone === bestZone && onNode === bestNode) {
        if (score > bestScore) continue;
        if (score === bestScore) {
          if (salt === 0) continue;
          key = tieKey(salt, n);
          if (key >= bestKey) continue;
        }
      }
      best = n;
      if (salt !== 0) bestKey = key >= 0 ? key : tieKey(salt, n);
      bestTaints = taints;
      bestZone = inZone;
      bestNode = onNode;
      bestScore = score;
    }
    this.search.checked(checked);
    return best;
  }

  bind(n: number, pod: PodSpec, r: Resources, scored: Resources = r): void {
    this.cpu[n]! += r.cpu;
    this.memory[n]! += r.memory;
    this.scoreCpu[n]! += scored.cpu;
    this.scoreMemory[n]! += scored.memory;
    this.pods[n]! += 1;
    for (let k = 0; k < C; k++) {
      const req = pod.requests[COMPONENTS[k]!];
      if (!req) continue;
      const at = n * C + k;
      this.byComponent[2 * at]! += req.cpu;
      this.byComponent[2 * at + 1]! += req.memory;
      this.hasComponent[at] = 1;
    }
  }

  /** Requests on node `n` per component, for the components some pod on it carries. */
  components(n: number): Partial<Record<Component, Resources>> {
    const out: Partial<Record<Component, Resources>> = {};
    for (let k = 0; k < C; k++) {
      const at = n * C + k;
      if (this.hasComponent[at]) {
        out[COMPONENTS[k]!] = { cpu: this.byComponent[2 * at]!, memory: this.byComponent[2 * at + 1]! };
      }
    }
    return out;
  }
}

/** An arbitrary, repeatable order of the nodes for one pod (murmur3's 32-bit finaliser of salt and node). */
function tieKey(salt: number, n: number): number {
  let x = (salt ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a of a pod's name: its salt for tie-breaking. */
export function podSalt(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
