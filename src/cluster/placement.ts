import type { Architecture, DataplaneMode, Resources } from '../scenario/types.ts';
import type { ClusterNode } from './nodes.ts';
import type { Component, PodSpec } from './pod.ts';

export interface PlacedPod extends PodSpec {
  /** Position in `Placement.pods`. */
  index: number;
  /** -1 = unschedulable. */
  node: number;
  zone: string | null;
}

export interface NodeRequests {
  node: number;
  total: Resources;
  byComponent: Partial<Record<Component, Resources>>;
  pods: number;
}

export interface Placement {
  arch: Architecture;
  modes: Map<string, DataplaneMode>;
  nodes: ClusterNode[];
  /** Every deployed pod, unschedulable ones included (node -1): a shortfall is a result, not an error. */
  pods: PlacedPod[];
  unschedulable: Array<{ pod: number; name: string; reason: string }>;
  /** Pod indices of each owner, by ordinal. */
  byOwner: Map<string, number[]>;
  /** Per node: the index of its ztunnel pod, or -1. */
  ztunnelOfNode: Int32Array;
  /** Requested resources per node, in total and per component. */
  requested: NodeRequests[];
  /** Nodes that host at least one pod other than DaemonSets. */
  nodesUsed: number;
  /**
   * Where kube-scheduler's next search for a node starts (nextStartNodeIndex, nodes-to-score.ts): pods
   * placed during the run continue from it.
   */
  nextStartNode: number;
}
