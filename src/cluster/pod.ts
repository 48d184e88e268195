import type {
  DataplaneMode,
  NodeAffinity,
  PreferredAntiAffinity,
  Resources,
  SoftSpreadRule,
  Toleration,
  TopologyRule,
} from '../scenario/types.ts';

/** The containers a pod can carry, named after what they cost: the unit of every resource breakdown. */
export type Component =
  | 'application'
  | 'sidecar'
  | 'ztunnel'
  | 'waypoint'
  | 'gateway'
  | 'istio-cni'
  | 'istiod'
  | 'client';

export const COMPONENTS: readonly Component[] = [
  'application',
  'sidecar',
  'ztunnel',
  'waypoint',
  'gateway',
  'istio-cni',
  'istiod',
  'client',
];

export type PodKind =
  | 'app'
  | 'client'
  | 'ztunnel'
  | 'istio-cni'
  | 'waypoint'
  | 'gateway'
  | 'istiod'
  | 'daemon';

export interface PodSpec {
  /** e.g. `shop/frontend-0`, `ztunnel-<node name>`, `istio-system/istiod-0`, `loadgen/web-client-0`. */
  name: string;
  kind: PodKind;
  /**
   * Service key `ns/name`, waypoint key `ns/name`, entry point name, DaemonSet key `ns/name`, 'ztunnel',
   * 'istio-cni' or 'istiod'.
   */
  owner: string;
  namespace: string;
  /** Index within its owner (for DaemonSet pods: the node index). */
  ordinal: number;
  /** The data plane its traffic takes: 'sidecar' if it carries one, 'ambient' if ztunnel captures it. */
  mode: DataplaneMode;
  hasSidecar: boolean;
  /** Its traffic goes through its node's ztunnel. */
  captured: boolean;
  /** Requests by container component, e.g. { application, sidecar } or { ztunnel }. */
  requests: Partial<Record<Component, Resources>>;
  limits?: Partial<Record<Component, Partial<Resources>>>;
  /**
   * Room an autoscaler may grow into: the pod exists in the tables from the start but is created (and
   * scheduled) only when its HorizontalPodAutoscaler scales up to it.
   */
  standby?: boolean;
  /** DaemonSet pods are pinned to one node. */
  pinnedNode?: number;
  /** Its sidecar's Envoy workers where its proxy.istio.io/config annotation sets concurrency. */
  sidecarWorkers?: number;
  /** A platform DaemonSet's pod (kind 'daemon'): what its application containers use. */
  usage?: Resources;
  /** Where it may go (node-selection.ts): a nodeSelector and tolerations, as in its pod spec. */
  nodeSelector?: Record<string, string>;
  nodeAffinity?: NodeAffinity;
  tolerations?: Toleration[];
  /** Required anti-affinity and DoNotSchedule spread over its owner's pods (topology-constraints.ts). */
  topologyRules?: TopologyRule[];
  /** ScheduleAnyway spread constraints: they only score (node-score.ts). */
  softSpread?: SoftSpreadRule[];
  /** Preferred anti-affinity to its owner's pods: it only scores (node-score.ts). */
  preferredAntiAffinity?: PreferredAntiAffinity[];
}

/**
 * A pod with no node at the start that may still run during the simulation: a standby pod (its
 * ReplicaSet creates it when it scales up), or a Deployment's pod (an application's or a waypoint's)
 * that kube-scheduler could not bind yet: it stays Pending and is bound once room frees (events/
 * autoscale.ts gives its owner a ReplicaSet for that). The simulation gives both their tables from the
 * start; they take no traffic until they are placed and ready.
 */
export function startsLater(pod: Pick<PodSpec, 'kind' | 'standby'> & { node: number }): boolean {
  return pod.node < 0 && (pod.standby === true || pod.kind === 'app' || pod.kind === 'waypoint');
}

/** DaemonSet pods (the mesh's and the platform's): they follow the nodes, not the workload. */
export function isDaemonSet(pod: Pick<PodSpec, 'kind'>): boolean {
  return pod.kind === 'ztunnel' || pod.kind === 'istio-cni' || pod.kind === 'daemon';
}

/** What the scheduler reserves for a pod: the sum of its containers' requests. */
export function podRequests(pod: Pick<PodSpec, 'requests'>): Resources {
  let cpu = 0;
  let memory = 0;
  for (const c of COMPONENTS) {
    const r = pod.requests[c];
    if (r) {
      cpu += r.cpu;
      memory += r.memory;
    }
  }
  return { cpu, memory };
}
