// The allocatable room each node has left for new pods (surge, rescheduled, autoscaled and scaled pods),
// whether the node takes new pods at all (cordoned, or tainted unreachable), and who waits for room to
// free: what the disruption controllers place pods with (DisruptionHost.room).
import {
  DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE,
  NodeSearch,
  type Placement,
  scoringDefaults,
} from '../../cluster/index.ts';
import type { NodeRoom, ReserveRules } from '../../events/index.ts';
import type { Resources } from '../../scenario/index.ts';

const NONE: Resources = { cpu: 0, memory: 0 };

export class NodeRooms implements NodeRoom {
  /** Free allocatable room per node: cores, bytes, pod slots. */
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly pods: Int32Array;
  /** What kube-scheduler's scoring adds per node: its pods' defaults for zero requests (scoringDefaults). */
  private readonly extraCpu: Float64Array;
  private readonly extraMemory: Float64Array;
  /** Why a node takes no new pods now (kube-scheduler's reason), null while it is open. */
  private readonly shut: Array<string | null>;
  readonly listeners: Array<() => void> = [];
  readonly search: NodeSearch;

  /** `percentageOfNodesToScore`: kube-scheduler's (0: its adaptive share; cluster/nodes-to-score.ts). */
  constructor(placement: Placement, percentageOfNodesToScore = DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE) {
    const nodes = placement.nodes;
    const used = placement.requested;
    this.cpu = Float64Array.from(nodes, (n, i) => n.allocatable.cpu - used[i]!.total.cpu);
    this.memory = Float64Array.from(nodes, (n, i) => n.allocatable.memory - used[i]!.total.memory);
    this.pods = Int32Array.from(nodes, (n, i) => n.maxPods - used[i]!.pods);
    this.extraCpu = new Float64Array(nodes.length);
    this.extraMemory = new Float64Array(nodes.length);
    for (const pod of placement.pods) {
      if (pod.node < 0) continue;
      const d = scoringDefaults(pod);
      this.extraCpu[pod.node]! += d.cpu;
      this.extraMemory[pod.node]! += d.memory;
    }
    this.shut = nodes.map(() => null);
    // The run's pods continue kube-scheduler's search where the starting placement left it.
    this.search = new NodeSearch(nodes.length, percentageOfNodesToScore, placement.nextStartNode);
  }

  of(node: number): { cpu: number; memory: number; pods: number } {
    return { cpu: this.cpu[node]!, memory: this.memory[node]!, pods: this.pods[node]! };
  }

  scoringExtra(node: number): Resources {
    return { cpu: this.extraCpu[node]!, memory: this.extraMemory[node]! };
  }

  reserve(cpu: number, memory: number, prefer: number, rules: ReserveRules = {}, scoring = NONE): number {
    const { exclude = -1, anyState = false, allowed } = rules;
    // Requests are sums of decimal quantities (0.1 + 0.2 ...): compare with a tolerance far below any
    // request (a nano-core, a microbyte) so an exact fit is not refused for float rounding.
    const fits = (n: number) =>
      n >= 0 &&
      n !== exclude &&
      (anyState || this.shut[n] === null) &&
      (allowed === undefined || allowed[n] === 1) &&
      this.cpu[n]! >= cpu - 1e-9 &&
      this.memory[n]! >= memory - 1e-6 &&
      this.pods[n]! > 0;
    let node = fits(prefer) ? prefer : -1;
    if (node < 0) {
      for (let n = 0; n < this.cpu.length; n++)
        if (fits(n) && (node < 0 || this.cpu[n]! > this.cpu[node]!)) node = n;
    }
    if (node >= 0) {
      this.cpu[node]! -= cpu;
      this.memory[node]! -= memory;
      this.pods[node]!--;
      this.extraCpu[node]! += scoring.cpu;
      this.extraMemory[node]! += scoring.memory;
    }
    return node;
  }

  unreserve(node: number, cpu: number, memory: number, scoring = NONE): void {
    this.cpu[node]! += cpu;
    this.memory[node]! += memory;
    this.pods[node]!++;
    this.extraCpu[node]! -= scoring.cpu;
    this.extraMemory[node]! -= scoring.memory;
    this.announce();
  }

  closed(node: number): string | null {
    return this.shut[node]!;
  }

  close(node: number, reason: string | null): void {
    this.shut[node] = reason;
    if (reason === null) this.announce();
  }

  private announce(): void {
    // Over a copy: a pod placed by its listener takes it off the list, which must not skip the next.
    for (const f of this.listeners.slice()) f();
  }
}
