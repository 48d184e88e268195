// The cluster a scenario describes: its node pools, the network between them and the kubelet settings
// that decide how containers' limits are enforced (part of the Scenario type, types.ts).
import type { NodeAffinity, Taint, Toleration } from './scheduling-types.ts';
import type { ResourceSpec, Resources } from './types.ts';

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

/**
 * A DaemonSet of the platform's own: one pod on each node its selection allows (cluster/deploy.ts), what
 * it requests reserved there, what it uses taken off the node's CPU and memory; with a sidecar where its
 * namespace injects one, captured by ztunnel where its namespace is ambient, neither in the host's network.
 * It serves and sends no traffic meshsim simulates.
 */
export interface DaemonSet {
  name: string;
  namespace: string;
  /** `namespace/name`: its pods' owner. */
  key: string;
  resources: ResourceSpec;
  /** What its containers use: CPU in cores, memory in bytes (default: their requests). */
  usage: Resources;
  hostNetwork: boolean;
  /**
   * How a change of its pod template (a new sidecar) rolls: RollingUpdate replaces maxUnavailable nodes'
   * pods at a time (or starts maxSurge new ones first); OnDelete waits for someone to delete each pod.
   */
  updateStrategy: {
    type: 'RollingUpdate' | 'OnDelete';
    maxSurge: { value: number; percent: boolean };
    maxUnavailable: { value: number; percent: boolean };
  };
  /** false where `sidecar.istio.io/inject: "false"` (label or annotation) opts its pods out. */
  inject: boolean;
  /** Its pods' istio-proxy resources where sidecar.istio.io/proxyCPU etc. set them (else the mesh's). */
  sidecarResources?: ResourceSpec;
  /** Its sidecars' Envoy workers where its pods' proxy.istio.io/config sets concurrency. */
  sidecarWorkers?: number;
  nodeSelector?: Record<string, string>;
  nodeAffinity?: NodeAffinity;
  tolerations?: Toleration[];
}
