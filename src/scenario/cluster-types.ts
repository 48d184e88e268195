// The cluster a scenario describes: its node pools, the network between them and the kubelet settings
// that decide how containers' limits are enforced (part of the Scenario type, types.ts).
import type { Taint } from './scheduling-types.ts';
import type { Resources } from './types.ts';

export interface NodePool {
  name: string;
  /** Catalogue key (e.g. `m5.xlarge`) or `custom` when given inline. */
  instanceType: string;
  vcpu: number;
  memory: number;
  /** On-demand price of one node, $ per hour (after discount). */
  pricePerHour: number;
  count: number;
  zones: string[];
  /** topology.kubernetes.io/region of its nodes, when given (pools without one share one unnamed region). */
  region?: string;
  maxPods: number;
  /** Subtracted from capacity to get allocatable (kube-reserved + system-reserved + eviction). */
  systemReserved: Resources;
  spot: boolean;
  /** Labels of the pool's nodes (nodeSelector matches them, with the well-known labels cluster/nodes.ts adds). */
  labels?: Record<string, string>;
  /** Taints of the pool's nodes (a dedicated pool for load generators or gateways). */
  taints?: Taint[];
}

export interface NetworkSpec {
  /** One-way delay in seconds by locality. */
  sameNode: number;
  sameZone: number;
  crossZone: number;
  /** Bandwidth is not modelled as a queue; bytes are counted (cross-zone bytes are billed). */
}

/** KubeletConfiguration's CPU quota fields. */
export interface KubeletSettings {
  /** A container's CPU limit becomes a CFS quota (false: limits are not enforced). */
  cpuCFSQuota: boolean;
  /** Seconds per CFS period: the quota is limit x period per period. */
  cpuCFSQuotaPeriod: number;
}
