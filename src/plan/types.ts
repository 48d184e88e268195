// The plan `meshsim plan` prints and writes: versioned JSON, plain data.
import type { Architecture } from '../scenario/index.ts';
import type { Results } from '../simulate/index.ts';
import type { Binding } from './binding.ts';
import type { NodeCpu } from './node-cpu.ts';
import type { ZtunnelSizing } from './sample.ts';
import type { Closest } from './search.ts';
import type { Undecided } from './undecided.ts';

export const PLAN_SCHEMA = 'meshsim/plan/v1';

export interface PlanSettings {
  architectures: Architecture[];
  instanceTypes: string[];
  growth: number[];
  /** Fraction of every node's allocatable CPU and memory that requests must leave free. */
  headroom: number;
  /** Highest mean CPU utilisation allowed on any node. */
  cpuTarget: number;
  maxNodes: number;
  /** Stop a candidate's replications once every condition is clearly met or failed (early-stop.ts). */
  earlyStop: boolean;
}

export interface PlanRow {
  growth: number;
  architecture: Architecture;
  instanceType: string;
  /** $ per node-hour, after the scenario's discount. */
  pricePerHour: number;
  feasible: boolean;
  nodes: number | null;
  /** Nodes by requests alone (null when a node cannot hold the DaemonSets). */
  lowerBound: number | null;
  /** $ per month at `nodes`: nodes + cross-zone traffic + per-proxy fees. */
  monthly: number | null;
  monthlyNodes: number | null;
  /** Simulated CPU used / allocatable at `nodes`: the mean over nodes and the busiest node. */
  cpuUtilisation: { mean: number; max: number } | null;
  /**
   * What the CPU target was judged on at `nodes`: each component's simulated usage spread over its pods
   * by their requests, summed per node (the simulated busiest node also reflects which pods won L4
   * connection draws).
   */
  cpuPlanned: NodeCpu | null;
  entryPoints: Array<{ name: string; p50: number; p99: number; p999: number }> | null;
  meshShare: number | null;
  /** Ambient only: ztunnel's requests sized for the busiest node, and their monthly cost on every node. */
  ztunnelForBusiest: ZtunnelSizing | null;
  /** Against sidecar on the same node type and growth: 0.2 = 20 % cheaper. */
  savingsVsSidecar: number | null;
  /** The cheapest feasible row of its architecture and growth. */
  cheapest: boolean;
  /** Node counts simulated for this row, in order. */
  simulated: number[];
  /** Replications behind the row's figures (fewer than the scenario's when stopped early). */
  replications: number | null;
  /** The condition that set `nodes` (it fails with one node fewer), or that makes the row infeasible. */
  binding: Binding;
  /**
   * Verdicts the count rests on that its replications left open: at `nodes`, every SLO and the CPU
   * target, and the binding constraint at one fewer, whose 95 % interval still holds the limit. The
   * search judged them on the mean; more replications (`--replications`) could move the count.
   */
  undecided: Undecided[];
  reason?: string;
  closest?: Closest;
}

export interface CheapestChoice {
  instanceType: string;
  nodes: number;
  monthly: number;
  /** Against sidecar's cheapest choice at the same growth. */
  savingsVsSidecar: number | null;
}

export interface Plan {
  schema: typeof PLAN_SCHEMA;
  meshsimVersion: string;
  scenario: Omit<Results['scenario'], 'description'>;
  settings: PlanSettings;
  rows: PlanRow[];
  /** By growth factor, then architecture. */
  cheapest: Record<string, Partial<Record<Architecture, CheapestChoice>>>;
  /** Feasible rows only, for the report's plan chart. */
  plan: Array<{
    growth: number;
    architecture: Architecture;
    instanceType: string;
    nodes: number;
    monthly: number;
    /** What set `nodes` (as in the row). */
    binding: Binding;
  }>;
}

/** Full simulations by where they came from, and the short screening runs (screen.ts) apart. */
export interface PlanStats {
  /** Simulations run in this process. */
  simulations: number;
  /** Simulations read back from checkpoints. */
  reused: number;
  /** Simulations shared with another node type of the same shape (they differ only in price). */
  shared: number;
  /** Short screening runs (screen.ts), run here, reused or shared: in none of the counts above. */
  screens: number;
}
