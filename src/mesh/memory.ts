// Memory a proxy holds: a base, the configuration it is sent, and its open connections
// (DESIGN.md section 3). Coefficients live in ProxyCost with their sources (scenario/defaults.ts).
import type { ProxyCost } from '../scenario/index.ts';

/** What a proxy's configuration describes. */
export interface ProxyConfigSize {
  /** Envoy clusters: one per visible service. */
  clusters: number;
  /** Envoy endpoints: the pods behind the visible services. */
  endpoints: number;
  /** ztunnel workload records: every pod of the cluster. */
  workloads: number;
  /** ztunnel service records: every service of the cluster. */
  services: number;
  /** Envoy listeners of its own, one per pod of a headless Service called over TCP (config-size.ts). */
  listeners: number;
}

/** Bytes a listener of its own costs a proxy: memoryPerListener, by default a cluster's (ASSUMPTION). */
export function listenerMemory(cost: ProxyCost): number {
  return cost.memoryPerListener ?? cost.memoryPerCluster;
}

export function proxyMemory(cost: ProxyCost, config: ProxyConfigSize, openConnections: number): number {
  return (
    cost.memoryBase +
    cost.memoryPerCluster * config.clusters +
    cost.memoryPerEndpoint * config.endpoints +
    cost.memoryPerWorkload * config.workloads +
    cost.memoryPerService * config.services +
    listenerMemory(cost) * config.listeners +
    cost.memoryPerConnection * openConnections
  );
}
