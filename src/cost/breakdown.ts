// What one architecture costs a month: the nodes it runs on, the traffic it sends across zones and any
// per-proxy fee of a managed mesh, with the node cost allocated to components and namespaces.
import type { Component } from '../cluster/index.ts';
import type { Architecture } from '../scenario/index.ts';

/** Components that exist only because of the mesh (one list, kept in src/mesh). */
export { MESH_COMPONENTS } from '../mesh/index.ts';

export interface PoolCost {
  pool: string;
  instanceType: string;
  /** Nodes of the pool in the cluster. */
  count: number;
  /** Of those, nodes hosting a pod other than DaemonSets. */
  used: number;
  /** Per node, after the scenario's discount. */
  pricePerHour: number;
  spot: boolean;
  monthly: number;
}

/** Every amount is US dollars per month (730 hours). */
export interface CostBreakdown {
  architecture: Architecture;
  nodes: { count: number; used: number; byPool: PoolCost[] };
  monthly: { nodes: number; crossZone: number; proxyFee: number; total: number };
  allocation: {
    byComponent: Array<{ component: Component; cpu: number; memory: number; total: number }>;
    byNamespace: Array<{ namespace: string; total: number }>;
    allocated: number;
    /** Node cost no container is charged for (never negative per node). */
    idle: number;
    /** Charged beyond a node's price, when usage exceeds what the node offers (0 normally). */
    overAllocated: number;
  };
  /** Mesh components' allocated cost plus the per-proxy fee, and its share of the total. */
  mesh: { monthly: number; share: number };
  crossZone: { bytesPerSecond: number; gibPerMonth: number; perGiB: number };
  proxies: { sidecars: number; ztunnels: number; waypoints: number; feePerHour: number };
  notes: string[];
}
