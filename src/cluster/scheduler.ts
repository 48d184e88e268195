import type { Architecture, Resources, Scenario } from '../scenario/types.ts';
import { deploy, standbyPods } from './deploy.ts';
import { resolveModes } from './modes.ts';
import { podScoring } from './node-score.ts';
import { NodeSelection, selectionFailure } from './node-selection.ts';
import { NodeState } from './node-state.ts';
import { buildNodes, type ClusterNode, type PoolCounts } from './nodes.ts';
import { DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE } from './nodes-to-score.ts';
import { nonZeroRequests } from './non-zero.ts';
import { OwnerSpread } from './owner-spread.ts';
import type { PlacedPod, Placement } from './placement.ts';
import { isDaemonSet, type PodSpec, podRequests } from './pod.ts';
import { fitError, NODE_AFFINITY } from './reason.ts';
import { applyTopologyRules, topologyFailure } from './topology-constraints.ts';

export interface PlaceOptions {
  /** Node counts per pool, overriding the scenario's (for the capacity planner). */
  pools?: PoolCounts;
}

/**
 * Deploys `arch` on the scenario's cluster and binds every pod to a node, one at a time in deploy order,
 * as kube-scheduler would: filter by requests, pod count, selector, taints and topology rules, then rank
 * by its default score plugins (node-score.ts). Deterministic; pods that fit nowhere are kept with node
 * -1 and kube-scheduler's reason.
 */
export function place(s: Scenario, arch: Architecture, opts: PlaceOptions = {}): Placement {
  const nodes = buildNodes(s, opts.pools);
  const running = deploy(s, arch, nodes);
  // Standby pods come last, so the pods placed from the start keep their indices and order.
  const specs = [...running, ...standbyPods(s, arch, running)];
  const state = new NodeState(
    nodes,
    s.cluster.scheduler?.percentageOfNodesToScore ?? DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE,
  );
  const selection = new NodeSelection(nodes);
  const spread = new OwnerSpread(nodes.length, state.zoneNames.length);
  const pods: PlacedPod[] = [];
  const unschedulable: Placement['unschedulable'] = [];
  const byOwner = new Map<string, number[]>();
  const ztunnelOfNode = new Int32Array(nodes.length).fill(-1);
  const used = new Uint8Array(nodes.length);

  // Ties between nodes: podScoring (node-score.ts). ASSUMPTION: pods are scheduled one at a time in
  // deploy order and the node list is the nodes' index order (kube-scheduler's snapshot interleaves the
  // zones: pools spread their nodes over their zones in turn, nodes.ts).
  for (const spec of specs) {
    const index = pods.length;
    const r = podRequests(spec);
    const scored = nonZeroRequests(spec);
    let node: number;
    let mask: Int32Array | null = null;
    if (spec.standby) {
      // Not created yet: its autoscaler schedules it when it scales up (events/autoscale.ts).
      node = -1;
    } else if (spec.pinnedNode !== undefined) {
      // A DaemonSet pod's node affinity names its node: the search checks that node alone.
      state.search.checked(1);
      node =
        spec.pinnedNode >= 0 && spec.pinnedNode < nodes.length && !state.failure(spec.pinnedNode, r)
          ? spec.pinnedNode
          : -1;
    } else {
      spread.select(spec.owner);
      mask = applyTopologyRules(
        spec.topologyRules,
        selection.eligible(spec),
        selection.domains(spec),
        state.zone,
        spread.perNode,
        spread.perZone,
      );
      const how = podScoring(spec, nodes.length, selection.preferred(spec));
      node = state.best(r, scored, spread.perNode, spread.perZone, mask, how);
      if (node >= 0) spread.add(node, state.zone[node]!);
    }
    if (node >= 0) {
      state.bind(node, spec, r, scored);
      if (!isDaemonSet(spec)) used[node] = 1;
      if (spec.kind === 'ztunnel') ztunnelOfNode[node] = index;
    } else if (!spec.standby) {
      unschedulable.push({ pod: index, name: spec.name, reason: reason(state, nodes, spec, r, mask) });
    }
    pods.push({ ...spec, index, node, zone: node >= 0 ? nodes[node]!.zone : null });
    let owned = byOwner.get(spec.owner);
    if (!owned) byOwner.set(spec.owner, (owned = []));
    owned.push(index);
  }

  return {
    arch,
    modes: resolveModes(s, arch),
    nodes,
    pods,
    unschedulable,
    byOwner,
    ztunnelOfNode,
    requested: requested(state, nodes),
    nodesUsed: used.reduce((sum, u) => sum + u, 0),
    nextStartNode: state.search.start,
  };
}

function reason(
  state: NodeState,
  nodes: readonly ClusterNode[],
  spec: PodSpec,
  r: Resources,
  mask: Int32Array | null,
): string {
  const counts = new Map<string, number>();
  for (let n = 0; n < state.count; n++) {
    const why =
      spec.pinnedNode === undefined
        ? (selectionFailure(nodes[n]!, spec) ??
          topologyFailure(spec.topologyRules, n, mask) ??
          state.failure(n, r))
        : spec.pinnedNode === n
          ? state.failure(n, r)
          : NODE_AFFINITY;
    if (why) counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  return fitError(state.count, counts);
}

function requested(state: NodeState, nodes: readonly ClusterNode[]): Placement['requested'] {
  return nodes.map((node) => ({
    node: node.index,
    total: { cpu: state.cpu[node.index]!, memory: state.memory[node.index]! },
    byComponent: state.components(node.index),
    pods: state.pods[node.index]!,
  }));
}
