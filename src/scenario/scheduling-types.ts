// Where pods may go: node taints, pod tolerations, topology rules (the scenario's scheduling fields).

/** A node taint (core/v1 Taint). */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A pod toleration (core/v1 Toleration); an empty key with Exists tolerates every taint. */
export interface Toleration {
  key?: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: Taint['effect'];
}

/**
 * A hard rule over a workload's own pods: required pod anti-affinity (no two in one domain) or a
 * topologySpreadConstraint with whenUnsatisfiable DoNotSchedule (ScheduleAnyway ones only score: softSpread).
 */
export type TopologyRule =
  | { kind: 'anti-affinity'; topologyKey: 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone' }
  | {
      kind: 'spread';
      topologyKey: 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone';
      maxSkew: number;
      /** Fewer eligible domains than this and the global minimum counts as 0. */
      minDomains?: number;
      /** matchLabelKeys has pod-template-hash: only the pods of the pod's own ReplicaSet count. */
      perRevision?: true;
    };

/** A NodeSelectorRequirement (core/v1): a node label against values. */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** affinity.nodeAffinity: any of the required terms (each every requirement), and weighted preferences. */
export interface NodeAffinity {
  required?: { matchExpressions: NodeSelectorRequirement[] }[];
  preferred?: { weight: number; matchExpressions: NodeSelectorRequirement[] }[];
}

/** Where a workload's pods may go: nodeSelector and tolerations, as in a pod spec, and topology rules. */
export interface Scheduling {
  nodeSelector?: Record<string, string>;
  nodeAffinity?: NodeAffinity;
  tolerations?: Toleration[];
  topologyRules?: TopologyRule[];
  /** Its topologySpreadConstraints with whenUnsatisfiable ScheduleAnyway (cluster/node-score.ts). */
  softSpread?: SoftSpreadRule[];
  /** Its preferred pod anti-affinity to its own pods (cluster/node-score.ts, InterPodAffinity). */
  preferredAntiAffinity?: PreferredAntiAffinity[];
}

/** A preferredDuringSchedulingIgnoredDuringExecution pod anti-affinity term over the workload's own pods. */
export interface PreferredAntiAffinity {
  weight: number;
  topologyKey: TopologyRule['topologyKey'];
}

/** A topologySpreadConstraint that only scores nodes (whenUnsatisfiable ScheduleAnyway). */
export interface SoftSpreadRule {
  topologyKey: TopologyRule['topologyKey'];
  maxSkew: number;
  /** matchLabelKeys has pod-template-hash: only the pods of the pod's own ReplicaSet count. */
  perRevision?: true;
}

/**
 * kube-scheduler's settings the scenario may give: percentageOfNodesToScore (0: its adaptive share);
 * absent, meshsim scores every node (cluster/nodes-to-score.ts, an assumption).
 */
export interface SchedulerSettings {
  percentageOfNodesToScore: number;
}
