import type { Resources } from '../scenario/types.ts';
import { antiAffinityScore, NodeScorer, type PodScoring, resourceScores, toMilli } from './node-score.ts';
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
  /**
   * What the pods on each node request in kube-scheduler's integer units (milli-CPU, bytes): as given
   * (BalancedAllocation) and as LeastAllocated scores them (non-zero.ts), and its allocatable.
   */
  private readonly milli: Float64Array;
  private readonly bytes: Float64Array;
  private readonly scoreMilli: Float64Array;
  private readonly scoreBytes: Float64Array;
  private readonly capMilli: Float64Array;
  private readonly capBytes: Float64Array;
  readonly allocCpu: Float64Array;
  readonly allocMemory: Float64Array;
  readonly maxPods: Int32Array;
  /** The feasible nodes of the search under way and their scores. */
  private readonly scorer: NodeScorer;
  // Each node's resource scores for the requests last scored (`requestsId`), until a pod binds there:
  // the pods of a Deployment come one after another with the same requests, and between two of them
  // only one node changes.
  private readonly cachedFor: Int32Array;
  private readonly cached: Int32Array;
  private requestsId = 0;
  private readonly lastRequests = new Float64Array(4);
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
    this.milli = new Float64Array(n);
    this.bytes = new Float64Array(n);
    this.scoreMilli = new Float64Array(n);
    this.scoreBytes = new Float64Array(n);
    this.capMilli = new Float64Array(n);
    this.capBytes = new Float64Array(n);
    this.allocCpu = new Float64Array(n);
    this.allocMemory = new Float64Array(n);
    this.maxPods = new Int32Array(n);
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
      this.capMilli[i] = toMilli(node.allocatable.cpu);
      this.capBytes[i] = Math.round(node.allocatable.memory);
    }
    this.scorer = new NodeScorer(n, this.zoneNames.length);
    this.cachedFor = new Int32Array(n).fill(-1);
    this.cached = new Int32Array(n);
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
   * the last search stopped (nodes-to-score.ts), ranked by kube-scheduler's score plugins (node-score.ts):
   * untolerated PreferNoSchedule taints (`eligible`), the spread of the owner's pods over nodes and zones,
   * LeastAllocated on the scoring requests `scored` (non-zero.ts) and BalancedAllocation on the requests
   * `r`, and the pod's preferred anti-affinity to its owner's pods and to nodes (`how`, podScoring).
   */
  best(
    r: Resources,
    scored: Resources,
    ownerPerNode: Int32Array,
    ownerPerZone: Int32Array,
    eligible: Int32Array | null,
    how: PodScoring,
  ): number {
    const { preferredAnti, preferredNodes } = how;
    const { cpu, memory, pods, maxPods, allocCpu, allocMemory, zone, count, scorer } = this;
    const { milli, bytes, scoreMilli, scoreBytes, capMilli, capBytes } = this;
    const podCpu = r.cpu;
    const podMemory = r.memory;
    const podMilli = toMilli(r.cpu);
    const podBytes = Math.round(r.memory);
    const podScoreMilli = toMilli(scored.cpu);
    const podScoreBytes = Math.round(scored.memory);
    const id = this.requestsFor(podMilli, podBytes, podScoreMilli, podScoreBytes);
    const { cachedFor, cached } = this;
    const hasAnti = preferredAnti.length > 0;
    scorer.reset(how.spread);
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
      const z = zone[n]!;
      let resources = cached[n]!;
      if (cachedFor[n] !== id) {
        resources = resourceScores(
          scoreMilli[n]! + podScoreMilli,
          scoreBytes[n]! + podScoreBytes,
          milli[n]! + podMilli,
          bytes[n]! + podBytes,
          capMilli[n]!,
          capBytes[n]!,
        );
        cached[n] = resources;
        cachedFor[n] = id;
      }
      const onNode = ownerPerNode[n]!;
      const inZone = ownerPerZone[z]!;
      const anti = hasAnti ? antiAffinityScore(preferredAnti, onNode, inZone) : 0;
      scorer.add(
        n,
        z,
        taints,
        onNode,
        inZone,
        resources,
        anti,
        preferredNodes === null ? 0 : preferredNodes[n]!,
      );
    }
    this.search.checked(checked);
    return scorer.pick(how.salt);
  }

  /** The id of these requests: the last one if they are the last scored, else a new one. */
  private requestsFor(milli: number, bytes: number, scoreMilli: number, scoreBytes: number): number {
    const last = this.lastRequests;
    if (last[0] !== milli || last[1] !== bytes || last[2] !== scoreMilli || last[3] !== scoreBytes) {
      last[0] = milli;
      last[1] = bytes;
      last[2] = scoreMilli;
      last[3] = scoreBytes;
      this.requestsId++;
    }
    return this.requestsId;
  }

  bind(n: number, pod: PodSpec, r: Resources, scored: Resources = r): void {
    this.cachedFor[n] = -1;
    this.cpu[n]! += r.cpu;
    this.memory[n]! += r.memory;
    this.milli[n]! += toMilli(r.cpu);
    this.bytes[n]! += Math.round(r.memory);
    this.scoreMilli[n]! += toMilli(scored.cpu);
    this.scoreBytes[n]! += Math.round(scored.memory);
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
