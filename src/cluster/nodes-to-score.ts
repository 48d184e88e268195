// How many feasible nodes kube-scheduler looks for before it stops filtering and scores them: all of a
// cluster under 100 nodes, else percentageOfNodesToScore of them (adaptive when 0: 50 % less one point
// per 125 nodes, at least 5 %), never fewer than 100. It checks nodes from where the previous pod's
// search stopped (nextStartNodeIndex), which then moves on by the nodes it checked, feasible or not.
// kubernetes/kubernetes pkg/scheduler/schedule_one.go: numFeasibleNodesToFind, findNodesThatPassFilters
// and findNodesThatFitPod (minFeasibleNodesToFind = 100, minFeasibleNodesPercentageToFind = 5), read at
// commit 003b4460 (master, 2026); KubeSchedulerConfiguration.percentageOfNodesToScore documents the same
// rule (https://kubernetes.io/docs/concepts/scheduling-eviction/scheduler-perf-tuning/).

/**
 * ASSUMPTION: meshsim scores every node unless the scenario sets cluster.scheduler.percentageOfNodesToScore
 * (0 there is kube-scheduler's adaptive share, its own default). Which nodes a partial search sees depends
 * on the order kube-scheduler meets the pods in, and that order (many controllers creating pods at once)
 * is not modelled: meshsim's deploy order would make the placement an artefact of it, and a plan's count
 * move with it (the growth plan's ambient at 10x on m5.large: 140 nodes scoring every node, 142 with the
 * adaptive share). Scoring every node is the best placement kube-scheduler can reach.
 */
export const DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 100;

/** Clusters smaller than this are searched whole. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage's floor. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * Feasible nodes kube-scheduler finds before it scores, for `numAllNodes` nodes and the configured
 * percentage (0: adaptive). Integer arithmetic as in Go (int32 division truncates).
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
      percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * percentage) / 100));
}

/**
 * kube-scheduler's walk over the node list: a search stops at `toFind` feasible nodes, starts at `start`,
 * and the next one starts past the nodes it checked. When every search covers every node (under 100
 * nodes) each starts at node 0, so ties among them go to the lowest index.
 */
export class NodeSearch {
  readonly count: number;
  readonly toFind: number;
  private next: number;

  constructor(count: number, percentageOfNodesToScore: number, start = 0) {
    this.count = count;
    this.toFind = numFeasibleNodesToFind(percentageOfNodesToScore, count);
    this.next = start;
  }

  get start(): number {
    return this.next;
  }

  /** A search checked `nodes` nodes (a DaemonSet pod's checks its one node). */
  checked(nodes: number): void {
    if (this.toFind < this.count) this.next = (this.next + nodes) % this.count;
  }
}
