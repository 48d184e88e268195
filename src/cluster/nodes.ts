import type { NodePool, Resources, Scenario, Taint } from '../scenario/types.ts';

export interface ClusterNode {
  index: number;
  name: string;
  pool: string;
  zone: string;
  /** Its pool's region, '' when the scenario names none (one region). */
  region: string;
  instanceType: string;
  capacity: Resources;
  allocatable: Resources;
  maxPods: number;
  pricePerHour: number;
  spot: boolean;
  /** The pool's labels and the well-known ones the kubelet and cloud set (kubernetes.io/hostname, topology.kubernetes.io/zone, node.kubernetes.io/instance-type, kubernetes.io/os). */
  labels: Record<string, string>;
  taints: Taint[];
}

/** Node counts per pool name, overriding the scenario's (the capacity planner resizes pools this way). */
export type PoolCounts = Readonly<Record<string, number>>;

/**
 * The cluster's nodes, pool by pool in scenario order, `${pool}-${i}`, spread round-robin over the pool's
 * zones as a managed node group balances them.
 */
export function buildNodes(s: Scenario, pools?: PoolCounts): ClusterNode[] {
  checkOverrides(s.cluster.nodePools, pools);
  const nodes: ClusterNode[] = [];
  for (const pool of s.cluster.nodePools) {
    const count = pools?.[pool.name] ?? pool.count;
    for (let i = 0; i < count; i++) nodes.push(node(pool, i, nodes.length));
  }
  return nodes;
}

function node(pool: NodePool, i: number, index: number): ClusterNode {
  const capacity = { cpu: pool.vcpu, memory: pool.memory };
  return {
    index,
    name: `${pool.name}-${i}`,
    pool: pool.name,
    zone: pool.zones[i % pool.zones.length] ?? '',
    region: pool.region ?? '',
    instanceType: pool.instanceType,
    capacity,
    allocatable: {
      cpu: Math.max(0, capacity.cpu - pool.systemReserved.cpu),
      memory: Math.max(0, capacity.memory - pool.systemReserved.memory),
    },
    maxPods: pool.maxPods,
    pricePerHour: pool.pricePerHour,
    spot: pool.spot,
    labels: {
      ...pool.labels,
      'kubernetes.io/hostname': `${pool.name}-${i}`,
      'topology.kubernetes.io/zone': pool.zones[i % pool.zones.length] ?? '',
      'node.kubernetes.io/instance-type': pool.instanceType,
      // The kubelet labels every node with its OS (DaemonSets commonly select kubernetes.io/os: linux;
      // https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-os): Linux nodes only.
      'kubernetes.io/os': 'linux',
      ...(pool.region !== undefined ? { 'topology.kubernetes.io/region': pool.region } : {}),
    },
    taints: pool.taints ?? [],
  };
}

// A misspelt pool in an override would otherwise silently size the cluster from the scenario.
function checkOverrides(pools: readonly NodePool[], counts: PoolCounts | undefined): void {
  if (!counts) return;
  for (const [name, count] of Object.entries(counts)) {
    if (!pools.some((p) => p.name === name)) throw new Error(`unknown node pool '${name}'`);
    if (!Number.isInteger(count) || count < 0) {
      throw new Error(`node pool '${name}': count must be a non-negative integer, got ${count}`);
    }
  }
}
